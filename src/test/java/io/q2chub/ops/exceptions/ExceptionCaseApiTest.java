package io.q2chub.ops.exceptions;

import static io.q2chub.testing.CanonicalSamples.customer;
import static io.q2chub.testing.CanonicalSamples.customerChangedHeaders;
import static io.q2chub.testing.CanonicalSamples.newId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The exception-case API on the real broker and database: cases parked by the real routes are found, shown,
 * replayed through the same idempotent capability (which resolves them), discarded and assigned, by the right role.
 */
@QuarkusTest
@QuarkusTestResource(HubTestServices.class)
class ExceptionCaseApiTest {

    static final String CUSTOMER_TOPIC = "q2c.customer.v1";
    static final String LEDGER = "transaction-ledger";
    static final String API = "/api/exception-cases";

    @Inject
    AgroalDataSource db;

    @Inject
    ObjectMapper json;

    @TestHTTPResource(value = "openapi", management = true)
    URL openApi;

    @Test
    void withoutCredentialsTheApiAnswers401AndTheOtherEndpointsStayOpen() {
        given().get(API).then().statusCode(401);
        given().contentType("application/json").post(API + "/replay").then().statusCode(401);
        // Open without credentials: an unknown id is the ledger's own 404 naming it, not a 401.
        String unknown = "nothing-" + UUID.randomUUID();
        given().get("/api/ledger/" + unknown).then().statusCode(404)
                .body("query", equalTo(unknown))
                .body("message", containsString("no business transaction knows '" + unknown));
    }

    @Test
    void parkedRecordIsListedFilteredAndShownWithPayloadHeadersAndHistory() {
        Parked parked = parkSchemaInvalidCustomer();

        as("viewer").queryParam("capability", LEDGER).queryParam("q", parked.customerId())
                .queryParam("status", "OPEN").queryParam("class", "POISON").queryParam("system", "hub")
                .get(API).then().statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].id", equalTo((int) parked.caseId()))
                .body("items[0].errorCode", equalTo("SCHEMA_INVALID"))
                .body("items[0].eventId", equalTo(parked.eventId()))
                .body("items[0].sourceTopic", equalTo(CUSTOMER_TOPIC))
                .body("items[0]", not(hasKey("payload")));
        // Each filter really filters: another status, class or a minimum age the case has not reached finds nothing.
        as("viewer").queryParam("q", parked.customerId()).queryParam("status", "RESOLVED").get(API)
                .then().statusCode(200).body("total", equalTo(0));
        as("viewer").queryParam("q", parked.customerId()).queryParam("class", "BUSINESS").get(API)
                .then().statusCode(200).body("total", equalTo(0));
        as("viewer").queryParam("q", parked.customerId()).queryParam("minAgeMinutes", 60).get(API)
                .then().statusCode(200).body("total", equalTo(0));
        // Both capabilities consuming the topic parked it; without the capability filter both are found.
        as("viewer").queryParam("q", parked.customerId()).get(API)
                .then().statusCode(200).body("total", equalTo(2));
        as("viewer").queryParam("sort", "bogus").get(API).then().statusCode(400).body("violations[0]", containsString("sort"));

        as("viewer").get(API + "/" + parked.caseId()).then().statusCode(200)
                .body("summary.status", equalTo("OPEN"))
                .body("payload.encoding", equalTo("utf-8"))
                .body("payload.content", containsString("\"billingCountry\":\"usa\""))
                .body("headers.ce_id", equalTo(parked.eventId()))
                .body("headers.ce_subject", equalTo(parked.customerId()))
                .body("history.action", contains("PARKED"))
                .body("history[0].actor", equalTo("q2c-hub"));
        as("viewer").get(API + "/999999999").then().statusCode(404);
    }

    @Test
    void viewerCannotReplayDiscardOrAssign() {
        Parked parked = parkSchemaInvalidCustomer();

        as("viewer").contentType("application/json").body("{}").post(API + "/" + parked.caseId() + "/replay").then().statusCode(403);
        as("viewer").contentType("application/json").body("{\"reason\":\"noise\"}").post(API + "/" + parked.caseId() + "/discard").then().statusCode(403);
        as("viewer").contentType("application/json").body("{\"owner\":\"me\"}").post(API + "/" + parked.caseId() + "/assign").then().statusCode(403);
        as("viewer").queryParam("q", parked.customerId()).post(API + "/replay").then().statusCode(403);

        as("viewer").get(API + "/" + parked.caseId()).then().statusCode(200)
                .body("summary.status", equalTo("OPEN")).body("history.action", contains("PARKED"));
    }

    @Test
    void operatorReplaysWithAnEditedPayloadAndTheLedgerResolvesTheCase() {
        Parked parked = parkSchemaInvalidCustomer();
        String fixed = new String(customer(parked.customerId(), "Globex"), StandardCharsets.UTF_8);

        as("operator").contentType("application/json").body("{\"payload\":" + fixed + "}")
                .post(API + "/" + parked.caseId() + "/replay").then().statusCode(200).body("status", equalTo("REPLAYING"));

        await().atMost(Duration.ofSeconds(30)).until(() -> "RESOLVED".equals(statusOf(parked.caseId())));
        assertThat(milestones(parked.eventId())).isEqualTo(1);
        as("viewer").get(API + "/" + parked.caseId()).then().statusCode(200)
                .body("history.action", contains("PARKED", "EDITED", "REPLAYED", "RESOLVED"))
                .body("history[1].actor", equalTo("operator"))
                .body("history[1].detail", containsString("\"billingCountry\":\"US\""))
                .body("history[2].actor", equalTo("operator"));
        // A resolved case is not replayed again.
        as("operator").contentType("application/json").body("{}")
                .post(API + "/" + parked.caseId() + "/replay").then().statusCode(409).body("error", containsString("RESOLVED"));
        assertThat(milestones(parked.eventId())).isEqualTo(1);
    }

    @Test
    void replayingAPayloadThatStillFailsParksItAgainOnTheSameCase() {
        Parked parked = parkSchemaInvalidCustomer();

        as("operator").contentType("application/json").body("{}")
                .post(API + "/" + parked.caseId() + "/replay").then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> query(
                "SELECT action FROM exception_case_history WHERE case_id = ?", parked.caseId()).size() == 3);
        as("viewer").get(API + "/" + parked.caseId()).then().statusCode(200)
                .body("summary.status", equalTo("OPEN"))
                .body("summary.occurrences", equalTo(2))
                .body("history.action", contains("PARKED", "REPLAYED", "PARKED"))
                .body("history[2].detail", containsString("the replay failed again"));
        assertThat(milestones(parked.eventId())).isZero();
    }

    @Test
    void anEditedPayloadThatViolatesTheSchemaIsRefusedNamingTheViolationsAndNothingIsSent() {
        Parked parked = parkSchemaInvalidCustomer();

        as("operator").contentType("application/json")
                .body("{\"payload\":{\"id\":\"" + parked.customerId() + "\",\"status\":\"ACTIVE\",\"billingCountry\":\"usa\"}}")
                .post(API + "/" + parked.caseId() + "/replay").then().statusCode(400)
                .body("error", containsString("q2c.customer.changed.v1"))
                .body("violations", hasItem(containsString("name")))
                .body("violations", hasItem(containsString("billingCountry")));

        as("viewer").get(API + "/" + parked.caseId()).then().statusCode(200)
                .body("summary.status", equalTo("OPEN")).body("history.action", contains("PARKED"));
        assertThat(KafkaTestClient.readAll(CUSTOMER_TOPIC)).noneMatch(
                r -> Long.toString(parked.caseId()).equals(KafkaTestClient.header(r, CaseReplay.REPLAYED_CASE)));
        assertThat(milestones(parked.eventId())).isZero();
    }

    @Test
    void discardNeedsAReasonAndADiscardedCaseIsNotReplayed() {
        Parked parked = parkSchemaInvalidCustomer();
        String url = API + "/" + parked.caseId();

        as("operator").contentType("application/json").body("{}").post(url + "/discard")
                .then().statusCode(400).body("error", containsString("reason"));
        as("operator").contentType("application/json").body("{\"reason\":\" \"}").post(url + "/discard").then().statusCode(400);
        assertThat(statusOf(parked.caseId())).isEqualTo("OPEN");

        as("operator").contentType("application/json").body("{\"reason\":\"test record from a sandbox org\"}")
                .post(url + "/discard").then().statusCode(200)
                .body("summary.status", equalTo("DISCARDED"))
                .body("discardReason", equalTo("test record from a sandbox org"))
                .body("history.action", contains("PARKED", "DISCARDED"))
                .body("history[1].actor", equalTo("operator"));
        as("operator").contentType("application/json").body("{}").post(url + "/replay")
                .then().statusCode(409).body("error", containsString("DISCARDED"));
        as("operator").contentType("application/json").body("{\"reason\":\"again\"}").post(url + "/discard").then().statusCode(409);
    }

    @Test
    void assignSetsTheOwnerAndRecordsWhoDidIt() {
        Parked parked = parkSchemaInvalidCustomer();
        String url = API + "/" + parked.caseId();

        as("operator").contentType("application/json").body("{}").post(url + "/assign").then().statusCode(400);
        as("operator").contentType("application/json").body("{\"owner\":\"ar-team\"}").post(url + "/assign")
                .then().statusCode(200)
                .body("summary.owner", equalTo("ar-team"))
                .body("history.action", contains("PARKED", "ASSIGNED"))
                .body("history[1].detail", equalTo("ar-team"))
                .body("history[1].actor", equalTo("operator"));
    }

    @Test
    void aCaseParkedFromHttpIngressHasNoTopicAndIsNotReplayed() {
        String eventId = newId("evt");
        given().contentType("application/json")
                .header("ce-specversion", "1.0").header("ce-type", "q2c.customer.changed.v1")
                .header("ce-source", "/test/crm").header("ce-id", eventId)
                .body("{\"id\":\"" + newId("cust") + "\",\"status\":\"ACTIVE\"}")
                .post("/api/events").then().statusCode(400);
        long caseId = Long.parseLong(query("SELECT id FROM exception_case WHERE event_id = ?", eventId).get(0));

        as("operator").contentType("application/json").body("{}").post(API + "/" + caseId + "/replay")
                .then().statusCode(409).body("error", containsString("HTTP ingress"));
        assertThat(statusOf(caseId)).isEqualTo("OPEN");
    }

    /**
     * Twenty cases whose cause has since been fixed (inserted as the dead-letter path would have parked them, with
     * valid payloads), replayed with one call: each is recorded once and resolved, and a second call finds none.
     */
    @Test
    void bulkReplayReplaysEveryMatchingOpenCaseOnce() throws Exception {
        String batch = "bulk-" + UUID.randomUUID();
        List<String> eventIds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String eventId = newId("evt");
            eventIds.add(eventId);
            insertFixedCase(batch + "-" + i, eventId);
        }

        // Paging over the batch: 20 in total, in pages of 7.
        as("viewer").queryParam("q", batch).queryParam("size", 7).queryParam("sort", "firstSeen").queryParam("order", "asc")
                .get(API).then().statusCode(200).body("total", equalTo(20)).body("items.size()", equalTo(7))
                .body("items[0].businessKey", equalTo(batch + "-0"));
        as("viewer").queryParam("q", batch).queryParam("size", 7).queryParam("page", 2).get(API)
                .then().statusCode(200).body("total", equalTo(20)).body("items.size()", equalTo(6));
        as("viewer").queryParam("q", batch).queryParam("size", 1000).get(API)
                .then().statusCode(200).body("size", equalTo(200)).body("items.size()", equalTo(20));

        as("operator").queryParam("q", batch).queryParam("capability", LEDGER).post(API + "/replay")
                .then().statusCode(200).body("matched", equalTo(20)).body("replayed", equalTo(20));

        // The replayed records reach customer-onboarding too (it consumes the same topic), which parks its own cases
        // for them: only the ledger's cases are asserted here.
        await().atMost(Duration.ofSeconds(60)).until(() -> query(
                "SELECT status FROM exception_case WHERE capability = 'transaction-ledger' AND business_key LIKE ?", batch + "-%").stream().allMatch("RESOLVED"::equals));
        for (String eventId : eventIds) {
            assertThat(milestones(eventId)).as("ledger records of %s", eventId).isEqualTo(1);
        }
        as("operator").queryParam("q", batch).queryParam("capability", LEDGER).post(API + "/replay")
                .then().statusCode(200).body("matched", equalTo(0)).body("replayed", equalTo(0));
        as("viewer").queryParam("q", batch).queryParam("capability", LEDGER).get(API).then().statusCode(200)
                .body("total", equalTo(20))
                .body("items.status", everyItem(equalTo("RESOLVED")));
    }

    @Test
    void openApiDocumentDescribesTheApiOnTheManagementPort() {
        given().get(openApi).then().statusCode(200)
                .body(containsString("/api/exception-cases/{id}/replay"))
                .body(containsString("/api/exception-cases/replay"));
    }

    private record Parked(long caseId, String eventId, String customerId) {
    }

    /** A customer.changed record whose billingCountry violates the schema, parked by the real ledger route. */
    private Parked parkSchemaInvalidCustomer() {
        String eventId = newId("evt");
        String customerId = newId("cust");
        byte[] badCountry = """
                {"id":"%s","name":"Globex","legalEntity":"US01","billingCountry":"usa","currency":"USD","status":"ACTIVE"}"""
                .formatted(customerId).getBytes(StandardCharsets.UTF_8);
        KafkaTestClient.send(CUSTOMER_TOPIC, null, customerId, badCountry, customerChangedHeaders(eventId, customerId));
        String sql = "SELECT id FROM exception_case WHERE event_id = ? AND capability = '" + LEDGER + "'";
        await().atMost(Duration.ofSeconds(30)).until(() -> !query(sql, eventId).isEmpty());
        return new Parked(Long.parseLong(query(sql, eventId).get(0)), eventId, customerId);
    }

    private void insertFixedCase(String customerId, String eventId) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO exception_case (fingerprint, capability, system, business_key, event_id, event_type,
                    failure_class, error_code, error_message, payload, headers, source_topic)
                VALUES (?, ?, 'erp', ?, ?, 'q2c.customer.changed.v1', 'BUSINESS', 'MAPPING_MISSING',
                    'no mapping (added since)', ?, ?::jsonb, ?)""")) {
            ps.setString(1, UUID.randomUUID().toString());
            ps.setString(2, LEDGER);
            ps.setString(3, customerId);
            ps.setString(4, eventId);
            ps.setBytes(5, customer(customerId, "Bulk Ltd"));
            ps.setString(6, json.writeValueAsString(customerChangedHeaders(eventId, customerId)));
            ps.setString(7, CUSTOMER_TOPIC);
            ps.executeUpdate();
        }
    }

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user + "-sandbox");
    }

    private String statusOf(long caseId) {
        return query("SELECT status FROM exception_case WHERE id = ?", caseId).get(0);
    }

    private long milestones(String eventId) {
        return Long.parseLong(query("SELECT count(*) FROM ledger_milestone WHERE event_id = ?", eventId).get(0));
    }

    private List<String> query(String sql, Object param) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            return rows;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
