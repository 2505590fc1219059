package io.q2chub.ops.idempotency;

import io.agroal.api.AgroalDataSource;
import io.q2chub.ops.failure.TransientFailure;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one idempotent repository every capability consumer shares; the consumer is the route the exchange came
 * from, so two capabilities may both see the same event id.
 *
 * <p>A key is claimed in one statement against the primary key, so several replicas racing on the same key get
 * exactly one winner. A claim is PROCESSING until the exchange completes (DONE) or fails (the row is removed and
 * the message can be retried). A PROCESSING claim older than the lease belongs to a consumer that died after
 * the insert and is taken over. A fresh PROCESSING claim held by someone else is not a duplicate yet: the
 * message is failed as transient so it is retried later, never skipped and lost.
 */
@ApplicationScoped
@Named("idempotentRepository")
@RegisterForReflection
public class JdbcIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    static final String CLAIM = """
            WITH claim AS (
                INSERT INTO idempotency_key AS k (consumer, message_key, status)
                VALUES (?, ?, 'PROCESSING')
                ON CONFLICT (consumer, message_key) DO UPDATE
                    SET claimed_at = now(), claims = k.claims + 1
                    WHERE k.status = 'PROCESSING' AND k.claimed_at < now() - make_interval(secs => ?)
                RETURNING 'CLAIMED'::text AS outcome)
            SELECT outcome FROM claim
            UNION ALL
            SELECT status FROM idempotency_key
             WHERE consumer = ? AND message_key = ? AND NOT EXISTS (SELECT 1 FROM claim)
            """;

    /** Error code of the TransientFailure thrown for a key another consumer is processing right now. */
    public static final String IN_PROGRESS_ELSEWHERE = "IN_PROGRESS_ELSEWHERE";

    private final AgroalDataSource dataSource;
    private final Duration lease;

    public JdbcIdempotentRepository(AgroalDataSource dataSource,
            @ConfigProperty(name = "q2c.idempotency.lease") Duration lease) {
        this.dataSource = dataSource;
        this.lease = lease;
    }

    /** Outcome of a claim: the caller now owns the key, it was already processed, or another consumer is on it. */
    public enum Claim { CLAIMED, DONE, IN_PROGRESS }

    public Claim claim(String consumer, String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setString(1, consumer);
            ps.setString(2, key);
            ps.setDouble(3, lease.toMillis() / 1000.0);
            ps.setString(4, consumer);
            ps.setString(5, key);
            try (ResultSet rs = ps.executeQuery()) {
                // No row at all: the key was removed between the insert attempt and the read; claim again.
                return rs.next() ? outcome(rs.getString(1)) : claim(consumer, key);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static Claim outcome(String value) {
        return switch (value) {
            case "CLAIMED" -> Claim.CLAIMED;
            case "DONE" -> Claim.DONE;
            default -> Claim.IN_PROGRESS;
        };
    }

    @Override
    public boolean add(Exchange exchange, String key) {
        String consumer = consumerOf(exchange);
        return switch (claim(consumer, key)) {
            case CLAIMED -> true;
            case DONE -> false;
            case IN_PROGRESS -> throw new TransientFailure("hub", IN_PROGRESS_ELSEWHERE,
                    "event " + key + " is being processed by another " + consumer + " consumer");
        };
    }

    @Override
    public boolean confirm(Exchange exchange, String key) {
        return confirm(consumerOf(exchange), key);
    }

    /** The message was processed: from now on it is a duplicate for this consumer. */
    public boolean confirm(String consumer, String key) {
        return update("UPDATE idempotency_key SET status = 'DONE' WHERE consumer = ? AND message_key = ?",
                consumer, key) > 0;
    }

    @Override
    public boolean remove(Exchange exchange, String key) {
        return release(consumerOf(exchange), key);
    }

    /** Frees a key whose processing did not complete, so the message is processed when it comes again. */
    public boolean release(String consumer, String key) {
        return update("DELETE FROM idempotency_key WHERE consumer = ? AND message_key = ?", consumer, key) > 0;
    }

    /**
     * Called on the dead-letter path: a parked event did not complete, so its key must not stay claimed or DONE
     * (capability consumers key on the CloudEvents id); a later delivery or a replay processes it again.
     */
    public void releaseFailed(Exchange exchange) {
        String key = exchange.getMessage().getHeader("ce_id", String.class);
        if (key != null) {
            release(consumerOf(exchange), key);
        }
    }

    @Override
    public boolean contains(Exchange exchange, String key) {
        return contains(consumerOf(exchange), key);
    }

    public boolean contains(String consumer, String key) {
        return status(consumer, key).isPresent();
    }

    private int update(String sql, String consumer, String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, consumer);
            ps.setString(2, key);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    // The database is unavailable: the message is neither acknowledged nor marked done, and is retried.
    private static TransientFailure unavailable(SQLException e) {
        return new TransientFailure("hub-db", "IDEMPOTENCY_STORE_UNAVAILABLE", "idempotency store unavailable: " + e.getMessage(), e);
    }

    static String consumerOf(Exchange exchange) {
        String route = exchange.getFromRouteId();
        return route != null ? route : "unknown";
    }

    /**
     * Waits up to {@code max} for a key another consumer of the same route is processing to settle: true once it
     * is DONE, false when it was released (that processing failed) or is still in progress at the deadline.
     * For callers that must answer the outcome, not "try again" (a webhook delivered twice at once).
     */
    public boolean awaitDone(Exchange exchange, String key, Duration max) {
        return awaitDone(consumerOf(exchange), key, max);
    }

    public boolean awaitDone(String consumer, String key, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        long pause = 10;
        while (true) {
            String status = status(consumer, key).orElse(null);
            if (!"PROCESSING".equals(status)) {
                return "DONE".equals(status);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pause = Math.min(pause * 2, 200);
        }
    }

    private Optional<String> status(String consumer, String key) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT status FROM idempotency_key WHERE consumer = ? AND message_key = ?")) {
            ps.setString(1, consumer);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    // The exchange-less variants are never called by Camel's idempotent consumer when the exchange variants exist;
    // they are refused so that nobody records a key without knowing which consumer it belongs to.
    @Override
    public boolean add(String key) {
        throw new UnsupportedOperationException("keys are recorded per consumer: use add(exchange, key)");
    }

    @Override
    public boolean contains(String key) {
        throw new UnsupportedOperationException("keys are recorded per consumer: use contains(exchange, key)");
    }

    @Override
    public boolean remove(String key) {
        throw new UnsupportedOperationException("keys are recorded per consumer: use remove(exchange, key)");
    }

    @Override
    public boolean confirm(String key) {
        throw new UnsupportedOperationException("keys are recorded per consumer: use confirm(exchange, key)");
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("idempotency keys are never cleared wholesale");
    }
}
