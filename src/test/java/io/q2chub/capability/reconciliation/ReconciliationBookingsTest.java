package io.q2chub.capability.reconciliation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.q2chub.connector.salesforce.SalesforceEnabled;
import io.q2chub.sandbox.salesforce.SalesforceSimulator;
import io.q2chub.testing.ErpAndBillingSimulators;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.SalesforceTestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CRM side of a reconciliation, with the Salesforce connector on: an order activated in the window that billing
 * never invoiced is a booking never invoiced; a draft order, or one booked outside the window, is not. The orders
 * are read over the Salesforce simulator's REST query endpoint (SOQL on Order).
 */
@QuarkusTest
@TestProfile(SalesforceEnabled.PromptWriteBack.class)
@QuarkusTestResource(HubTestServices.class)
@WithTestResource(ErpAndBillingSimulators.class)
class ReconciliationBookingsTest {

    @SalesforceTestServices.Simulator
    SalesforceSimulator salesforce;

    @Test
    void anActivatedOrderThatBillingNeverInvoicedIsReportedByItsCrmId() {
        String account = salesforce.createRecord("Account", Map.of("Name", "Booked But Not Billed Ltd"));
        String booked = order(account, "2031-03-05", "Activated");
        order(account, "2031-03-06", "Draft");
        order(account, "2031-04-10", "Activated");

        JsonPath report = given().auth().preemptive().basic("operator", "operator-sandbox")
                .contentType("application/json")
                .body(Map.of("from", "2031-03-01T00:00:00Z", "to", "2031-04-01T00:00:00Z"))
                .post("/api/reconciliations").then().statusCode(201).extract().jsonPath();

        assertThat(report.getInt("crmBookings")).isEqualTo(1);
        assertThat(report.getMap("counts")).containsEntry("BOOKING_NOT_INVOICED", 1);
        List<Map<String, Object>> items = report.getList("discrepancies");
        assertThat(items).singleElement().satisfies(item -> {
            assertThat(item).containsEntry("kind", "BOOKING_NOT_INVOICED").containsEntry("crmId", booked)
                    .containsEntry("currency", "USD");
            assertThat((String) item.get("detail")).contains("activated 2031-03-05");
        });
    }

    private String order(String account, String effectiveDate, String status) {
        return salesforce.createRecord("Order", Map.of("AccountId", account, "EffectiveDate", effectiveDate,
                "Status", status, "CurrencyIsoCode", "USD"));
    }
}
