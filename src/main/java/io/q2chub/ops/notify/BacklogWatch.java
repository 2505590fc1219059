package io.q2chub.ops.notify;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Watches the open backlog per capability on a schedule: more open cases than q2c.notify.open-cases-threshold, or
 * an oldest open case older than q2c.notify.max-open-age, is notified once when it starts. The alert is written to
 * exception_alert (insert-if-absent), so another replica or a restart does not notify it again; it is cleared when
 * the backlog is back under the limit, and a later crossing is notified anew.
 */
@ApplicationScoped
public class BacklogWatch {

    private static final Logger LOG = Logger.getLogger(BacklogWatch.class);

    private final AgroalDataSource dataSource;
    private final CaseNotifier notifier;
    private final long openThreshold;
    private final Duration maxAge;
    private final Duration period;
    private ScheduledExecutorService schedule;

    public BacklogWatch(AgroalDataSource dataSource, CaseNotifier notifier,
            @ConfigProperty(name = "q2c.notify.open-cases-threshold") long openThreshold,
            @ConfigProperty(name = "q2c.notify.max-open-age") Duration maxAge,
            @ConfigProperty(name = "q2c.notify.check-period") Duration period) {
        if (openThreshold < 1 || maxAge.isNegative() || maxAge.isZero() || period.isNegative() || period.isZero()) {
            throw new IllegalStateException("q2c.notify.open-cases-threshold must be >= 1, q2c.notify.max-open-age and"
                    + " q2c.notify.check-period positive durations (e.g. PT4H, PT1M)");
        }
        this.dataSource = dataSource;
        this.notifier = notifier;
        this.openThreshold = openThreshold;
        this.maxAge = maxAge;
        this.period = period;
    }

    void start(@Observes StartupEvent started) {
        schedule = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "q2c-backlog-watch");
            thread.setDaemon(true);
            return thread;
        });
        schedule.scheduleWithFixedDelay(this::checkQuietly, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (schedule != null) {
            schedule.shutdownNow();
        }
    }

    private void checkQuietly() {
        try {
            check();
        } catch (SQLException | RuntimeException e) {
            // The next check tries again; the dead-letter path does not depend on this.
            LOG.warnf("exception backlog check failed: %s", e.getMessage());
        }
    }

    void check() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT capability, count(*), min(first_seen),
                       (array_agg(id ORDER BY first_seen, id))[1], now()
                  FROM exception_case WHERE status = 'OPEN' GROUP BY capability""")) {
            Set<String> crossed = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String capability = rs.getString(1);
                    long open = rs.getLong(2);
                    Duration age = Duration.between(rs.getObject(3, OffsetDateTime.class), rs.getObject(5, OffsetDateTime.class));
                    if (open > openThreshold) {
                        crossed.add("open:" + capability);
                        if (raise(c, "open:" + capability)) {
                            notifier.tooManyOpen(capability, open, openThreshold);
                        }
                    }
                    if (age.compareTo(maxAge) > 0) {
                        crossed.add("age:" + capability);
                        if (raise(c, "age:" + capability)) {
                            notifier.tooOld(capability, rs.getLong(4), age, maxAge);
                        }
                    }
                }
            }
            clearAllBut(c, crossed);
        }
    }

    /** True if the alert was not raised yet (and now is). */
    private static boolean raise(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO exception_alert (alert_key) VALUES (?) ON CONFLICT (alert_key) DO NOTHING")) {
            ps.setString(1, key);
            return ps.executeUpdate() == 1;
        }
    }

    private static void clearAllBut(Connection c, Set<String> crossed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM exception_alert WHERE NOT (alert_key = ANY (?))")) {
            ps.setArray(1, c.createArrayOf("text", crossed.toArray()));
            ps.executeUpdate();
        }
    }
}
