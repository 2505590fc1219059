package io.q2chub.faults;

import static org.awaitility.Awaitility.await;

import io.q2chub.sandbox.EmbeddedDatabase;
import io.q2chub.sandbox.EmbeddedKafka;
import io.q2chub.sandbox.SandboxSimulators;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.q2chub.testing.HubProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything the fault suite breaks, living in the test JVM so it outlives the hub: the broker, PostgreSQL, the
 * NetSuite and Stripe simulators, and the hub itself as a second JVM that is killed, stopped and started again.
 */
final class FaultWorld implements AutoCloseable {

    static final String WEBHOOK_SECRET = "whsec_fault_suite_0001";

    final EmbeddedKafka kafka;
    final EmbeddedDatabase db;
    final NetSuiteSimulator netsuite;
    final StripeSimulator stripe;
    private final Map<String, String> env;
    private final Map<String, String> settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private HubProcess hub;

    private FaultWorld(EmbeddedKafka kafka, EmbeddedDatabase db, NetSuiteSimulator netsuite, StripeSimulator stripe) {
        this.kafka = kafka;
        this.db = db;
        this.netsuite = netsuite;
        this.stripe = stripe;
        this.env = Map.of(
                "Q2C_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "Q2C_DB_URL", db.jdbcUrl(),
                "Q2C_DB_USERNAME", EmbeddedDatabase.USER,
                "Q2C_DB_PASSWORD", EmbeddedDatabase.PASSWORD);
        Map<String, String> s = new HashMap<>(SandboxSimulators.netsuite(netsuite, NetSuiteSimulator.Settings.sandbox()));
        s.putAll(SandboxSimulators.stripe(stripe, SandboxSimulators.STRIPE_KEY));
        s.put("q2c.stripe.webhook-secrets", WEBHOOK_SECRET);
        // The claim of the event in flight at a kill is orphaned; a short lease lets the next process take it over.
        s.put("q2c.idempotency.lease", "PT6S");
        // A killed consumer keeps its partitions until the broker gives up on it; a short session hands them over.
        s.put("camel.component.kafka.session-timeout-ms", "6000");
        // An ERP call that hangs is given up after this: its outcome is unknown, the retry must find the same record.
        s.put("q2c.netsuite.request-timeout", "PT2S");
        // Production waits are minutes; the suite's outages last seconds.
        s.put("q2c.resilience.netsuite.circuit.delay", "PT2S");
        s.put("q2c.retry.max-delay-ms", "2000");
        s.put("q2c.retry.throttled-max-delay-ms", "2000");
        this.settings = s;
        // Stripe retries a webhook nobody answered; capped so a delivery missed during a restart comes back soon.
        stripe.webhooks().retries(Duration.ofMillis(300), 60, Duration.ofSeconds(2));
    }

    static FaultWorld start() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        EmbeddedDatabase db = EmbeddedDatabase.start();
        NetSuiteSimulator netsuite = NetSuiteSimulator.start(NetSuiteSimulator.Settings.sandbox());
        StripeSimulator stripe = StripeSimulator.start(SandboxSimulators.STRIPE_KEY, 1000);
        return new FaultWorld(kafka, db, netsuite, stripe);
    }

    /** Starts a hub process, waits until it is ready and points Stripe's webhook endpoint at it. */
    HubProcess startHub() {
        hub = HubProcess.start(env, settings);
        await("hub ready").atMost(Duration.ofSeconds(60)).until(() -> {
            if (!hub.isAlive()) {
                throw new IllegalStateException("hub exited:\n" + hub.output());
            }
            return ready();
        });
        stripe.webhooks().endpoint(hub.url("/webhooks/stripe"), WEBHOOK_SECRET);
        return hub;
    }

    HubProcess hub() {
        return hub;
    }

    /** The hub's readiness: broker and database answer. */
    boolean ready() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + hub.managementPort + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** A SIGKILL: no shutdown hook, no offset commit, no release of claimed keys. */
    void killHub() throws InterruptedException {
        hub.kill();
    }

    Connection sql() throws java.sql.SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.USER, EmbeddedDatabase.PASSWORD);
    }

    long count(String sql, Object... params) {
        try (Connection c = sql(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        try (kafka; db; netsuite; stripe) {
            if (hub != null) {
                // Everything is asserted by now; an orderly stop would only wait for in-flight retries.
                hub.kill();
            }
        }
    }
}
