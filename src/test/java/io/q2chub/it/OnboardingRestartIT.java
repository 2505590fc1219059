package io.q2chub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.q2chub.sandbox.EmbeddedDatabase;
import io.q2chub.sandbox.EmbeddedKafka;
import io.q2chub.sandbox.SandboxSimulators;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.q2chub.testing.CanonicalSamples;
import io.q2chub.testing.HubProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The hub is SIGKILLed while it onboards a batch of customers and started again: every customer ends up exactly
 * once in the ERP and in billing. Broker, database and simulators live in this test JVM so they outlive the hub.
 */
class OnboardingRestartIT {

    private static final int CUSTOMERS = 40;

    @Test
    void killedMidFlowAndRestartedEveryCustomerExistsExactlyOnceInErpAndBilling() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             EmbeddedDatabase db = EmbeddedDatabase.start();
             NetSuiteSimulator netsuite = NetSuiteSimulator.start(NetSuiteSimulator.Settings.sandbox());
             StripeSimulator stripe = StripeSimulator.start(SandboxSimulators.STRIPE_KEY, 1000)) {
            netsuite.latency(Duration.ofMillis(40));
            Map<String, String> env = Map.of(
                    "Q2C_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "Q2C_DB_URL", db.jdbcUrl(),
                    "Q2C_DB_USERNAME", EmbeddedDatabase.USER,
                    "Q2C_DB_PASSWORD", EmbeddedDatabase.PASSWORD);
            Map<String, String> connectors = new HashMap<>(SandboxSimulators.netsuite(netsuite, NetSuiteSimulator.Settings.sandbox()));
            // The claim of the event in flight at the kill is orphaned; a short lease lets the restart take it over soon.
            connectors.put("q2c.idempotency.lease", "PT10S");
            // The killed consumer keeps its partitions until the broker gives up on it; a short session hands them over sooner.
            connectors.put("camel.component.kafka.session-timeout-ms", "10000");
            connectors.putAll(SandboxSimulators.stripe(stripe, SandboxSimulators.STRIPE_KEY));

            List<String> customers = IntStream.range(0, CUSTOMERS).mapToObj(i -> "cust-" + UUID.randomUUID()).toList();
            send(kafka.bootstrapServers(), customers);

            try (HubProcess first = HubProcess.start(env, connectors)) {
                await().atMost(Duration.ofSeconds(90)).until(() -> netsuite.customers().size() >= CUSTOMERS / 4);
                first.kill();
            }
            int beforeRestart = netsuite.customers().size();
            assertThat(beforeRestart).isLessThan(CUSTOMERS);

            try (HubProcess second = HubProcess.start(env, connectors)) {
                await().atMost(Duration.ofSeconds(120)).until(() -> netsuite.customers().size() == CUSTOMERS
                        && stripe.customers().size() == CUSTOMERS);
            }
            assertThat(customers).allSatisfy(id -> {
                assertThat(netsuite.customers()).filteredOn(c -> id.equals(c.externalId())).hasSize(1);
                assertThat(stripe.customers()).filteredOn(c -> id.equals(c.metadata().get("canonical_id"))).hasSize(1);
            });
        }
    }

    private static void send(String bootstrapServers, List<String> customers) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (String id : customers) {
                String json = """
                        {"id":"%s","name":"Restart Co %s","billingCountry":"US","currency":"USD","taxId":"12-3456789",
                         "status":"ACTIVE","externalIds":{"crm":"001%s"}}""".formatted(id, id, id.substring(5, 17));
                ProducerRecord<String, byte[]> record = new ProducerRecord<>("q2c.customer.v1", id, json.getBytes(StandardCharsets.UTF_8));
                Map<String, String> headers = new LinkedHashMap<>(CanonicalSamples.customerChangedHeaders("evt-" + id, id));
                headers.put("q2c-source-role", "crm");
                headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                producer.send(record).get();
            }
        }
    }
}
