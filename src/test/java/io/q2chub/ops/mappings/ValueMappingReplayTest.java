package io.q2chub.ops.mappings;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.agroal.api.AgroalDataSource;
import io.q2chub.ops.exceptions.CaseReplay;
import io.q2chub.sandbox.netsuite.CustomerRecord;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.stripe.StoredCustomer;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.q2chub.testing.CanonicalSamples;
import io.q2chub.testing.ErpAndBillingSimulators;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.KafkaTestClient;
import io.q2chub.testing.Sql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's "missing mapping" scenarios on the real broker, database, YAML route and simulators: customers of a legal
 * entity NetSuite has (IE01, subsidiary 6) but no configuration maps are parked as one case each; an operator adds the
 * mapping through /api/mappings while the hub runs, replays, and each customer exists exactly once in ERP and billing.
 */
@QuarkusTest
@QuarkusTestResource(HubTestServices.class)
@WithTestResource(ErpAndBillingSimulators.class)
class ValueMappingReplayTest {

    private static final Logger LOG = Logger.getLogger(ValueMappingReplayTest.class);
    static final String TOPIC = "q2c.customer.v1";
    static final String IRELAND = "/api/mappings/netsuite/subsidiary/IE01";
    static final String IRISH_SUBSIDIARY = "6";
    static final String UNMAPPED = "NETSUITE_UNMAPPED_SUBSIDIARY";

    @ErpAndBillingSimulators.Simulator
    NetSuiteSimulator netsuite;

    @ErpAndBillingSimulators.Simulator
    StripeSimulator stripe;

    @Inject
    AgroalDataSource db;

    /** Each scenario starts with IE01 unmapped, as an operator would have removed it. */
    @BeforeEach
    void irelandIsNotMapped() {
        int status = as("operator").delete(IRELAND).statusCode();
        assertThat(status).isIn(204, 404);
    }

    @Test
    void aMissingMappingIsOneCaseAndAfterTheMappingIsAddedOneReplayResolvesItWithExactlyOneErpRecord() {
        String customerId = CanonicalSamples.newId("cust");
        send(producer -> {
            producer.accept(change(customerId, "Dublin Widgets Ltd"));
            producer.accept(change(customerId, "Dublin Widgets Limited"));
        });

        // The same failure of the same customer twice: one case, counted twice; nothing reached ERP or billing.
        await().atMost(Duration.ofSeconds(30)).until(() -> "2".equals(caseColumn("occurrences", customerId)));
        assertThat(Sql.count(db, "SELECT count(*) FROM exception_case WHERE business_key = ?", customerId)).isEqualTo(1);
        assertThat(caseColumn("status", customerId)).isEqualTo("OPEN");
        assertThat(caseColumn("error_code", customerId)).isEqualTo(UNMAPPED);
        assertThat(caseColumn("error_message", customerId)).contains("IE01", "PUT /api/mappings/netsuite/subsidiary/IE01");
        assertThat(netsuite.customer(customerId)).isEmpty();
        assertThat(stripe.createCalls(customerId)).isZero();
        long caseId = Long.parseLong(caseColumn("id", customerId));

        // Only an operator adds a mapping; the change is audited with the user.
        as("viewer").contentType("application/json").body("{\"target\":\"6\"}").put(IRELAND).then().statusCode(403);
        as("operator").contentType("application/json").body("{\"target\":\"" + IRISH_SUBSIDIARY + "\"}").put(IRELAND)
                .then().statusCode(200).body("target", equalTo(IRISH_SUBSIDIARY)).body("origin", equalTo("operator"))
                .body("updatedBy", equalTo("operator"));
        as("viewer").queryParam("system", "netsuite").queryParam("kind", "subsidiary").get("/api/mappings")
                .then().statusCode(200).body("items.code", hasItem("IE01")).body("items.code", hasItem("US01"))
                .body("kinds.netsuite", hasItem("subsidiary"));
        as("viewer").get(IRELAND + "/history").then().statusCode(200)
                .body("[-1].action", equalTo("SET")).body("[-1].actor", equalTo("operator"))
                .body("[-1].newTarget", equalTo(IRISH_SUBSIDIARY));

        as("operator").contentType("application/json").body("{}").post("/api/exception-cases/" + caseId + "/replay")
                .then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> "RESOLVED".equals(caseColumn("status", customerId)));
        CustomerRecord erp = await().atMost(Duration.ofSeconds(10)).until(() -> netsuite.customer(customerId),
                Optional::isPresent).orElseThrow();
        assertThat(erp.subsidiaryId()).isEqualTo(IRISH_SUBSIDIARY);
        assertThat(erp.companyName()).isEqualTo("Dublin Widgets Limited");
        assertThat(netsuite.customers()).filteredOn(c -> customerId.equals(c.externalId())).hasSize(1);
        assertThat(erp.writes()).isEqualTo(1);
        assertThat(billingCustomers(customerId)).hasSize(1);
        assertThat(stripe.createCalls(customerId)).isEqualTo(1);

        // A resolved case is not replayed again, and nothing more is posted anywhere.
        as("operator").contentType("application/json").body("{}").post("/api/exception-cases/" + caseId + "/replay")
                .then().statusCode(409).body("error", containsString("RESOLVED"));
        assertThat(KafkaTestClient.readAll(TOPIC)).filteredOn(
                r -> Long.toString(caseId).equals(KafkaTestClient.header(r, CaseReplay.REPLAYED_CASE))).hasSize(1);
        assertThat(netsuite.customer(customerId).orElseThrow().writes()).isEqualTo(1);
        assertThat(stripe.createCalls(customerId)).isEqualTo(1);
        assertThat(Sql.count(db, "SELECT count(*) FROM exception_case WHERE business_key = ?", customerId)).isEqualTo(1);
    }

    @Test
    void fiveHundredParkedCustomersAreReplayedByOneBulkReplayAndEachIsPostedOnce() {
        int customers = 500;
        String batch = "bulk" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = IntStream.range(0, customers).mapToObj(i -> "cust-" + batch + "-" + i).toList();

        long parkStart = System.nanoTime();
        send(producer -> ids.forEach(id -> producer.accept(change(id, "Bulk " + id))));
        await().atMost(Duration.ofSeconds(180)).until(() -> casesOfBatch(batch, "OPEN") == customers);
        long parkMillis = millisSince(parkStart);
        assertThat(netsuite.customers()).noneMatch(c -> c.externalId() != null && c.externalId().contains(batch));

        as("operator").contentType("application/json").body("{\"target\":\"" + IRISH_SUBSIDIARY + "\"}").put(IRELAND)
                .then().statusCode(200);

        long replayStart = System.nanoTime();
        as("operator").queryParam("capability", "customer-onboarding").queryParam("class", "BUSINESS")
                .queryParam("q", batch).post("/api/exception-cases/replay")
                .then().statusCode(200).body("matched", equalTo(customers)).body("replayed", equalTo(customers));
        long requestMillis = millisSince(replayStart);
        await().atMost(Duration.ofSeconds(180)).until(() -> casesOfBatch(batch, "RESOLVED") == customers);
        long resolvedMillis = millisSince(replayStart);
        LOG.infof("500-case bulk replay: parked in %d ms; replay request answered in %d ms (%.0f cases/s sent);"
                + " all resolved %d ms after the request (%.0f cases/s end to end)", parkMillis, requestMillis,
                customers * 1000.0 / requestMillis, resolvedMillis, customers * 1000.0 / resolvedMillis);

        // Each customer exactly once in the ERP (one write) and in billing; no case was added or left open.
        Map<String, List<CustomerRecord>> erp = netsuite.customers().stream()
                .filter(c -> c.externalId() != null && c.externalId().contains(batch))
                .collect(Collectors.groupingBy(CustomerRecord::externalId));
        assertThat(erp.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(erp.values()).allSatisfy(records -> {
            assertThat(records).hasSize(1);
            assertThat(records.get(0).writes()).isEqualTo(1);
            assertThat(records.get(0).subsidiaryId()).isEqualTo(IRISH_SUBSIDIARY);
        });
        assertThat(ids).allSatisfy(id -> assertThat(stripe.createCalls(id)).isEqualTo(1));
        assertThat(Sql.count(db, "SELECT count(*) FROM exception_case WHERE business_key LIKE ?", "cust-" + batch + "-%"))
                .isEqualTo(customers);
        assertThat(casesOfBatch(batch, "OPEN")).isZero();
        as("operator").queryParam("capability", "customer-onboarding").queryParam("q", batch)
                .post("/api/exception-cases/replay").then().statusCode(200).body("matched", equalTo(0));
    }

    @Test
    void onlyKnownKindsCanBeSetAndAnOperatorsRemovalIsAudited() {
        as("operator").contentType("application/json").body("{\"target\":\"9\"}").put("/api/mappings/netsuite/subsidary/IE01")
                .then().statusCode(400).body("error", containsString("unknown mapping kind"));
        as("operator").contentType("application/json").body("{}").put(IRELAND)
                .then().statusCode(400).body("violations[0]", containsString("target"));
        given().get("/api/mappings").then().statusCode(401);

        as("operator").contentType("application/json").body("{\"target\":\"6\"}").put(IRELAND).then().statusCode(200);
        as("operator").delete(IRELAND).then().statusCode(204);
        as("operator").delete(IRELAND).then().statusCode(404);
        as("viewer").get("/api/mappings").then().statusCode(200).body("items.code", not(hasItem("IE01")));
        as("viewer").get(IRELAND + "/history").then().statusCode(200)
                .body("[-1].action", equalTo("REMOVED")).body("[-1].oldTarget", equalTo("6"))
                .body("[-1].actor", equalTo("operator"));
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user + "-sandbox");
    }

    /** A customer.changed event of an Irish customer (EUR, no tax id required), as the CRM ingress publishes it. */
    private static ProducerRecord<String, byte[]> change(String customerId, String name) {
        String crmId = "001" + String.format("%012x", customerId.hashCode() & 0xffffffffL);
        String json = """
                {"id":"%s","name":"%s","billingCountry":"IE","currency":"EUR","email":"ap@example.ie","status":"ACTIVE",
                 "externalIds":{"crm":"%s"}}""".formatted(customerId, name, crmId);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(TOPIC, customerId, json.getBytes(StandardCharsets.UTF_8));
        Map<String, String> headers = new HashMap<>(CanonicalSamples.customerChangedHeaders(CanonicalSamples.newId("evt"), customerId));
        headers.put("q2c-change-type", "UPDATE");
        headers.put("q2c-source-role", "crm");
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    interface Batch {
        void sendAll(Consumer<ProducerRecord<String, byte[]>> producer) throws Exception;
    }

    /** One producer for the whole batch, every record acknowledged before returning. */
    private static void send(Batch batch) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestClient.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            batch.sendAll(record -> sent.add(producer.send(record)));
            for (Future<RecordMetadata> ack : sent) {
                ack.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String caseColumn(String column, String customerId) {
        return Sql.first(db, "SELECT " + column + " FROM exception_case WHERE capability = 'customer-onboarding'"
                + " AND business_key = ? ORDER BY id DESC LIMIT 1", customerId).orElse(null);
    }

    private long casesOfBatch(String batch, String status) {
        return Sql.count(db, "SELECT count(*) FROM exception_case WHERE capability = 'customer-onboarding'"
                + " AND status = '" + status + "' AND business_key LIKE ?", "cust-" + batch + "-%");
    }

    private List<StoredCustomer> billingCustomers(String customerId) {
        return stripe.customers().stream().filter(c -> customerId.equals(c.metadata().get("canonical_id"))).toList();
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
