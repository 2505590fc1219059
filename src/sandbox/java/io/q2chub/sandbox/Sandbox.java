package io.q2chub.sandbox;

import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.salesforce.SalesforceSimulator;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.quarkus.runtime.LaunchMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * The embedded default: broker, database and vendor simulators, started once per JVM and stopped after Quarkus
 * has finished with them.
 */
public final class Sandbox {

    private static final Logger LOG = Logger.getLogger(Sandbox.class);
    // Survives dev-mode restarts, which load the application in a fresh class loader.
    private static final String STARTED_FLAG = "q2c.sandbox.started";
    private static final String KEYS = "q2c.sandbox.keys";

    private static Map<String, String> settings;
    private static SalesforceSimulator salesforce;
    private static StripeSimulator stripe;
    private static NetSuiteSimulator netsuite;

    private Sandbox() {
    }

    public static boolean started() {
        return System.getProperty(STARTED_FLAG) != null;
    }

    /** Starts everything the first time and returns the settings that point the hub at it. */
    static synchronized Map<String, String> settings() {
        if (settings == null) {
            settings = started() ? fromSystemProperties() : start();
        }
        return settings;
    }

    private static Map<String, String> start() {
        long begin = System.nanoTime();
        try {
            CompletableFuture<EmbeddedKafka> kafka = CompletableFuture.supplyAsync(() -> unchecked(EmbeddedKafka::start));
            CompletableFuture<EmbeddedDatabase> db = CompletableFuture.supplyAsync(() -> unchecked(EmbeddedDatabase::start));
            List<AutoCloseable> services = new ArrayList<>();
            Map<String, String> values = new LinkedHashMap<>(SandboxSimulators.start(services));
            salesforce = services.stream().filter(SalesforceSimulator.class::isInstance).map(SalesforceSimulator.class::cast)
                    .findFirst().orElse(null);
            stripe = services.stream().filter(StripeSimulator.class::isInstance).map(StripeSimulator.class::cast)
                    .findFirst().orElse(null);
            netsuite = services.stream().filter(NetSuiteSimulator.class::isInstance).map(NetSuiteSimulator.class::cast)
                    .findFirst().orElse(null);
            EmbeddedKafka broker = kafka.join();
            EmbeddedDatabase database = db.join();
            services.add(0, database);
            services.add(0, broker);
            running = services.toArray(AutoCloseable[]::new);
            if (LaunchMode.current() == LaunchMode.DEVELOPMENT) {
                // Dev mode keeps the services across live reloads (SandboxShutdown leaves them); the JVM's end stops them.
                Runtime.getRuntime().addShutdownHook(new Thread(Sandbox::stop, "q2c-sandbox-dev-shutdown"));
            }

            values.put("q2c.kafka.bootstrap-servers", broker.bootstrapServers());
            values.put("q2c.db.url", database.jdbcUrl());
            values.put("q2c.db.username", EmbeddedDatabase.USER);
            values.put("q2c.db.password", EmbeddedDatabase.PASSWORD);
            // The embedded default has no identity provider: its ops API uses the embedded users (README).
            values.put("quarkus.oidc.tenant-enabled", "false");
            values.forEach(System::setProperty);
            System.setProperty(KEYS, String.join(",", values.keySet()));
            System.setProperty(STARTED_FLAG, "true");
            LOG.infof("sandbox: Kafka at %s, PostgreSQL at %s and the NetSuite, Stripe and Salesforce simulators started in %d ms",
                    broker.bootstrapServers(), database.jdbcUrl(), (System.nanoTime() - begin) / 1_000_000);
            return values;
        } catch (RuntimeException e) {
            throw new IllegalStateException("the sandbox (embedded Kafka, PostgreSQL, Salesforce simulator) could not start: "
                    + e.getMessage(), e);
        }
    }

    private static Map<String, String> fromSystemProperties() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : System.getProperty(KEYS).split(",")) {
            values.put(key, System.getProperty(key));
        }
        return values;
    }

    private static AutoCloseable[] running = new AutoCloseable[0];

    /** The Salesforce simulator of this sandbox; empty after a dev-mode restart (it lives in the first class loader). */
    static Optional<SalesforceSimulator> salesforce() {
        return Optional.ofNullable(salesforce);
    }

    /** The Stripe simulator of this sandbox; empty after a dev-mode restart, like {@link #salesforce()}. */
    static Optional<StripeSimulator> stripe() {
        return Optional.ofNullable(stripe);
    }

    /** The NetSuite simulator of this sandbox; empty after a dev-mode restart, like {@link #salesforce()}. */
    static Optional<NetSuiteSimulator> netsuite() {
        return Optional.ofNullable(netsuite);
    }

    /**
     * Stops broker and database once nothing uses them any more: called when the Camel context has stopped (see
     * SandboxShutdown). A JVM shutdown hook cannot do it: Quarkus halts the JVM once its own hook is done.
     */
    static synchronized void stop() {
        for (AutoCloseable service : running) {
            close(service);
        }
        running = new AutoCloseable[0];
    }

    private static void close(AutoCloseable service) {
        try {
            service.close();
        } catch (Exception e) {
            LOG.warnf("sandbox: %s did not stop cleanly: %s", service.getClass().getSimpleName(), e.getMessage());
        }
    }

    interface Start<T> {
        T get() throws Exception;
    }

    private static <T> T unchecked(Start<T> start) {
        try {
            return start.get();
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
