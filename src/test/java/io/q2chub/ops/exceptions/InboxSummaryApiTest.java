package io.q2chub.ops.exceptions;

import static io.q2chub.testing.CanonicalSamples.customer;
import static io.q2chub.testing.CanonicalSamples.customerChangedHeaders;
import static io.q2chub.testing.CanonicalSamples.newId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.q2chub.testing.HubTestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The inbox summary the console's tiles show, on the real database: open cases counted by class, capability, system
 * and age bucket (from first seen), settled cases left out, and each bucket listable with the same bounds.
 */
@QuarkusTest
@QuarkusTestResource(HubTestServices.class)
class InboxSummaryApiTest {

    static final String API = "/api/exception-cases";

    @Inject
    AgroalDataSource db;

    @Inject
    ObjectMapper json;

    @Test
    void openCasesAreCountedByClassCapabilitySystemAndAgeBucket() throws Exception {
        // A capability and a system of this test alone, so their counts are exact whatever else the inbox holds.
        String capability = "summary-test-" + UUID.randomUUID();
        String system = "sys-" + UUID.randomUUID();
        JsonPath before = summary("viewer");

        insertCase(capability, system, "BUSINESS", "OPEN", "10 minutes");
        insertCase(capability, system, "BUSINESS", "OPEN", "2 hours");
        insertCase(capability, system, "POISON", "OPEN", "3 days");
        insertCase(capability, system, "SECURITY", "OPEN", "10 days");
        insertCase(capability, system, "BUSINESS", "RESOLVED", "10 days");
        insertCase(capability, system, "BUSINESS", "DISCARDED", "3 days");

        JsonPath after = summary("viewer");
        assertThat(after.getLong("byCapability.'" + capability + "'")).isEqualTo(4);
        assertThat(after.getLong("bySystem.'" + system + "'")).isEqualTo(4);
        assertThat(after.getMap("byClass")).containsOnlyKeys("BUSINESS", "POISON", "TRANSIENT", "SECURITY");
        assertThat(after.getList("byAge.bucket")).containsExactly("<1h", "1-24h", "1-7d", ">7d");
        // Nothing else in the hub makes cases days old: those buckets grew by exactly what was inserted, settled ones not counted.
        assertThat(bucket(after, "1-7d") - bucket(before, "1-7d")).isEqualTo(1);
        assertThat(bucket(after, ">7d") - bucket(before, ">7d")).isEqualTo(1);

        // Each bucket, listed with its own bounds, holds exactly the test's open case of that age.
        Map<String, String> expectedClass = Map.of("<1h", "BUSINESS", "1-24h", "BUSINESS", "1-7d", "POISON", ">7d", "SECURITY");
        for (Map<String, Object> b : after.<Map<String, Object>>getList("byAge")) {
            RequestSpecification list = as("viewer").queryParam("capability", capability).queryParam("status", "OPEN")
                    .queryParam("minAgeMinutes", b.get("minAgeMinutes"));
            if (b.get("maxAgeMinutes") != null) {
                list.queryParam("maxAgeMinutes", b.get("maxAgeMinutes"));
            }
            list.get(API).then().statusCode(200)
                    .body("total", equalTo(1))
                    .body("items[0].failureClass", equalTo(expectedClass.get((String) b.get("bucket"))));
        }
    }

    @Test
    void summaryNeedsCredentialsAndIsReadableByBothRoles() {
        given().get(API + "/summary").then().statusCode(401);
        as("viewer").get(API + "/summary").then().statusCode(200);
        as("operator").get(API + "/summary").then().statusCode(200);
        as("viewer").queryParam("maxAgeMinutes", 0).get(API).then().statusCode(400);
    }

    private static long bucket(JsonPath summary, String name) {
        return summary.getLong("byAge.find { it.bucket == '" + name + "' }.count");
    }

    private static JsonPath summary(String user) {
        return as(user).get(API + "/summary").then().statusCode(200).extract().jsonPath();
    }

    private void insertCase(String capability, String system, String failureClass, String status, String age) throws Exception {
        String customerId = newId("cust");
        String eventId = newId("evt");
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO exception_case (fingerprint, capability, system, business_key, event_id, event_type,
                    failure_class, error_code, error_message, payload, headers, source_topic, status, first_seen, last_seen)
                VALUES (?, ?, ?, ?, ?, 'q2c.customer.changed.v1', ?, 'TEST_CASE', 'inserted by the summary test',
                    ?, ?::jsonb, 'q2c.customer.v1', ?, now() - ?::interval, now() - ?::interval)""")) {
            ps.setString(1, UUID.randomUUID().toString());
            ps.setString(2, capability);
            ps.setString(3, system);
            ps.setString(4, customerId);
            ps.setString(5, eventId);
            ps.setString(6, failureClass);
            ps.setBytes(7, customer(customerId, "Summary Ltd"));
            ps.setString(8, json.writeValueAsString(customerChangedHeaders(eventId, customerId)));
            ps.setString(9, status);
            ps.setString(10, age);
            ps.setString(11, age);
            ps.executeUpdate();
        }
    }

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user + "-sandbox");
    }
}
