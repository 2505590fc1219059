package io.q2chub.sandbox;

import io.q2chub.sandbox.salesforce.SalesforceSimulator;
import io.q2chub.sandbox.salesforce.Settings;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * The embedded default: broker, database and the vendor simulators (Salesforce),
 * started once per JVM and stopped after Quarkus has finished with them.
 */
public final class Sandbox {

    private static final Logger LOG = Logger.getLogger(Sandbox.class);
    // Survives dev-mode restarts, which load the application in a fresh class loader.
    private static final String STARTED_FLAG = "q2c.sandbox.started";

    private static Map<String, String> settings;
    private static SalesforceSimulator salesforce;

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
            EmbeddedKafka broker = kafka.join();
            EmbeddedDatabase database = db.join();
            salesforce = SalesforceSimulator.start(Settings.defaults());
            stopAfterQuarkus(broker, database, salesforce);

            Map<String, String> values = new LinkedHashMap<>();
            values.put("q2c.kafka.bootstrap-servers", broker.bootstrapServers());
            values.put("q2c.db.url", database.jdbcUrl());
            values.put("q2c.db.username", EmbeddedDatabase.USER);
            values.put("q2c.db.password", EmbeddedDatabase.PASSWORD);
            // Used only with the config profile "salesforce" (QUARKUS_PROFILE=prod,salesforce): the CRM is the simulator.
            values.put("q2c.salesforce.login-url", salesforce.loginUrl());
            values.put("q2c.salesforce.client-id", Settings.defaults().clientId());
            values.put("q2c.salesforce.client-secret", Settings.defaults().clientSecret());
            values.put("q2c.salesforce.pub-sub-host", salesforce.pubSubHost());
            values.put("q2c.salesforce.pub-sub-port", String.valueOf(salesforce.pubSubPort()));
            values.put("q2c.sandbox.salesforce.plain-text-pub-sub", "true");
            values.forEach(System::setProperty);
            System.setProperty(STARTED_FLAG, "true");
            LOG.infof("sandbox: Kafka at %s, PostgreSQL at %s and the Salesforce simulator at %s (Pub/Sub port %d) started in %d ms",
                    broker.bootstrapServers(), database.jdbcUrl(), salesforce.loginUrl(), salesforce.pubSubPort(),
                    (System.nanoTime() - begin) / 1_000_000);
            return values;
        } catch (RuntimeException | IOException e) {
            throw new IllegalStateException("the sandbox (embedded Kafka, PostgreSQL, Salesforce simulator) could not start: "
                    + e.getMessage(), e);
        }
    }

    private static Map<String, String> fromSystemProperties() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : SandboxConfigSource.KEYS) {
            values.put(key, System.getProperty(key));
        }
        return values;
    }

    private static AutoCloseable[] running = new AutoCloseable[0];

    private static void stopAfterQuarkus(AutoCloseable... services) {
        running = services;
    }

    /** The Salesforce simulator of this sandbox; empty after a dev-mode restart (it lives in the first class loader). */
    static Optional<SalesforceSimulator> salesforce() {
        return Optional.ofNullable(salesforce);
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
