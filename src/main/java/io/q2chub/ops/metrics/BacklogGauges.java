package io.q2chub.ops.metrics;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.q2chub.canonical.EventTypes;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Business backlog gauges read from the hub's own tables: open exception cases by class, capability and age, and
 * the documents the hub knows from billing that the ERP does not hold yet. The tables are queried on a fixed period
 * ({@code q2c.metrics.backlog-refresh-period}), never per scrape: a scrape reads the last snapshot, so scraping
 * costs nothing and the database sees the same few queries however often Prometheus (or several) scrape.
 *
 * <p>Every replica reads the same tables, so these gauges are the same on every pod: aggregate them with max(),
 * never sum().
 */
@ApplicationScoped
public class BacklogGauges {

    static final String OPEN_CASES = "q2c.exceptions.open";
    static final String OLDEST_OPEN = "q2c.exceptions.oldest.open.age";
    static final String AWAITING_POSTING = "q2c.invoices.awaiting.erp.posting";
    static final String PAYMENTS_NOT_APPLIED = "q2c.payments.not.in.erp";
    static final String SUBSCRIPTIONS_UNBILLED = "q2c.subscriptions.without.financial.record";
    static final List<String> AGE_BUCKETS = List.of("lt_1h", "1h_4h", "4h_24h", "ge_24h");

    private static final Logger LOG = Logger.getLogger(BacklogGauges.class);

    // The age bucket is computed by PostgreSQL against its own clock, as first_seen was written.
    private static final String OPEN_CASES_SQL = """
            SELECT capability, failure_class,
                   CASE WHEN first_seen > now() - interval '1 hour' THEN 'lt_1h'
                        WHEN first_seen > now() - interval '4 hours' THEN '1h_4h'
                        WHEN first_seen > now() - interval '24 hours' THEN '4h_24h'
                        ELSE 'ge_24h' END,
                   count(*), min(first_seen), now()
              FROM exception_case WHERE status = 'OPEN' GROUP BY 1, 2, 3""";

    // Invoices and credit notes the billing ingress published as issued (stage 1; a voided one needs no posting)
    // whose canonical document has no ERP document linked yet: issued, not (yet) in the ERP.
    private static final String AWAITING_POSTING_SQL = """
            SELECT count(*) FROM billing_document_progress p
              JOIN xref b ON b.system = p.system AND b.external_id = p.document_id
                         AND b.object_type IN ('invoice', 'credit_note')
             WHERE p.system = ? AND p.stage = 1
               AND NOT EXISTS (SELECT 1 FROM xref e WHERE e.system = ? AND e.object_type = 'invoice'
                                                   AND e.canonical_id = b.canonical_id)""";

    // Payments and refunds recorded in billing (the ingress linked them) that no ERP customer payment or refund
    // has been linked to: money received that receivables do not show.
    private static final String PAYMENTS_NOT_APPLIED_SQL = """
            SELECT count(*) FROM xref b
             WHERE b.system = ? AND b.object_type IN ('payment', 'refund')
               AND NOT EXISTS (SELECT 1 FROM xref e WHERE e.system = ? AND e.object_type = b.object_type
                                                   AND e.canonical_id = b.canonical_id)""";

    // Quote-to-cash chains (the ledger's transaction key, one per contract) whose subscription was activated and
    // that have no invoice posted in the ERP: subscriptions running without a financial record. A chain is in here
    // for the seconds between activation and its first posting; the alert asks for it to persist.
    private static final String SUBSCRIPTIONS_UNBILLED_SQL = """
            SELECT count(DISTINCT s.transaction_key) FROM ledger_milestone s
             WHERE s.milestone = ?
               AND NOT EXISTS (SELECT 1 FROM ledger_milestone p WHERE p.transaction_key = s.transaction_key
                                                                AND p.milestone = ?)""";

    private record OpenKey(String capability, String failureClass, String age) {
    }

    private final AgroalDataSource dataSource;
    private final MeterRegistry metrics;
    private final String billing;
    private final String erp;
    private final Duration period;
    private final Map<OpenKey, Long> openCases = new ConcurrentHashMap<>();
    private final Map<String, Instant> oldestOpen = new ConcurrentHashMap<>();
    private volatile double awaitingPosting = Double.NaN;
    private volatile double paymentsNotApplied = Double.NaN;
    private volatile double subscriptionsUnbilled = Double.NaN;
    private ScheduledExecutorService schedule;

    public BacklogGauges(AgroalDataSource dataSource, MeterRegistry metrics,
            @ConfigProperty(name = "q2c.roles.billing") String billing,
            @ConfigProperty(name = "q2c.roles.erp") String erp,
            @ConfigProperty(name = "q2c.metrics.backlog-refresh-period") Duration period) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalStateException("q2c.metrics.backlog-refresh-period must be a positive duration (e.g. PT15S)");
        }
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.billing = billing;
        this.erp = erp;
        this.period = period;
        // The registry can outlive this bean (a Quarkus restart in one JVM, as in tests) and keeps the first
        // registration of a gauge, whose state it holds weakly: replace what an earlier start left.
        for (String name : List.of(OPEN_CASES, OLDEST_OPEN, AWAITING_POSTING, PAYMENTS_NOT_APPLIED,
                SUBSCRIPTIONS_UNBILLED)) {
            metrics.find(name).meters().forEach(metrics::remove);
        }
        Gauge.builder(AWAITING_POSTING, this, gauges -> gauges.awaitingPosting)
                .description("Invoices and credit notes issued in billing and published by the hub that the ERP"
                        + " does not hold yet (NaN before the first refresh)")
                .tag("billing", billing).tag("erp", erp).register(metrics);
        Gauge.builder(PAYMENTS_NOT_APPLIED, this, gauges -> gauges.paymentsNotApplied)
                .description("Payments and refunds recorded in billing that have no ERP customer payment or refund"
                        + " (NaN before the first refresh)")
                .tag("billing", billing).tag("erp", erp).register(metrics);
        Gauge.builder(SUBSCRIPTIONS_UNBILLED, this, gauges -> gauges.subscriptionsUnbilled)
                .description("Quote-to-cash chains with a subscription activated and no invoice posted in the ERP"
                        + " (NaN before the first refresh)")
                .register(metrics);
    }

    void start(@Observes StartupEvent started) {
        schedule = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "q2c-backlog-gauges");
            thread.setDaemon(true);
            return thread;
        });
        schedule.scheduleWithFixedDelay(this::refreshQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (schedule != null) {
            schedule.shutdownNow();
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (SQLException | RuntimeException e) {
            // The gauges keep their last values; the next period tries again.
            LOG.warnf("business backlog gauges not refreshed: %s", e.getMessage());
        }
    }

    /** Reads the tables once and updates every gauge. */
    public void refresh() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            refreshOpenCases(c);
            awaitingPosting = count(c, AWAITING_POSTING_SQL, billing, erp);
            paymentsNotApplied = count(c, PAYMENTS_NOT_APPLIED_SQL, billing, erp);
            subscriptionsUnbilled = count(c, SUBSCRIPTIONS_UNBILLED_SQL, EventTypes.SUBSCRIPTION_ACTIVATED,
                    EventTypes.INVOICE_POSTED);
        }
    }

    private void refreshOpenCases(Connection c) throws SQLException {
        Map<OpenKey, Long> counts = new HashMap<>();
        Map<String, Instant> oldest = new HashMap<>();
        Instant dbNow = null;
        try (PreparedStatement ps = c.prepareStatement(OPEN_CASES_SQL); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(new OpenKey(rs.getString(1), rs.getString(2), rs.getString(3)), rs.getLong(4));
                Instant first = rs.getObject(5, OffsetDateTime.class).toInstant();
                oldest.merge(rs.getString(1), first, (a, b) -> a.isBefore(b) ? a : b);
                dbNow = rs.getObject(6, OffsetDateTime.class).toInstant();
            }
        }
        // A series once shown stays and reads 0 when its cases are gone: a vanished series is not "no cases".
        openCases.replaceAll((key, count) -> 0L);
        counts.forEach((key, count) -> {
            if (openCases.put(key, count) == null) {
                Gauge.builder(OPEN_CASES, this, gauges -> gauges.openCases.getOrDefault(key, 0L))
                        .description("Open exception cases by failure class, capability and age since first seen")
                        .tags(Tags.of("capability", key.capability(), "class", key.failureClass(), "age", key.age()))
                        .register(metrics);
            }
        });
        // Ages are kept as the first-seen instant shifted onto this JVM's clock, so they grow between refreshes.
        Duration skew = dbNow == null ? Duration.ZERO : Duration.between(dbNow, Instant.now());
        oldestOpen.replaceAll((capability, first) -> Instant.MAX);
        oldest.forEach((capability, first) -> {
            if (oldestOpen.put(capability, first.plus(skew)) == null) {
                Gauge.builder(OLDEST_OPEN, this, gauges -> gauges.oldestOpenAgeSeconds(capability))
                        .description("Age of the oldest open exception case of the capability since first seen"
                                + " (0 when none is open)")
                        .baseUnit("seconds").tag("capability", capability).register(metrics);
            }
        });
    }

    private double oldestOpenAgeSeconds(String capability) {
        Instant first = oldestOpen.get(capability);
        if (first == null || first.equals(Instant.MAX)) {
            return 0;
        }
        return Math.max(0, Duration.between(first, Instant.now()).toMillis() / 1000.0);
    }

    private static double count(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
