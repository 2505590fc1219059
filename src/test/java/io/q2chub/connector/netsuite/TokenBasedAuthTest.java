package io.q2chub.connector.netsuite;

import static org.assertj.core.api.Assertions.assertThat;

import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The signer against a known answer (computed outside Java) and against the simulator's verifier. */
class TokenBasedAuthTest {

    private static NetSuiteSimulator simulator;
    private static TokenBasedAuth tba;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        simulator = NetSuiteSimulator.start(SandboxAccount.ACCOUNT);
        tba = new TokenBasedAuth(SandboxAccount.settings(simulator));
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void signatureMatchesAnRfc5849KnownAnswer() {
        // Expected value from Python's hmac over the RFC 5849 base string: lower-case host, no default port,
        // form-decoded query ("+" is a space) re-encoded with %20, parameters sorted.
        NetSuiteSettings settings = new NetSuiteSettings("https://x", "1234567_SB1", "ck", "cs", "tk", "ts",
                Map.of(), Map.of(), 1, Duration.ofSeconds(1), 1, Duration.ofMillis(1));
        URI uri = URI.create("https://1234567-SB1.suitetalk.api.netsuite.com:443/services/rest/record/v1/customer/"
                + "eid:c-1?expandSubResources=true&q=a+b%2Bc");

        String header = new TokenBasedAuth(settings).header("GET", uri, "abc123", 1_700_000_000L);

        assertThat(header).startsWith("OAuth realm=\"1234567_SB1\", ")
                .contains("oauth_signature_method=\"HMAC-SHA256\"", "oauth_timestamp=\"1700000000\"",
                        "oauth_signature=\"FzZGmryUOH0MHGtJ9HFiYPh92IYV4KLwv5Efugm36wQ%3D\"");
    }

    @Test
    void aSignedRequestIsAcceptedIncludingItsQueryParameters() throws Exception {
        URI uri = URI.create(simulator.baseUrl() + "/customer/eid:nobody?expandSubResources=true");

        // 404 means past authentication: the record is missing, the credentials are not
        assertThat(send(uri, tba.header("GET", uri)).statusCode()).isEqualTo(404);
    }

    @Test
    void aTamperedQueryParameterIsRefused() throws Exception {
        URI signedFor = URI.create(simulator.baseUrl() + "/customer/eid:nobody?limit=5");
        URI sent = URI.create(simulator.baseUrl() + "/customer/eid:nobody?limit=6");

        assertThat(send(sent, tba.header("GET", signedFor)).statusCode()).isEqualTo(401);
    }

    @Test
    void aTamperedOAuthParameterIsRefused() throws Exception {
        URI uri = URI.create(simulator.baseUrl() + "/customer/eid:nobody");
        String header = tba.header("GET", uri).replaceFirst("oauth_nonce=\"[^\"]*\"", "oauth_nonce=\"other\"");

        assertThat(send(uri, header).statusCode()).isEqualTo(401);
    }

    @Test
    void aSignatureForAnotherMethodIsRefused() throws Exception {
        URI uri = URI.create(simulator.baseUrl() + "/customer/eid:nobody");

        assertThat(send(uri, tba.header("PATCH", uri)).statusCode()).isEqualTo(401);
    }

    @Test
    void aReplayedNonceIsRefused() throws Exception {
        URI uri = URI.create(simulator.baseUrl() + "/customer/eid:nobody");
        String header = tba.header("GET", uri);

        assertThat(send(uri, header).statusCode()).isEqualTo(404);
        assertThat(send(uri, header).statusCode()).isEqualTo(401);
    }

    @Test
    void aTimestampOlderThanFiveMinutesIsRefused() throws Exception {
        Clock sixMinutesAgo = Clock.fixed(Instant.now().minus(Duration.ofMinutes(6)), ZoneOffset.UTC);
        TokenBasedAuth late = new TokenBasedAuth(SandboxAccount.settings(simulator), sixMinutesAgo);
        URI uri = URI.create(simulator.baseUrl() + "/customer/eid:nobody");

        assertThat(send(uri, late.header("GET", uri)).statusCode()).isEqualTo(401);
    }

    @Test
    void anotherRealmIsRefused() throws Exception {
        NetSuiteSettings account = SandboxAccount.settings(simulator);
        TokenBasedAuth otherRealm = new TokenBasedAuth(new NetSuiteSettings(account.baseUrl(), "7654321",
                account.consumerKey(), account.consumerSecret(), account.tokenId(), account.tokenSecret(),
                Map.of(), Map.of(), 1, Duration.ofSeconds(5), 1, Duration.ofMillis(10)));
        URI uri = URI.create(simulator.baseUrl() + "/customer/eid:nobody");

        assertThat(send(uri, otherRealm.header("GET", uri)).statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> send(URI uri, String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", authorization).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
