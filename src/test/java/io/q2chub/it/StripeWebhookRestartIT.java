package io.q2chub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.q2chub.sandbox.EmbeddedDatabase;
import io.q2chub.sandbox.EmbeddedKafka;
import io.q2chub.sandbox.SandboxSimulators;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.q2chub.testing.HubProcess;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A Stripe webhook processed by one hub process and delivered again to a new one after a restart is acknowledged
 * and dropped: "once per Stripe event" lives in PostgreSQL, not in the process.
 */
class StripeWebhookRestartIT {

    private static final String SECRET = "whsec_restart_it_0001";

    @Test
    void aWebhookRedeliveredAfterARestartPublishesNothingNew() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             EmbeddedDatabase db = EmbeddedDatabase.start();
             StripeSimulator stripe = StripeSimulator.start(SandboxSimulators.STRIPE_KEY, 1000)) {
            Map<String, String> env = Map.of(
                    "Q2C_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "Q2C_DB_URL", db.jdbcUrl(),
                    "Q2C_DB_USERNAME", EmbeddedDatabase.USER,
                    "Q2C_DB_PASSWORD", EmbeddedDatabase.PASSWORD,
                    // The hub refuses to start without the key it encrypts parked PII with.
                    "Q2C_EXCEPTION_PII_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]));
            Map<String, String> settings = new HashMap<>(SandboxSimulators.stripe(stripe, SandboxSimulators.STRIPE_KEY));
            settings.put("q2c.stripe.webhook-secrets", SECRET);
            stripe.webhooks().retries(Duration.ofMillis(500), 20);
            String customer = "cus_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
            String invoiceId;
            String eventId;

            try (HubProcess first = HubProcess.start(env, settings)) {
                link(db, customer, "cust-restart-1");
                stripe.webhooks().endpoint(first.url("/webhooks/stripe"), SECRET);
                invoiceId = (String) stripe.createInvoice("""
                        {"customer":"%s","currency":"usd","lines":[{"description":"Seats","quantity":1,"unitAmount":5000,
                         "sku":"SEAT","tax":{"percentage":"10","jurisdiction":"US-NY"}}]}""".formatted(customer)).get("id");
                eventId = stripe.webhooks().eventId("invoice.finalized", invoiceId);
                await().atMost(Duration.ofSeconds(60)).until(() -> successes(stripe, eventId) == 1);
            }

            try (HubProcess second = HubProcess.start(env, settings)) {
                stripe.webhooks().endpoint(second.url("/webhooks/stripe"), SECRET);
                stripe.webhooks().redeliver(eventId);
                await().atMost(Duration.ofSeconds(120)).until(() -> successes(stripe, eventId) == 2);
            }
            assertThat(records(kafka.bootstrapServers(), invoiceId)).hasSize(1);
        }
    }

    private static void link(EmbeddedDatabase db, String stripeCustomer, String canonical) throws Exception {
        // The hub migrates the schema at start; the link is what onboarding would have written.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.USER, EmbeddedDatabase.PASSWORD);
                 PreparedStatement ps = c.prepareStatement(
                         "INSERT INTO xref (system, object_type, external_id, canonical_id) VALUES ('stripe', 'customer', ?, ?)")) {
                ps.setString(1, stripeCustomer);
                ps.setString(2, canonical);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static long successes(StripeSimulator stripe, String eventId) {
        return stripe.webhooks().attempts().stream().filter(a -> a.eventId().equals(eventId) && a.status() == 200).count();
    }

    private static List<ConsumerRecord<String, byte[]>> records(String bootstrap, String invoiceId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> found = new java.util.ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("q2c.invoice.v1"));
            long deadline = System.currentTimeMillis() + 15_000;
            int idle = 0;
            while (idle < 3 && System.currentTimeMillis() < deadline) {
                var batch = consumer.poll(Duration.ofMillis(500));
                if (batch.isEmpty() && !consumer.assignment().isEmpty()) {
                    idle++;
                }
                batch.forEach(found::add);
            }
        }
        return found.stream()
                .filter(r -> r.headers().lastHeader("ce_type") != null && "q2c.invoice.issued.v1".equals(
                        new String(r.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8)))
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(invoiceId)).toList();
    }
}
