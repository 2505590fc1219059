package io.q2chub.ops.sync;

import static io.q2chub.testing.CanonicalSamples.customerChangedHeaders;
import static io.q2chub.testing.CanonicalSamples.newId;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.agroal.api.AgroalDataSource;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.stripe.StoredCustomer;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.q2chub.testing.CrmCustomerEvents;
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
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The sync status of one business record, found by any of its ids, after a real onboarding into the NetSuite and
 * Stripe simulators: the ids each system holds are the ones the simulators gave, the ledger has the record's events,
 * and a later failure of the same record shows as an open case.
 */
@QuarkusTest
@QuarkusTestResource(HubTestServices.class)
@WithTestResource(ErpAndBillingSimulators.class)
class SyncStatusApiTest {

    static final String API = "/api/sync-status/";

    @ErpAndBillingSimulators.Simulator
    NetSuiteSimulator netsuite;

    @ErpAndBillingSimulators.Simulator
    StripeSimulator stripe;

    @Inject
    AgroalDataSource db;

    @Test
    void anyIdOfAnOnboardedCustomerAnswersItsIdsInEverySystemItsMilestonesAndItsOpenCases() {
        String customerId = newId("cust");
        String eventId = newId("evt");
        CrmCustomerEvents.sendCreate(eventId, CrmCustomerEvents.validUsAccount(customerId, "Umbrella Corp"));

        String erpId = await().atMost(Duration.ofSeconds(30)).until(() -> netsuite.customer(customerId), Optional::isPresent)
                .orElseThrow().internalId();
        String billingId = await().atMost(Duration.ofSeconds(30)).until(() -> stripe.customers().stream()
                .filter(c -> customerId.equals(c.metadata().get("canonical_id"))).findFirst(), Optional::isPresent)
                .map(StoredCustomer::id).orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> Sql.count(db, "SELECT count(*) FROM xref WHERE canonical_id = ?", customerId) == 2);

        for (String anyId : new String[] {customerId, erpId, billingId}) {
            as("viewer").get(API + anyId).then().statusCode(200)
                    .body("query", equalTo(anyId))
                    .body("records", hasSize(1))
                    .body("records[0].canonicalId", equalTo(customerId))
                    .body("records[0].objectType", equalTo("customer"))
                    .body("records[0].systems.system", contains("netsuite", "stripe"))
                    .body("records[0].systems.externalId", contains(erpId, billingId))
                    .body("records[0].milestones.eventId", hasItem(eventId))
                    .body("records[0].milestones.milestone", hasItem("q2c.customer.changed.v1"))
                    .body("records[0].openCases", empty());
        }

        // A later change of the same customer that violates the schema is parked: the record is now out of sync.
        String badEventId = newId("evt");
        byte[] badCountry = """
                {"id":"%s","name":"Umbrella Corp","legalEntity":"US01","billingCountry":"usa","currency":"USD","status":"ACTIVE"}"""
                .formatted(customerId).getBytes(StandardCharsets.UTF_8);
        KafkaTestClient.send(CrmCustomerEvents.TOPIC, null, customerId, badCountry, customerChangedHeaders(badEventId, customerId));
        String caseId = await().atMost(Duration.ofSeconds(30)).until(() -> Sql.first(db,
                "SELECT id FROM exception_case WHERE event_id = ? AND capability = 'transaction-ledger'", badEventId),
                Optional::isPresent).orElseThrow();

        as("operator").get(API + billingId).then().statusCode(200)
                .body("records[0].canonicalId", equalTo(customerId))
                .body("records[0].openCases.id", hasItem(Integer.parseInt(caseId)))
                .body("records[0].openCases.find { it.capability == 'transaction-ledger' }.errorCode", equalTo("SCHEMA_INVALID"));
    }

    @Test
    void anIdNoSystemHoldsYetIsAnsweredFromItsOpenCases() {
        String customerId = newId("cust");
        String eventId = newId("evt");
        // No tax id: the master-data policy parks it before any system holds the customer.
        var account = CrmCustomerEvents.validUsAccount(customerId, "Initrode");
        account.remove("taxId");
        CrmCustomerEvents.sendCreate(eventId, account);
        await().atMost(Duration.ofSeconds(30)).until(() -> Sql.first(db,
                "SELECT id FROM exception_case WHERE business_key = ? AND capability = 'customer-onboarding'", customerId).isPresent());

        as("viewer").get(API + customerId).then().statusCode(200)
                .body("records[0].canonicalId", equalTo(customerId))
                .body("records[0].objectType", equalTo(null))
                .body("records[0].systems", empty())
                .body("records[0].openCases.errorCode", hasItem("MASTER_DATA_INVALID"));
    }

    @Test
    void anUnknownIdIs404AndTheEndpointNeedsCredentials() {
        as("viewer").get(API + "nothing-" + newId("x")).then().statusCode(404).body("error", containsString("no record"));
        given().get(API + "anything").then().statusCode(401);
    }

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user + "-sandbox");
    }
}
