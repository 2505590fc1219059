package io.q2chub.ops.replay;

import io.agroal.api.AgroalDataSource;
import io.q2chub.ops.failure.TransientFailure;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The durable position of each CRM event subscription (table crm_replay_position), and the re-sync requests
 * raised when the CRM refuses a stored position (table crm_resync_request).
 */
@ApplicationScoped
@Named("replayPositions")
@RegisterForReflection
public class ReplayPositions {

    private final AgroalDataSource dataSource;

    public ReplayPositions(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The replay id to resume after, if this subscription ever stored one. */
    public Optional<String> position(String subscription) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT replay_id FROM crm_replay_position WHERE subscription = ?")) {
            ps.setString(1, subscription);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** When the subscription's position was last stored, if ever. */
    public Optional<java.time.Instant> storedAt(String subscription) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps =
                c.prepareStatement("SELECT updated_at FROM crm_replay_position WHERE subscription = ?")) {
            ps.setString(1, subscription);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, java.time.OffsetDateTime.class).toInstant())
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Called only after the event of this replay id is safely on the bus: a restart resumes after it. */
    public void store(String subscription, String replayId) {
        update("""
                INSERT INTO crm_replay_position (subscription, replay_id) VALUES (?, ?)
                ON CONFLICT (subscription) DO UPDATE SET replay_id = EXCLUDED.replay_id, updated_at = now()""",
                subscription, replayId);
    }

    /**
     * Records that the subscription must be re-synchronised; repeated refusals count on the one open request, and a
     * different reason is appended to it (a re-sync requested for a GAP_OVERFLOW must learn of a later refusal).
     */
    public void requestResync(String subscription, String rejectedReplayId, String reason) {
        update("""
                INSERT INTO crm_resync_request (subscription, rejected_replay_id, reason) VALUES (?, ?, ?)
                ON CONFLICT (subscription) WHERE status = 'OPEN'
                DO UPDATE SET occurrences = crm_resync_request.occurrences + 1, last_seen = now(),
                    reason = CASE WHEN position(EXCLUDED.reason IN crm_resync_request.reason) > 0
                        THEN crm_resync_request.reason ELSE crm_resync_request.reason || '; ' || EXCLUDED.reason END""",
                subscription, rejectedReplayId, reason);
    }

    /** How many times the open re-sync request of the subscription was raised; 0 when none is open. */
    public int openResyncOccurrences(String subscription) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT occurrences FROM crm_resync_request WHERE subscription = ? AND status = 'OPEN'")) {
            ps.setString(1, subscription);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** A re-sync still to be done: the request's id, the subscription and why it was raised. */
    public record ResyncRequest(long id, String subscription, String reason) {
    }

    /** Open re-sync requests, oldest first. */
    public List<ResyncRequest> openResyncRequests() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, subscription, reason FROM crm_resync_request WHERE status = 'OPEN' ORDER BY id")) {
            List<ResyncRequest> open = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    open.add(new ResyncRequest(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
            return open;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Closes a re-sync request with the number of records it re-published. */
    public void completeResync(long requestId, int records) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE crm_resync_request SET status = 'DONE', completed_at = now(), resynced_records = ?
                WHERE id = ? AND status = 'OPEN'""")) {
            ps.setInt(1, records);
            ps.setLong(2, requestId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Notes why an attempt at an open re-sync request failed; the request stays open and is tried again. */
    public void resyncFailed(long requestId, String error) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE crm_resync_request SET last_error = ? WHERE id = ? AND status = 'OPEN'")) {
            ps.setString(1, error);
            ps.setLong(2, requestId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Forgets the subscription's position: the next subscription starts at its configured preset. */
    public void discard(String subscription) {
        update("DELETE FROM crm_replay_position WHERE subscription = ?", subscription);
    }

    private void update(String sql, String... values) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setString(i + 1, values[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static TransientFailure unavailable(SQLException e) {
        return new TransientFailure("hub-db", "REPLAY_STORE_UNAVAILABLE", "replay position store unavailable: " + e.getMessage(), e);
    }
}
