package io.q2chub.testing;

import io.q2chub.sandbox.EmbeddedDatabase;
import io.q2chub.sandbox.EmbeddedKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts what the hub needs for a test: a real Kafka broker in this JVM and a real PostgreSQL - embedded, or the
 * server named by Q2C_TEST_DB_URL (with Q2C_TEST_DB_USERNAME / Q2C_TEST_DB_PASSWORD) when a run wants one.
 */
public class HubTestServices implements QuarkusTestResourceLifecycleManager {

    /** The key the hub under test encrypts parked PII with. */
    public static final String PII_KEY = randomKey();

    private EmbeddedKafka kafka;
    private EmbeddedDatabase database;

    @Override
    public Map<String, String> start() {
        try {
            kafka = EmbeddedKafka.start();
            Map<String, String> config = new HashMap<>();
            config.put("q2c.kafka.bootstrap-servers", kafka.bootstrapServers());
            // A fresh key per run: parked PII is encrypted with it (there is no default; the hub refuses to start without).
            config.put("q2c.exceptions.pii-key", PII_KEY);
            String external = System.getenv("Q2C_TEST_DB_URL");
            if (external != null && !external.isBlank()) {
                config.put("q2c.db.url", external);
                config.put("q2c.db.username", System.getenv().getOrDefault("Q2C_TEST_DB_USERNAME", "postgres"));
                config.put("q2c.db.password", System.getenv().getOrDefault("Q2C_TEST_DB_PASSWORD", "postgres"));
            } else {
                database = EmbeddedDatabase.start();
                config.put("q2c.db.url", database.jdbcUrl());
                config.put("q2c.db.username", EmbeddedDatabase.USER);
                config.put("q2c.db.password", EmbeddedDatabase.PASSWORD);
            }
            return config;
        } catch (Exception e) {
            throw new IllegalStateException("test services did not start", e);
        }
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    @Override
    public void stop() {
        try {
            if (kafka != null) {
                kafka.close();
            }
            if (database != null) {
                database.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
