package io.q2chub.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sObject resources of the simulator for every type it holds, as a client of the real REST API sees them. */
class SalesforceSimulatorSObjectsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String DATA = "/services/data/v60.0/";
    static SalesforceSimulator sim;
    String token;

    /** A body each type accepts on create: its required fields and nothing else. */
    static final Map<String, String> VALID = Map.of(
            "Account", "{\"Name\":\"Acme\"}",
            "Contact", "{\"LastName\":\"Lovelace\",\"FirstName\":\"Ada\"}",
            "Opportunity", "{\"Name\":\"Renewal\",\"StageName\":\"Prospecting\",\"CloseDate\":\"2026-12-31\"}",
            "Order", "{\"AccountId\":\"001000000000001AAA\",\"EffectiveDate\":\"2026-11-27\",\"Status\":\"Draft\"}",
            "Product2", "{\"Name\":\"Widget\"}",
            "PricebookEntry", "{\"Pricebook2Id\":\"01s000000000001AAA\",\"Product2Id\":\"01t000000000001AAA\",\"UnitPrice\":12.50}");

    @BeforeAll
    static void start() throws Exception {
        sim = SalesforceSimulator.start(Settings.defaults());
    }

    @AfterAll
    static void stop() throws Exception {
        sim.close();
    }

    @BeforeEach
    void login() throws Exception {
        sim.reset();
        sim.dailyLimit(100_000);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(sim.loginUrl() + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=q2c-sim-client&client_secret=q2c-sim-secret"))
                .build(), HttpResponse.BodyHandlers.ofString());
        token = JSON.readTree(r.body()).path("access_token").asText();
    }

    @ParameterizedTest
    @CsvSource({"Account,001", "Contact,003", "Opportunity,006", "Order,801", "Product2,01t", "PricebookEntry,01u"})
    void createReadUpdateDelete(String type, String keyPrefix) throws Exception {
        HttpResponse<String> created = call("POST", DATA + "sobjects/" + type, VALID.get(type));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode saved = JSON.readTree(created.body());
        String id = saved.path("id").asText();
        assertThat(id).hasSize(18).startsWith(keyPrefix);
        assertThat(saved.path("success").asBoolean()).isTrue();
        assertThat(saved.path("errors").isArray() && saved.path("errors").isEmpty()).isTrue();

        HttpResponse<String> read = call("GET", DATA + "sobjects/" + type + "/" + id, null);
        assertThat(read.statusCode()).isEqualTo(200);
        JsonNode record = JSON.readTree(read.body());
        assertThat(record.path("attributes").path("type").asText()).isEqualTo(type);
        assertThat(record.path("attributes").path("url").asText()).isEqualTo(DATA + "sobjects/" + type + "/" + id);
        assertThat(record.path("Id").asText()).isEqualTo(id);
        assertThat(read.headers().firstValue("Sforce-Limit-Info")).hasValue("api-usage=2/100000");

        String extId = externalIdOf(type);
        assertThat(call("PATCH", DATA + "sobjects/" + type + "/" + id, "{\"" + extId + "\":\"x-1\"}").statusCode()).isEqualTo(204);
        assertThat(sim.record(type, id).orElseThrow()).containsEntry(extId, "x-1");

        assertThat(call("DELETE", DATA + "sobjects/" + type + "/" + id, null).statusCode()).isEqualTo(204);
        HttpResponse<String> gone = call("GET", DATA + "sobjects/" + type + "/" + id, null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(gone.body()).get(0).path("errorCode").asText()).isEqualTo("ENTITY_IS_DELETED");
        assertThat(sim.record(type, id).orElseThrow()).containsEntry("IsDeleted", true);
        assertThat(sim.apiCalls()).isEqualTo(5);
    }

    @Test
    void upsertCreatesOnceThenUpdatesTheSameRecord() throws Exception {
        String path = DATA + "sobjects/Contact/Q2C_Contact_Id__c/c-42";
        HttpResponse<String> created = call("PATCH", path, "{\"LastName\":\"Hopper\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String id = JSON.readTree(created.body()).path("id").asText();
        assertThat(id).startsWith("003");
        assertThat(JSON.readTree(created.body()).path("created").asBoolean()).isTrue();

        HttpResponse<String> updated = call("PATCH", path, "{\"Email\":\"grace@example.com\"}");
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(updated.body()).path("id").asText()).isEqualTo(id);
        assertThat(JSON.readTree(updated.body()).path("created").asBoolean()).isFalse();

        assertThat(sim.records("Contact")).hasSize(1);
        assertThat(sim.record("Contact", id).orElseThrow()).containsEntry("Q2C_Contact_Id__c", "c-42")
                .containsEntry("LastName", "Hopper").containsEntry("Email", "grace@example.com");
    }

    @Test
    void anExternalIdHeldTwiceIsMultipleChoicesAndChangesNothing() throws Exception {
        String first = sim.createRecord("Product2", Map.of("Name", "Twin A", "Q2C_Product_Id__c", "p-1"));
        String second = sim.createRecord("Product2", Map.of("Name", "Twin B", "Q2C_Product_Id__c", "p-1"));
        HttpResponse<String> r = call("PATCH", DATA + "sobjects/Product2/Q2C_Product_Id__c/p-1", "{\"Name\":\"Renamed\"}");
        assertThat(r.statusCode()).isEqualTo(300);
        assertThat(JSON.readValue(r.body(), String[].class)).containsExactlyInAnyOrder(
                DATA + "sobjects/Product2/" + first, DATA + "sobjects/Product2/" + second);
        assertThat(sim.records("Product2")).extracting(p -> p.get("Name")).containsExactlyInAnyOrder("Twin A", "Twin B");
    }

    @Test
    void upsertByAFieldThatIsNoExternalIdIsNotFound() throws Exception {
        HttpResponse<String> r = call("PATCH", DATA + "sobjects/Account/Name/Acme", "{\"Name\":\"Acme\"}");
        assertThat(r.statusCode()).isEqualTo(404);
        JsonNode error = JSON.readTree(r.body()).get(0);
        assertThat(error.path("errorCode").asText()).isEqualTo("NOT_FOUND");
        assertThat(error.path("message").asText()).isEqualTo("Provided external ID field does not exist or is not accessible: Name");
        assertThat(sim.accounts()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Account|{\"Type\":\"Customer\"}|[Name]",
            "Contact|{\"FirstName\":\"Ada\"}|[LastName]",
            "Opportunity|{\"Name\":\"Deal\"}|[StageName, CloseDate]",
            "Order|{\"Status\":\"Draft\"}|[AccountId, EffectiveDate]",
            "Product2|{\"ProductCode\":\"W-1\"}|[Name]",
            "PricebookEntry|{\"UnitPrice\":1}|[Pricebook2Id, Product2Id]"})
    void aCreateWithoutARequiredFieldIsRefusedNamingIt(String type, String body, String missing) throws Exception {
        HttpResponse<String> r = call("POST", DATA + "sobjects/" + type, body);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body()).get(0);
        assertThat(error.path("errorCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(error.path("message").asText()).isEqualTo("Required fields are missing: " + missing);
        assertThat(error.path("fields").toString().replace("\"", "").replace(",", ", ")).isEqualTo(missing);
        assertThat(sim.records(type)).isEmpty();
    }

    @Test
    void blankingARequiredFieldOnUpdateIsRefused() throws Exception {
        String id = sim.createRecord("Opportunity", Map.of("Name", "Deal", "StageName", "Prospecting", "CloseDate", "2026-12-31"));
        HttpResponse<String> r = call("PATCH", DATA + "sobjects/Opportunity/" + id, "{\"StageName\":\"\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get(0).path("fields").get(0).asText()).isEqualTo("StageName");
        assertThat(sim.record("Opportunity", id).orElseThrow()).containsEntry("StageName", "Prospecting");
    }

    @Test
    void anUnknownTypeIsNotFound() throws Exception {
        HttpResponse<String> r = call("POST", DATA + "sobjects/Invoice__x", "{\"Name\":\"x\"}");
        assertThat(r.statusCode()).isEqualTo(404);
        JsonNode error = JSON.readTree(r.body()).get(0);
        assertThat(error.path("errorCode").asText()).isEqualTo("NOT_FOUND");
        assertThat(error.path("message").asText()).isEqualTo("The requested resource does not exist");
        assertThat(r.headers().firstValue("Sforce-Limit-Info")).hasValue("api-usage=1/100000");
    }

    @Test
    void anIdOfAnotherTypeIsNotFound() throws Exception {
        String account = sim.createAccount(Map.of("Name", "Acme"));
        assertThat(call("GET", DATA + "sobjects/Contact/" + account, null).statusCode()).isEqualTo(404);
    }

    @Test
    void collectionsCreateAndUpdateMixedTypesInOneCall() throws Exception {
        String account = sim.createAccount(Map.of("Name", "Acme"));
        String create = """
                {"allOrNone":false,"records":[
                 {"attributes":{"type":"Contact"},"LastName":"Lovelace","AccountId":"%s"},
                 {"attributes":{"type":"Product2"},"Name":"Widget"},
                 {"attributes":{"type":"PricebookEntry"},"UnitPrice":5}]}""".formatted(account);
        HttpResponse<String> r = call("POST", DATA + "composite/sobjects", create);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode results = JSON.readTree(r.body());
        assertThat(results.get(0).path("id").asText()).startsWith("003");
        assertThat(results.get(1).path("id").asText()).startsWith("01t");
        assertThat(results.get(2).path("success").asBoolean()).isFalse();
        assertThat(results.get(2).path("errors").get(0).path("statusCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(sim.records("PricebookEntry")).isEmpty();

        String contact = results.get(0).path("id").asText();
        String update = """
                {"allOrNone":true,"records":[
                 {"attributes":{"type":"Account"},"id":"%s","Sync_Status__c":"SYNCED"},
                 {"attributes":{"type":"Contact"},"id":"%s","Email":"ada@example.com"}]}""".formatted(account, contact);
        JsonNode updated = JSON.readTree(call("PATCH", DATA + "composite/sobjects", update).body());
        assertThat(updated.get(0).path("success").asBoolean()).isTrue();
        assertThat(updated.get(1).path("success").asBoolean()).isTrue();
        assertThat(sim.account(account).orElseThrow()).containsEntry("Sync_Status__c", "SYNCED");
        assertThat(sim.record("Contact", contact).orElseThrow()).containsEntry("Email", "ada@example.com");
        assertThat(sim.apiCalls()).isEqualTo(2);
    }

    @Test
    void allOrNoneRollsBackEveryTypeWhenOneRecordIsRefused() throws Exception {
        String create = """
                {"allOrNone":true,"records":[
                 {"attributes":{"type":"Product2"},"Name":"Widget"},
                 {"attributes":{"type":"Order"},"Status":"Draft"}]}""";
        JsonNode results = JSON.readTree(call("POST", DATA + "composite/sobjects", create).body());
        assertThat(results.get(0).path("errors").get(0).path("statusCode").asText()).isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        assertThat(results.get(1).path("errors").get(0).path("statusCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(sim.records("Product2")).isEmpty();
        assertThat(sim.records("Order")).isEmpty();
    }

    @Test
    void compositeSubrequestsReachEveryTypeAsOneCall() throws Exception {
        String body = """
                {"allOrNone":false,"compositeRequest":[
                 {"method":"POST","url":"/services/data/v60.0/sobjects/Product2","referenceId":"p","body":{"Name":"Widget"}},
                 {"method":"PATCH","url":"/services/data/v60.0/sobjects/Opportunity/Q2C_Opportunity_Id__c/o-1","referenceId":"o",
                  "body":{"Name":"Deal","StageName":"Prospecting","CloseDate":"2026-12-31"}},
                 {"method":"POST","url":"/services/data/v60.0/sobjects/Contact","referenceId":"c","body":{"FirstName":"Ada"}}]}""";
        JsonNode responses = JSON.readTree(call("POST", DATA + "composite", body).body()).path("compositeResponse");
        assertThat(responses.get(0).path("httpStatusCode").asInt()).isEqualTo(201);
        assertThat(responses.get(1).path("httpStatusCode").asInt()).isEqualTo(201);
        assertThat(responses.get(1).path("body").path("id").asText()).startsWith("006");
        assertThat(responses.get(2).path("httpStatusCode").asInt()).isEqualTo(400);
        assertThat(responses.get(2).path("body").get(0).path("fields").get(0).asText()).isEqualTo("LastName");
        assertThat(sim.records("Product2")).hasSize(1);
        assertThat(sim.records("Contact")).isEmpty();
        assertThat(sim.apiCalls()).isEqualTo(1);
    }

    @Test
    void overTheDailyLimitEveryTypeIsRefused() throws Exception {
        sim.dailyLimit(0);
        HttpResponse<String> r = call("POST", DATA + "sobjects/Product2", VALID.get("Product2"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(r.body()).get(0).path("errorCode").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        assertThat(r.headers().firstValue("Sforce-Limit-Info")).hasValue("api-usage=1/0");
        assertThat(sim.records("Product2")).isEmpty();
    }

    @Test
    void accountWritesThroughRestStillPublishChangeEvents() throws Exception {
        byte[] before = sim.latestReplayId();
        call("PATCH", DATA + "sobjects/Account/Q2C_Customer_Id__c/cust-1", "{\"Name\":\"Evented\"}");
        assertThat(sim.latestReplayId()).isNotEqualTo(before);
    }

    private static String externalIdOf(String type) {
        return SObjectType.named(type).orElseThrow().externalIds().iterator().next();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sim.loginUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
