package io.q2chub.ops;

import static io.q2chub.testing.CanonicalSamples.customer;
import static io.q2chub.testing.CanonicalSamples.customerChangedHeaders;
import static io.q2chub.testing.CanonicalSamples.newId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.KafkaTestClient;
import io.q2chub.testing.Sql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Canonical events through the real YAML routes, on the real broker and database: the transaction-ledger
 * capability records valid events once, and the shared dead-letter path parks what is malformed or invalid.
 */
@QuarkusTest
@QuarkusTestResource(HubTestServices.class)
class CanonicalEventFlowTest {

    static final String CUSTOMER_TOPIC = "q2c.customer.v1";
    static final String DEAD_LETTER_TOPIC = "q2c.deadletter.v1";
    static final String LEDGER = "transaction-ledger";

    @Inject
    AgroalDataSource db;

    @Test
    void validEventPostedOverHttpIsPublishedAndRecordedInTheLedger() {
        String customerId = newId("cust");
        String eventId = given().contentType("application/json")
                .header("ce-specversion", "1.0")
                .header("ce-type", "q2c.customer.changed.v1")
                .header("ce-source", "/test/crm")
                .header("ce-id", newId("evt"))
                .body(customer(customerId, "Acme Corp"))
                .post("/api/events")
                .then().statusCode(202).body("topic", equalTo(CUSTOMER_TOPIC))
                .extract().path("id");

        await().atMost(Duration.ofSeconds(30)).until(() -> milestones(eventId) == 1);
        assertThat(query("SELECT business_key || '|' || milestone FROM ledger_milestone WHERE event_id = ?", eventId))
                .contains(customerId + "|q2c.customer.changed.v1");
        ConsumerRecord<String, byte[]> published = KafkaTestClient.readAll(CUSTOMER_TOPIC).stream()
                .filter(r -> eventId.equals(KafkaTestClient.header(r, "ce_id"))).findFirst().orElseThrow();
        assertThat(published.key()).isEqualTo(customerId);
        assertThat(KafkaTestClient.header(published, "ce_dataschema")).endsWith("/v1/customer.changed.json");
        // Transport headers of the HTTP request never reach the bus.
        assertThat(published.headers().lastHeader("User-Agent")).isNull();
    }

    @Test
    void schemaInvalidEventOverHttpIsRejectedNamingTheFieldAndNeverPublished() {
        String eventId = newId("evt");
        byte[] noName = """
                {"id":"%s","status":"ACTIVE"}""".formatted(newId("cust")).getBytes(StandardCharsets.UTF_8);
        given().contentType("application/json")
                .header("ce-specversion", "1.0").header("ce-type", "q2c.customer.changed.v1")
                .header("ce-source", "/test/crm").header("ce-id", eventId)
                .body(noName)
                .post("/api/events")
                .then().statusCode(400)
                .body("error", equalTo("POISON")).body("code", equalTo("SCHEMA_INVALID"))
                .body("message", containsString("name"));

        assertThat(caseOf(eventId)).hasValueSatisfying(c -> assertThat(c).contains("POISON", "SCHEMA_INVALID", "name"));
        assertThat(KafkaTestClient.readAll(CUSTOMER_TOPIC))
                .noneMatch(r -> eventId.equals(KafkaTestClient.header(r, "ce_id")));
    }

    @Test
    void malformedRecordLandsInTheDeadLetterTopicAndAsAnExceptionCaseWithItsRawBytes() {
        String eventId = newId("evt");
        String customerId = newId("cust");
        byte[] garbage = "{\"id\": \"broken".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new HashMap<>(customerChangedHeaders(eventId, customerId));
        headers.put("Authorization", "Bearer leaked-token-123");
        KafkaTestClient.send(CUSTOMER_TOPIC, null, customerId, garbage, headers);

        ConsumerRecord<String, byte[]> dead = awaitDeadLetter(eventId);
        assertThat(dead.value()).isEqualTo(garbage);
        assertThat(dead.key()).isEqualTo(customerId);
        assertThat(KafkaTestClient.header(dead, "q2c-error-class")).isEqualTo("POISON");
        assertThat(KafkaTestClient.header(dead, "q2c-failed-consumer")).isEqualTo("transaction-ledger");
        assertThat(KafkaTestClient.header(dead, "q2c-source-topic")).isEqualTo(CUSTOMER_TOPIC);
        assertThat(KafkaTestClient.header(dead, "ce_type")).isEqualTo("q2c.customer.changed.v1");

        assertThat(caseOf(eventId)).hasValueSatisfying(c -> assertThat(c).contains("POISON", "transaction-ledger"));
        assertThat(query("SELECT encode(payload, 'escape') FROM exception_case WHERE event_id = ? AND capability = 'transaction-ledger'", eventId))
                .contains(new String(garbage, StandardCharsets.UTF_8));
        // A credential that came with the record is kept neither in the case nor on the dead-letter topic.
        assertThat(query("SELECT headers::text FROM exception_case WHERE event_id = ? AND capability = 'transaction-ledger'", eventId))
                .contains("\"Authorization\": \"[REDACTED]\"").doesNotContain("leaked-token-123");
        assertThat(dead.headers().lastHeader("Authorization")).isNull();
        assertThat(milestones(eventId)).isZero();
    }

    @Test
    void schemaInvalidRecordOnTheBusIsParkedWithTheValidationErrors() {
        String eventId = newId("evt");
        String customerId = newId("cust");
        byte[] badCountry = """
                {"id":"%s","name":"Globex","billingCountry":"usa","status":"ACTIVE"}"""
                .formatted(customerId).getBytes(StandardCharsets.UTF_8);
        KafkaTestClient.send(CUSTOMER_TOPIC, null, customerId, badCountry, customerChangedHeaders(eventId, customerId));

        ConsumerRecord<String, byte[]> dead = awaitDeadLetter(eventId);
        assertThat(KafkaTestClient.header(dead, "q2c-error-code")).isEqualTo("SCHEMA_INVALID");
        assertThat(KafkaTestClient.header(dead, "q2c-error-message")).contains("billingCountry");
        assertThat(caseOf(eventId)).hasValueSatisfying(c -> assertThat(c).contains("SCHEMA_INVALID", "billingCountry"));
        assertThat(milestones(eventId)).isZero();
    }

    @Test
    void recordWithoutCloudEventsHeadersIsParkedNamingTheMissingAttributes() {
        String customerId = newId("cust");
        KafkaTestClient.send(CUSTOMER_TOPIC, null, customerId, customer(customerId, "No Envelope Ltd"), Map.of());

        await().atMost(Duration.ofSeconds(30)).until(() -> !query(
                "SELECT error_message FROM exception_case WHERE business_key = ? AND capability = 'transaction-ledger'", customerId).isEmpty());
        assertThat(query("SELECT error_code || ': ' || error_message FROM exception_case WHERE business_key = ? AND capability = 'transaction-ledger'", customerId))
                .contains("ENVELOPE_INVALID").contains("ce_id").contains("ce_type");
    }

    @Test
    void sameEventDeliveredThreeTimesIsRecordedOnce() {
        String eventId = newId("evt");
        String customerId = newId("cust");
        for (int i = 0; i < 3; i++) {
            KafkaTestClient.send(CUSTOMER_TOPIC, null, customerId, customer(customerId, "Initech"),
                    customerChangedHeaders(eventId, customerId));
        }
        // A later event on the same partition proves the three copies have all been consumed.
        String marker = newId("evt");
        KafkaTestClient.send(CUSTOMER_TOPIC, null, customerId, customer(customerId, "Initech"),
                customerChangedHeaders(marker, customerId));

        await().atMost(Duration.ofSeconds(30)).until(() -> milestones(marker) == 1);
        assertThat(milestones(eventId)).isEqualTo(1);
    }

    @Test
    void sameEventRacingOnTwoConsumersIsRecordedOnce() {
        String eventId = newId("evt");
        String customerId = newId("cust");
        String markerA = newId("evt");
        String markerB = newId("evt");
        // Copies on two partitions are consumed by two consumer threads of the group at the same time.
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> KafkaTestClient.send(CUSTOMER_TOPIC, 0, customerId,
                customer(customerId, "Umbrella"), customerChangedHeaders(eventId, customerId)));
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> KafkaTestClient.send(CUSTOMER_TOPIC, 1, customerId,
                customer(customerId, "Umbrella"), customerChangedHeaders(eventId, customerId)));
        CompletableFuture.allOf(a, b).join();
        KafkaTestClient.send(CUSTOMER_TOPIC, 0, customerId, customer(customerId, "Umbrella"), customerChangedHeaders(markerA, customerId));
        KafkaTestClient.send(CUSTOMER_TOPIC, 1, customerId, customer(customerId, "Umbrella"), customerChangedHeaders(markerB, customerId));

        await().atMost(Duration.ofSeconds(30)).until(() -> milestones(markerA) == 1 && milestones(markerB) == 1);
        assertThat(milestones(eventId)).isEqualTo(1);
    }

    /** The dead letter the ledger capability wrote (other capabilities consuming the topic park their own). */
    private ConsumerRecord<String, byte[]> awaitDeadLetter(String eventId) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> KafkaTestClient.readAll(DEAD_LETTER_TOPIC).stream()
                        .filter(r -> eventId.equals(KafkaTestClient.header(r, "ce_id")))
                        .filter(r -> LEDGER.equals(KafkaTestClient.header(r, "q2c-failed-consumer"))).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    private long milestones(String eventId) {
        return Long.parseLong(query("SELECT count(*) FROM ledger_milestone WHERE event_id = ?", eventId));
    }

    private Optional<String> caseOf(String eventId) {
        String row = query("""
                SELECT failure_class || ' ' || error_code || ' ' || capability || ' ' || error_message
                  FROM exception_case WHERE event_id = ? AND capability IN ('transaction-ledger', 'canonical-event-ingress')""", eventId);
        return row.isEmpty() ? Optional.empty() : Optional.of(row);
    }

    private String query(String sql, String param) {
        return Sql.first(db, sql, param).orElse("");
    }
}
