package io.q2chub.sandbox.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator speaks Stripe's wire contract: what a client library sends and parses, byte for byte where it matters. */
class StripeSimulatorContractTest {

    private static final String KEY = "sk_test_simulatorKey1234";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private StripeSimulator stripe;

    @BeforeEach
    void start() {
        stripe = StripeSimulator.start(KEY, 100);
    }

    @AfterEach
    void stop() {
        stripe.close();
    }

    @Test
    void createParsesFormEncodedNestedParametersAndAnswersACustomerObject() throws Exception {
        HttpResponse<String> response = post("/v1/customers", null,
                "name=Acme+GmbH&email=billing%40acme.example&address%5Bcountry%5D=DE"
                        + "&metadata%5Bcanonical_id%5D=cust-1&metadata[crm_account_id]=001A&expand[]=tax");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Request-Id")).hasValueSatisfying(id -> assertThat(id).matches("req_\\w{14}"));
        JsonNode customer = JSON.readTree(response.body());
        assertThat(customer.get("object").asText()).isEqualTo("customer");
        assertThat(customer.get("id").asText()).matches("cus_\\w{14}");
        assertThat(customer.get("livemode").asBoolean()).isFalse();
        assertThat(customer.get("created").asLong()).isBetween(System.currentTimeMillis() / 1000 - 60,
                System.currentTimeMillis() / 1000 + 1);
        assertThat(customer.get("name").asText()).isEqualTo("Acme GmbH");
        assertThat(customer.get("email").asText()).isEqualTo("billing@acme.example");
        assertThat(customer.at("/address/country").asText()).isEqualTo("DE");
        assertThat(customer.get("currency").isNull()).isTrue();
        assertThat(JSON.convertValue(customer.get("metadata"), java.util.Map.class))
                .isEqualTo(java.util.Map.of("canonical_id", "cust-1", "crm_account_id", "001A"));
        assertThat(stripe.createCalls("cust-1")).isEqualTo(1);
    }

    @Test
    void unknownCustomerAnswers404WithStripesBody() throws Exception {
        HttpResponse<String> response = get("/v1/customers/cus_missing");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("""
                {"error": {"code": "resource_missing",
                           "doc_url": "https://stripe.com/docs/error-codes/resource-missing",
                           "message": "No such customer: 'cus_missing'",
                           "param": "id",
                           "type": "invalid_request_error"}}"""));
    }

    @Test
    void updateMergesMetadataAndAnEmptyValueUnsetsAKey() throws Exception {
        String id = idOf(post("/v1/customers", null, "name=A&metadata[canonical_id]=c-2&metadata[erp_id]=77"));

        HttpResponse<String> updated = post("/v1/customers/" + id, null, "metadata[status]=inactive&metadata[erp_id]=");

        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(stripe.customer(id)).hasValueSatisfying(c -> assertThat(c.metadata())
                .isEqualTo(java.util.Map.of("canonical_id", "c-2", "status", "inactive")));
        assertThat(stripe.customer(id).orElseThrow().name()).isEqualTo("A");
    }

    @Test
    void sameIdempotencyKeyAndParametersReplaysTheFirstAnswer() throws Exception {
        HttpResponse<String> first = post("/v1/customers", "key-1", "name=A&metadata[canonical_id]=c-3");
        // Same parameters in another order: Stripe compares parameters, not bytes.
        HttpResponse<String> again = post("/v1/customers", "key-1", "metadata[canonical_id]=c-3&name=A");

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(stripe.createCalls("c-3")).isEqualTo(1);
        assertThat(stripe.customers()).hasSize(1);
    }

    @Test
    void sameIdempotencyKeyWithOtherParametersIsAnIdempotencyError() throws Exception {
        post("/v1/customers", "key-2", "name=A&metadata[canonical_id]=c-4");

        HttpResponse<String> other = post("/v1/customers", "key-2", "name=B&metadata[canonical_id]=c-4");

        assertThat(other.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(other.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("idempotency_error");
        assertThat(error.get("message").asText()).isEqualTo("Keys for idempotent requests can only be used with the "
                + "same parameters they were first used with. Try using a key other than 'key-2' if you meant to "
                + "execute a different request.");
        assertThat(stripe.customers()).hasSize(1);
    }

    @Test
    void afterKeysExpireTheSameKeyExecutesAgain() throws Exception {
        post("/v1/customers", "key-3", "name=A&metadata[canonical_id]=c-5");
        stripe.expireIdempotencyKeys();

        HttpResponse<String> late = post("/v1/customers", "key-3", "name=A&metadata[canonical_id]=c-5");

        assertThat(late.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(stripe.createCalls("c-5")).isEqualTo(2);
    }

    @Test
    void searchFindsByMetadataAndListFiltersByEmail() throws Exception {
        post("/v1/customers", null, "name=A&email=a%40x.example&metadata[canonical_id]=c-6&metadata[crm_account_id]=1");
        post("/v1/customers", null, "name=B&email=b%40x.example&metadata[canonical_id]=it's+c-7");

        JsonNode found = JSON.readTree(get("/v1/customers/search?query="
                + encode("metadata['canonical_id']:'c-6' AND metadata['crm_account_id']:'1'")).body());
        JsonNode quoted = JSON.readTree(get("/v1/customers/search?query="
                + encode("metadata['canonical_id']:'it\\'s c-7'")).body());
        JsonNode none = JSON.readTree(get("/v1/customers/search?query="
                + encode("metadata['canonical_id']:'c-6' AND metadata['crm_account_id']:'2'")).body());
        JsonNode listed = JSON.readTree(get("/v1/customers?email=b%40x.example&limit=5").body());

        assertThat(found.get("object").asText()).isEqualTo("search_result");
        assertThat(found.get("url").asText()).isEqualTo("/v1/customers/search");
        assertThat(found.get("has_more").asBoolean()).isFalse();
        assertThat(found.get("data")).hasSize(1);
        assertThat(found.at("/data/0/name").asText()).isEqualTo("A");
        assertThat(quoted.at("/data/0/name").asText()).isEqualTo("B");
        assertThat(none.get("data")).isEmpty();
        assertThat(listed.get("object").asText()).isEqualTo("list");
        assertThat(listed.get("data")).hasSize(1);
        assertThat(listed.at("/data/0/name").asText()).isEqualTo("B");
    }

    @Test
    void invalidParametersAre400WithTheParamNamed() throws Exception {
        JsonNode unknown = JSON.readTree(post("/v1/customers", null, "nmae=A").body()).get("error");
        HttpResponse<String> badEmail = post("/v1/customers", null, "email=not-an-email");
        HttpResponse<String> badQuery = get("/v1/customers/search?query=" + encode("canonical_id=c-1"));

        assertThat(unknown.get("param").asText()).isEqualTo("nmae");
        assertThat(unknown.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(badEmail.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badEmail.body()).at("/error/param").asText()).isEqualTo("email");
        assertThat(badQuery.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badQuery.body()).at("/error/param").asText()).isEqualTo("query");
        assertThat(stripe.customers()).isEmpty();
    }

    @Test
    void wrongOrMissingKeyIs401WithTheKeyMaskedAndBasicAuthIsAccepted() throws Exception {
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(stripe.baseUrl() + "/v1/customers"))
                .header("Authorization", "Bearer sk_test_wrongKeyValue9876").GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(stripe.baseUrl() + "/v1/customers"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        String basic = Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> viaBasic = http.send(HttpRequest.newBuilder(URI.create(stripe.baseUrl() + "/v1/customers"))
                .header("Authorization", "Basic " + basic).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.body())).isEqualTo(JSON.readTree(
                "{\"error\":{\"message\":\"Invalid API Key provided: sk_test_****9876\",\"type\":\"invalid_request_error\"}}"));
        assertThat(wrong.body()).doesNotContain("wrongKeyValue");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(missing.body()).at("/error/message").asText()).startsWith("You did not provide an API key");
        assertThat(viaBasic.statusCode()).isEqualTo(200);
    }

    @Test
    void requestsBeyondTheRateAreAnswered429WithStripesBody() throws Exception {
        try (StripeSimulator limited = StripeSimulator.start(KEY, 3)) {
            List<HttpResponse<String>> answers = new ArrayList<>();
            long began = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                answers.add(http.send(authorized(limited.baseUrl() + "/v1/customers").GET().build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            long elapsedMillis = (System.nanoTime() - began) / 1_000_000;

            long admitted = answers.stream().filter(r -> r.statusCode() == 200).count();
            HttpResponse<String> refused = answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
            // At most 3 per started second of the burst; on any normal machine the burst fits in one second.
            assertThat(admitted).isLessThanOrEqualTo(3 * (elapsedMillis / 1000 + 1));
            assertThat(limited.rateLimitedCount()).isEqualTo(10 - admitted);
            assertThat(JSON.readTree(refused.body())).isEqualTo(JSON.readTree("""
                    {"error": {"code": "rate_limit",
                               "doc_url": "https://stripe.com/docs/error-codes/rate-limit",
                               "message": "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.",
                               "type": "invalid_request_error"}}"""));
            assertThat(refused.headers().firstValue("Request-Id")).isPresent();
        }
    }

    @Test
    void injectedFaultsAnswerWithStripesBodiesThenRecover() throws Exception {
        stripe.failNext(2, 500);

        HttpResponse<String> first = get("/v1/customers");
        HttpResponse<String> second = get("/v1/customers");
        HttpResponse<String> third = get("/v1/customers");

        assertThat(first.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(first.body()).at("/error/type").asText()).isEqualTo("api_error");
        assertThat(second.statusCode()).isEqualTo(500);
        assertThat(third.statusCode()).isEqualTo(200);
    }

    @Test
    void stateIsReadableOverHttpForTestsInAnotherProcess() throws Exception {
        post("/v1/customers", "k", "name=A&metadata[canonical_id]=c-8");
        post("/v1/customers", "k", "name=A&metadata[canonical_id]=c-8");

        JsonNode state = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(stripe.baseUrl() + "/_sim/customers"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body());

        assertThat(state.get("customers")).hasSize(1);
        assertThat(state.at("/customers/0/metadata/canonical_id").asText()).isEqualTo("c-8");
        assertThat(state.at("/createsByCanonicalId/c-8").asInt()).isEqualTo(1);
        assertThat(state.at("/operationCounts/customers.create").asInt()).isEqualTo(2);
        assertThat(state.get("requests").asInt()).isEqualTo(2);
    }

    private HttpRequest.Builder authorized(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + KEY);
    }

    private HttpResponse<String> post(String path, String idempotencyKey, String form) throws Exception {
        HttpRequest.Builder request = authorized(stripe.baseUrl() + path)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(authorized(stripe.baseUrl() + pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String idOf(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).get("id").asText();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
