package io.q2chub.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the hub reads and writes of an order over REST: its items with their product code, and the write-back. */
class SalesforceSimulatorOrdersTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String DATA = "/services/data/v60.0/";
    SalesforceSimulator sim;
    String token;

    @BeforeEach
    void start() throws Exception {
        sim = SalesforceSimulator.start(Settings.defaults());
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(sim.loginUrl() + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=q2c-sim-client&client_secret=q2c-sim-secret"))
                .build(), HttpResponse.BodyHandlers.ofString());
        token = JSON.readTree(r.body()).path("access_token").asText();
    }

    @AfterEach
    void stop() throws Exception {
        sim.close();
    }

    @Test
    void orderItemsAreQueriedWithTheirProductCodeThroughTheRelationship() throws Exception {
        String order = sim.createRecord("Order", Map.of("AccountId", "001000000000001AAA", "EffectiveDate", "2026-12-01", "Status", "Draft"));
        String other = sim.createRecord("Order", Map.of("AccountId", "001000000000001AAA", "EffectiveDate", "2026-12-01", "Status", "Draft"));
        String product = sim.createRecord("Product2", Map.of("Name", "Seats", "ProductCode", "SKU-SEAT"));
        sim.createRecord("OrderItem", Map.of("OrderId", order, "Product2Id", product, "PricebookEntryId", "01u000000000001AAA",
                "Quantity", 3, "UnitPrice", new java.math.BigDecimal("12.345")));
        sim.createRecord("OrderItem", Map.of("OrderId", other, "Product2Id", product, "PricebookEntryId", "01u000000000001AAA",
                "Quantity", 1, "UnitPrice", 1));

        JsonNode answer = query("SELECT Id, Quantity, UnitPrice, Product2.ProductCode FROM OrderItem WHERE OrderId = '" + order + "'");

        assertThat(answer.path("totalSize").asInt()).isEqualTo(1);
        JsonNode item = answer.path("records").path(0);
        assertThat(item.path("attributes").path("type").asText()).isEqualTo("OrderItem");
        assertThat(item.path("Product2").path("ProductCode").asText()).isEqualTo("SKU-SEAT");
        assertThat(item.path("UnitPrice").decimalValue()).isEqualByComparingTo("12.345");
        assertThat(item.path("Quantity").asInt()).isEqualTo(3);
    }

    @Test
    void aFieldOrderItemDoesNotHaveIsRefusedAsSalesforceDoes() throws Exception {
        HttpResponse<String> r = get(DATA + "query?q=" + URLEncoder.encode(
                "SELECT Id, Discount__c FROM OrderItem WHERE OrderId = '801000000000001AAA'", StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("INVALID_FIELD", "Discount__c");
    }

    @Test
    void theWriteBackIsRecordedOnTheOrder() throws Exception {
        String order = sim.createRecord("Order", Map.of("AccountId", "001000000000001AAA", "EffectiveDate", "2026-12-01", "Status", "Activated"));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(sim.loginUrl() + DATA + "sobjects/Order/" + order))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"Billing_Subscription_Id__c\":\"sub_1\",\"Sync_Status__c\":\"Synced\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(sim.record("Order", order).orElseThrow()).containsEntry("Billing_Subscription_Id__c", "sub_1")
                .containsEntry("Sync_Status__c", "Synced").containsEntry("Status", "Activated");
    }

    private JsonNode query(String soql) throws Exception {
        HttpResponse<String> r = get(DATA + "query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(sim.loginUrl() + path)).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
