package io.q2chub.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP contract of the Salesforce simulator, as a client of the real API would see it. */
class SalesforceSimulatorRestTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static SalesforceSimulator sim;
    static final String DATA = "/services/data/v60.0/";
    String token;

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
        token = tokenAnswer("q2c-sim-secret").path("access_token").asText();
    }

    @Test
    void clientCredentialsGiveATokenPointingBackAtTheOrg() throws Exception {
        JsonNode answer = tokenAnswer("q2c-sim-secret");
        assertThat(answer.path("access_token").asText()).isNotBlank();
        assertThat(answer.path("instance_url").asText()).isEqualTo(sim.loginUrl());
        assertThat(answer.path("id").asText()).isEqualTo(sim.loginUrl() + "/id/00D000000000001AAA/005000000000001AAA");
        assertThat(answer.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(answer.has("issued_at") && answer.has("signature")).isTrue();
    }

    @Test
    void wrongSecretIsInvalidClient() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(sim.loginUrl() + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=q2c-sim-client&client_secret=nope"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("invalid_client");
        assertThat(JSON.readTree(r.body()).path("error_description").asText()).isEqualTo("invalid client credentials");
    }

    @Test
    void accountIsReadWithAttributesAndTheLimitHeader() throws Exception {
        String id = sim.createAccount(Map.of("Name", "Acme GmbH", "BillingCountry", "DE", "CurrencyIsoCode", "EUR"));
        HttpResponse<String> r = call("GET", DATA + "sobjects/Account/" + id, null, token);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode account = JSON.readTree(r.body());
        assertThat(account.path("attributes").path("type").asText()).isEqualTo("Account");
        assertThat(account.path("attributes").path("url").asText()).isEqualTo(DATA + "sobjects/Account/" + id);
        assertThat(account.path("Id").asText()).isEqualTo(id).hasSize(18);
        assertThat(account.path("Name").asText()).isEqualTo("Acme GmbH");
        assertThat(account.path("BillingCountry").asText()).isEqualTo("DE");
        assertThat(account.has("ERP_Id__c") && account.has("Sync_Status__c") && account.has("IsDeleted")).isTrue();
        assertThat(r.headers().firstValue("Sforce-Limit-Info")).hasValue("api-usage=1/100000");
    }

    @Test
    void missingOrUnknownTokenIsInvalidSessionAndNothingIsRead() throws Exception {
        String id = sim.createAccount(Map.of("Name", "Acme"));
        HttpResponse<String> r = call("GET", DATA + "sobjects/Account/" + id, null, "forged");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(r.body()).get(0).path("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
        assertThat(JSON.readTree(r.body()).get(0).path("message").asText()).isEqualTo("Session expired or invalid");
        sim.expireSessions();
        assertThat(call("GET", DATA + "sobjects/Account/" + id, null, token).statusCode()).isEqualTo(401);
    }

    @Test
    void overTheDailyLimitEveryCallIsRequestLimitExceeded() throws Exception {
        sim.dailyLimit(2);
        String id = sim.createAccount(Map.of("Name", "Acme"));
        assertThat(call("GET", DATA + "sobjects/Account/" + id, null, token).statusCode()).isEqualTo(200);
        assertThat(call("GET", DATA + "sobjects/Account/" + id, null, token).statusCode()).isEqualTo(200);
        HttpResponse<String> r = call("GET", DATA + "sobjects/Account/" + id, null, token);
        assertThat(r.statusCode()).isEqualTo(403);
        JsonNode error = JSON.readTree(r.body()).get(0);
        assertThat(error.path("errorCode").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        assertThat(error.path("message").asText()).isEqualTo("TotalRequests Limit exceeded.");
        assertThat(error.has("fields")).isTrue();
        assertThat(r.headers().firstValue("Sforce-Limit-Info")).hasValue("api-usage=3/2");
    }

    @Test
    void updateAndUpsertByExternalId() throws Exception {
        String id = sim.createAccount(Map.of("Name", "Acme"));
        assertThat(call("PATCH", DATA + "sobjects/Account/" + id, "{\"ERP_Id__c\":\"erp-1\"}", token).statusCode()).isEqualTo(204);
        assertThat(sim.account(id).orElseThrow()).containsEntry("ERP_Id__c", "erp-1");

        HttpResponse<String> created = call("PATCH", DATA + "sobjects/Account/ERP_Id__c/erp-2", "{\"Name\":\"Beta\"}", token);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).path("created").asBoolean()).isTrue();
        // API version 46.0 and later answer an upsert that updated with 200 and the record's id, not 204.
        HttpResponse<String> updated = call("PATCH", DATA + "sobjects/Account/ERP_Id__c/erp-2", "{\"Type\":\"Customer\"}", token);
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(updated.body()).path("id").asText()).isEqualTo(JSON.readTree(created.body()).path("id").asText());
        assertThat(JSON.readTree(updated.body()).path("created").asBoolean()).isFalse();

        HttpResponse<String> invalid = call("PATCH", DATA + "sobjects/Account/" + id, "{\"Nope__c\":\"x\"}", token);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(invalid.body()).get(0).path("errorCode").asText()).isEqualTo("INVALID_FIELD");
    }

    @Test
    void collectionsUpdate200RecordsInOneCallEachWithItsOutcome() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 199; i++) {
            ids.add(sim.createAccount(Map.of("Name", "Acct " + i)));
        }
        ids.add("001000000000999AAA");
        StringBuilder records = new StringBuilder();
        for (String id : ids) {
            records.append(records.isEmpty() ? "" : ",").append("{\"attributes\":{\"type\":\"Account\"},\"id\":\"")
                    .append(id).append("\",\"Sync_Status__c\":\"SYNCED\"}");
        }
        HttpResponse<String> r = call("PATCH", DATA + "composite/sobjects",
                "{\"allOrNone\":false,\"records\":[" + records + "]}", token);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode results = JSON.readTree(r.body());
        assertThat(results).hasSize(200);
        assertThat(results.get(0).path("success").asBoolean()).isTrue();
        assertThat(results.get(199).path("success").asBoolean()).isFalse();
        assertThat(sim.apiCalls()).isEqualTo(1);
        assertThat(sim.account(ids.get(0)).orElseThrow()).containsEntry("Sync_Status__c", "SYNCED");

        String tooMany = "{\"records\":[" + (records + ",").repeat(2).replaceAll(",$", "") + "]}";
        assertThat(call("PATCH", DATA + "composite/sobjects", tooMany, token).statusCode()).isEqualTo(400);
    }

    @Test
    void compositeRunsSubrequestsAsOneCall() throws Exception {
        String id = sim.createAccount(Map.of("Name", "Acme"));
        String body = """
                {"allOrNone":false,"compositeRequest":[
                 {"method":"PATCH","url":"/services/data/v60.0/sobjects/Account/%s","referenceId":"u","body":{"Type":"Customer"}},
                 {"method":"GET","url":"/services/data/v60.0/sobjects/Account/%s","referenceId":"g"}]}""".formatted(id, id);
        HttpResponse<String> r = call("POST", DATA + "composite", body, token);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode responses = JSON.readTree(r.body()).path("compositeResponse");
        assertThat(responses.get(0).path("httpStatusCode").asInt()).isEqualTo(204);
        assertThat(responses.get(1).path("body").path("Type").asText()).isEqualTo("Customer");
        assertThat(sim.apiCalls()).isEqualTo(1);
    }

    @Test
    void injectedFaultsAnswerTheGivenStatusThenRecover() throws Exception {
        String id = sim.createAccount(Map.of("Name", "Acme"));
        sim.failNext(1, 503, "SERVER_UNAVAILABLE");
        HttpResponse<String> r = call("GET", DATA + "sobjects/Account/" + id, null, token);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(r.body()).get(0).path("errorCode").asText()).isEqualTo("SERVER_UNAVAILABLE");
        assertThat(call("GET", DATA + "sobjects/Account/" + id, null, token).statusCode()).isEqualTo(200);
        assertThat(sim.requests()).containsExactly("GET " + DATA + "sobjects/Account/" + id, "GET " + DATA + "sobjects/Account/" + id);
    }

    @Test
    void heldAccountsAreVisibleOverHttp() throws Exception {
        sim.createAccount(Map.of("Name", "Acme"));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(sim.loginUrl() + "/_sim/accounts")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(r.body()).get(0).path("Name").asText()).isEqualTo("Acme");
        assertThat(sim.apiCalls()).isZero();
    }

    @Test
    void aSlowOrgMakesACallerWithAShorterTimeoutTimeOut() throws Exception {
        String id = sim.createAccount(Map.of("Name", "Slow Corp"));
        sim.latency(Duration.ofSeconds(2));
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.loginUrl() + DATA + "sobjects/Account/" + id))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofMillis(300)).GET().build();
        assertThatThrownBy(() -> HTTP.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);

        sim.latency(Duration.ZERO);
        assertThat(call("GET", DATA + "sobjects/Account/" + id, null, token).statusCode()).isEqualTo(200);
    }

    private JsonNode tokenAnswer(String secret) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(sim.loginUrl() + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&client_id=q2c-sim-client&client_secret=" + secret))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void soqlQueryListsLiveAccountsPageByPageThroughNextRecordsUrl() throws Exception {
        sim.queryBatchSize(2);
        List<String> live = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            live.add(sim.createAccount(Map.of("Name", "Query " + i, "BillingCountry", "DE")));
        }
        String deleted = sim.createAccount(Map.of("Name", "Deleted Query"));
        sim.deleteAccount(deleted);

        HttpResponse<String> first = call("GET", DATA + "query?q="
                + java.net.URLEncoder.encode("SELECT Id, Name, BillingCountry FROM Account WHERE IsDeleted = false",
                        java.nio.charset.StandardCharsets.UTF_8), null, token);
        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode page = JSON.readTree(first.body());
        assertThat(page.path("totalSize").asInt()).isEqualTo(5);
        List<String> seen = new ArrayList<>();
        int pages = 1;
        while (true) {
            for (JsonNode record : page.path("records")) {
                assertThat(record.path("attributes").path("type").asText()).isEqualTo("Account");
                assertThat(record.path("attributes").path("url").asText()).isEqualTo(DATA + "sobjects/Account/" + record.path("Id").asText());
                assertThat(record.path("BillingCountry").asText()).isEqualTo("DE");
                assertThat(record.has("Tax_Id__c")).as("only the selected fields").isFalse();
                seen.add(record.path("Id").asText());
            }
            assertThat(page.path("records").size()).isLessThanOrEqualTo(2);
            if (page.path("done").asBoolean()) {
                assertThat(page.has("nextRecordsUrl")).isFalse();
                break;
            }
            assertThat(page.path("nextRecordsUrl").asText()).matches("/services/data/v60\\.0/query/01g\\w+-\\d+");
            page = JSON.readTree(call("GET", page.path("nextRecordsUrl").asText(), null, token).body());
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(live);
        assertThat(sim.apiCalls()).as("each page is one API call").isEqualTo(3);
    }

    @Test
    void soqlTheSimulatorDoesNotKnowIsRefusedNotGuessed() throws Exception {
        HttpResponse<String> r = call("GET", DATA + "query?q=SELECT+Id+FROM+Contact", null, token);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).path(0).path("errorCode").asText()).isEqualTo("MALFORMED_QUERY");
        HttpResponse<String> field = call("GET", DATA + "query?q=SELECT+Id,+Nope__c+FROM+Account", null, token);
        assertThat(JSON.readTree(field.body()).path(0).path("errorCode").asText()).isEqualTo("INVALID_FIELD");
        HttpResponse<String> locator = call("GET", DATA + "query/01gUNKNOWN-2", null, token);
        assertThat(JSON.readTree(locator.body()).path(0).path("errorCode").asText()).isEqualTo("INVALID_QUERY_LOCATOR");
    }

    private static HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sim.loginUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
