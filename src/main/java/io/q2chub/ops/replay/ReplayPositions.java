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

    /** Called only after the event of this replay id is safely on the bus: a restart resumes after it. */
    public void store(String subscription, String replayId) {
        update("""
                INSERT INTO crm_replay_position (subscription, replay_id) VALUES (?, ?)
                ON CONFLICT (subscription) DO UPDATE SET replay_id = EXCLUDED.replay_id, updated_at = now()""",
                subscription, replayId);
    }

    /** Records that the subscription must be re-synchronised; repeated refusals count on the one open request. */
    public void requestResync(String subscription, String rejectedReplayId, String reason) {
        update("""
                INSERT INTO crm_resync_request (subscription, rejected_replay_id, reason) VALUES (?, ?, ?)
                ON CONFLICT (subscription) WHERE status = 'OPEN'
                DO UPDATE SET occurrences = crm_resync_request.occurrences + 1, last_seen = now()""",
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
