package io.q2chub.sandbox.netsuite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.q2chub.connector.netsuite.NetSuiteSettings;
import io.q2chub.connector.netsuite.TokenBasedAuth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NetSuiteSimulatorTest {

    private static final String UNAUTHORIZED = """
            {"type":"https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2","title":"Unauthorized","status":401,
             "o:errorDetails":[{"detail":"Invalid login attempt. For more details, see the Login Audit Trail in the \
            NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.","o:errorCode":"INVALID_LOGIN"}]}
            """;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private NetSuiteSimulator simulator;

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void requestWithoutAuthorizationGetsNetSuitesExact401Body() throws Exception {
        simulator = NetSuiteSimulator.start(NetSuiteSimulator.Settings.sandbox());

        HttpResponse<String> response = send(HttpRequest.newBuilder(customerUri("eid:c-1")).GET());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json.readTree(response.body())).isEqualTo(json.readTree(UNAUTHORIZED));
        assertThat(simulator.counts().unauthorized()).isEqualTo(1);
    }

    @Test
    void forgedSignatureGetsTheSame401() throws Exception {
        simulator = NetSuiteSimulator.start(NetSuiteSimulator.Settings.sandbox());
        String forged = "OAuth realm=\"1234567_SB1\", oauth_consumer_key=\"sandbox-consumer-key\", oauth_token=\""
                + "sandbox-token-id\", oauth_signature_method=\"HMAC-SHA256\", oauth_timestamp=\""
                + System.currentTimeMillis() / 1000 + "\", oauth_nonce=\"n1\", oauth_version=\"1.0\", "
                + "oauth_signature=\"bm90IGEgc2lnbmF0dXJl\"";

        HttpResponse<String> response = send(HttpRequest.newBuilder(customerUri("eid:c-1"))
                .header("Authorization", forged).GET());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json.readTree(response.body())).isEqualTo(json.readTree(UNAUTHORIZED));
    }

    @Test
    void missingRecordIs404WithNetSuitesErrorBody() throws Exception {
        simulator = NetSuiteSimulator.start(NetSuiteSimulator.Settings.sandbox());

        HttpResponse<String> response = send(signed("GET", customerUri("eid:nobody")));

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("status").asInt()).isEqualTo(404);
        assertThat(body.path("o:errorDetails").path(0).path("o:errorCode").asText()).isEqualTo("NONEXISTENT_ID");
    }

    @Test
    void requestsBeyondTheAccountLimitAreRefusedImmediatelyWith429() throws Exception {
        simulator = NetSuiteSimulator.start(NetSuiteSimulator.Settings.sandbox().withConcurrencyLimit(1));
        simulator.latency(Duration.ofMillis(700));

        List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 3)
                .mapToObj(i -> http.sendAsync(signed("GET", customerUri("eid:c-" + i)).build(),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();
        List<HttpResponse<String>> responses = calls.stream().map(CompletableFuture::join).toList();

        assertThat(responses).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(404, 429, 429);
        HttpResponse<String> refused = responses.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
        JsonNode error = json.readTree(refused.body()).path("o:errorDetails").path(0);
        assertThat(error.path("o:errorCode").asText()).isEqualTo("SSS_REQUEST_LIMIT_EXCEEDED");
        assertThat(error.path("detail").asText()).startsWith("Request blocked by the request concurrency limit");
        assertThat(simulator.counts()).isEqualTo(new NetSuiteSimulator.Counts(3, 2, 0));
    }

    @Test
    void upsertAnswers204WithLocationAndStateIsReadableOverHttp() throws Exception {
        simulator = NetSuiteSimulator.start(NetSuiteSimulator.Settings.sandbox());
        String body = "{\"companyName\":\"Acme GmbH\",\"subsidiary\":{\"id\":\"2\"},\"currency\":{\"id\":\"4\"}}";

        HttpResponse<String> created = send(signed("PUT", customerUri("eid:c-1"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
        HttpResponse<String> state = send(HttpRequest.newBuilder(URI.create(
                simulator.baseUrl().replace(NetSuiteSimulator.RECORD_PATH, "/_sim/customers"))).GET());

        String internalId = simulator.customer("c-1").orElseThrow().internalId();
        assertThat(created.statusCode()).isEqualTo(204);
        assertThat(created.headers().firstValue("Location")).hasValue(simulator.baseUrl() + "/customer/" + internalId);
        JsonNode customer = json.readTree(state.body()).path("customers").path(0);
        assertThat(customer.path("externalId").asText()).isEqualTo("c-1");
        assertThat(customer.path("internalId").asText()).isEqualTo(internalId);
        assertThat(customer.path("writes").asInt()).isEqualTo(1);
        assertThat(customer.path("fields").path("receivablesAccount").path("id").asText()).isEqualTo("221");
    }

    @Test
    void patchByInternalIdChangesOnlyTheGivenField() throws Exception {
        simulator = NetSuiteSimulator.start(NetSuiteSimulator.Settings.sandbox());
        send(signed("PUT", customerUri("eid:c-1")).PUT(HttpRequest.BodyPublishers.ofString(
                "{\"companyName\":\"Acme\",\"subsidiary\":{\"id\":\"1\"}}")));
        String internalId = simulator.customer("c-1").orElseThrow().internalId();

        HttpResponse<String> patched = send(signed("PATCH", customerUri(internalId))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"isInactive\":true}")));

        CustomerRecord record = simulator.customer("c-1").orElseThrow();
        assertThat(patched.statusCode()).isEqualTo(204);
        assertThat(record.inactive()).isTrue();
        assertThat(record.companyName()).isEqualTo("Acme");
        assertThat(record.writes()).isEqualTo(2);
    }

    @Test
    void aCustomerPaymentAppliesAtMostWhatTheInvoiceOwesAndKeepsTheRestAsUnappliedCredit() throws Exception {
        simulator = NetSuiteSimulator.start(NetSuiteSimulator.Settings.sandbox());
        send(signed("PUT", customerUri("eid:c-1")).PUT(HttpRequest.BodyPublishers.ofString(
                "{\"companyName\":\"Acme\",\"subsidiary\":{\"id\":\"1\"}}")));
        String customer = simulator.customer("c-1").orElseThrow().internalId();
        put("invoice/eid:in-1", """
                {"entity":{"id":"%s"},"tranId":"INV-1","item":{"items":[{"item":{"id":"501"},"quantity":1,
                 "rate":100.00,"amount":100.00}]}}""".formatted(customer));
        String invoice = simulator.invoice("in-1").orElseThrow().internalId();

        HttpResponse<String> tooMuch = put("customerPayment/eid:pay-1", payment(customer, invoice, "120.00", "120.00"));
        JsonNode error = json.readTree(tooMuch.body()).path("o:errorDetails").path(0);
        assertThat(tooMuch.statusCode()).isEqualTo(400);
        assertThat(error.path("o:errorCode").asText()).isEqualTo("USER_ERROR");
        assertThat(error.path("detail").asText()).contains("exceeds its amount due (100.00)");
        assertThat(simulator.customerPayment("pay-1")).isEmpty();

        assertThat(put("customerPayment/eid:pay-1", payment(customer, invoice, "120.00", "100.00")).statusCode())
                .isEqualTo(204);
        // written again (a client retry): its earlier application is taken back first, not counted twice
        assertThat(put("customerPayment/eid:pay-1", payment(customer, invoice, "120.00", "100.00")).statusCode())
                .isEqualTo(204);
        Transaction payment = simulator.customerPayment("pay-1").orElseThrow();
        assertThat(payment.fields().path("applied").decimalValue().toPlainString()).isEqualTo("100.00");
        assertThat(payment.fields().path("unapplied").decimalValue().toPlainString()).isEqualTo("20.00");
        assertThat(payment.writes()).isEqualTo(2);
        assertThat(simulator.invoice("in-1").orElseThrow().amountRemaining().signum()).isZero();
        assertThat(simulator.invoice("in-1").orElseThrow().text("status")).isEqualTo("Paid In Full");

        String refund = """
                {"customer":{"id":"%s"},"apply":{"items":[{"doc":{"id":"%s"},"apply":true,"amount":%s}]}}""";
        HttpResponse<String> overRefund = put("customerRefund/eid:ref-1", refund.formatted(customer,
                payment.internalId(), "120.01"));
        assertThat(overRefund.statusCode()).isEqualTo(400);
        assertThat(overRefund.body()).contains("USER_ERROR", "exceeds what payment pay-1 can still refund (120.00)");
        assertThat(put("customerRefund/eid:ref-1", refund.formatted(customer, payment.internalId(), "20.00"))
                .statusCode()).isEqualTo(204);
        assertThat(simulator.customerRefund("ref-1").orElseThrow().total().toPlainString()).isEqualTo("20.00");
    }

    private static String payment(String customer, String invoice, String amount, String applied) {
        return """
                {"customer":{"id":"%s"},"payment":%s,"apply":{"items":[{"doc":{"id":"%s"},"apply":true,"amount":%s}]}}"""
                .formatted(customer, amount, invoice, applied);
    }

    private HttpResponse<String> put(String path, String body) throws Exception {
        return send(signed("PUT", URI.create(simulator.baseUrl() + "/" + path))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private URI customerUri(String key) {
        return URI.create(simulator.baseUrl() + "/customer/" + key);
    }

    private HttpRequest.Builder signed(String method, URI uri) {
        NetSuiteSimulator.Settings account = NetSuiteSimulator.Settings.sandbox();
        TokenBasedAuth tba = new TokenBasedAuth(new NetSuiteSettings(simulator.baseUrl(), account.accountId(),
                account.consumerKey(), account.consumerSecret(), account.tokenId(), account.tokenSecret(), Map.of(),
                Map.of(), 1, Duration.ofSeconds(5), 1, Duration.ofMillis(10)));
        return HttpRequest.newBuilder(uri).header("Authorization", tba.header(method, uri));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
