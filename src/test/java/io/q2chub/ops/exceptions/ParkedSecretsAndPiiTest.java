package io.q2chub.ops.exceptions;

import static io.q2chub.testing.CanonicalSamples.customerChangedHeaders;
import static io.q2chub.testing.CanonicalSamples.newId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.q2chub.sandbox.netsuite.CustomerRecord;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.slack.SlackWebhookSimulator;
import io.q2chub.testing.ErpAndBillingSimulators;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.KafkaTestClient;
import io.q2chub.testing.SlackWebhookReceiver;
import io.q2chub.testing.Sql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, "a secret in a payload never appears in the case, the log or the notification": a customer event with
 * secrets and PII fails at the ERP and is parked by the real route. The database holds neither the secrets nor the
 * PII in clear text, the API shows the PII masked, the owning team's Slack channel gets a message without payload
 * data, nothing of it reaches the log, and a replay delivers the original PII to the ERP simulator.
 */
@QuarkusTest
@QuarkusTestResource(HubTestServices.class)
@WithTestResource(ErpAndBillingSimulators.class)
@QuarkusTestResource(value = SlackWebhookReceiver.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "q2c.exceptions.team.rules", value = "class=BUSINESS,capability=customer-onboarding->master-data"),
        @ResourceArg(name = "team-webhook:master-data", value = "B00MASTERDATA"),
        @ResourceArg(name = "q2c.console.base-url", value = "https://hub.example.test")})
class ParkedSecretsAndPiiTest {

    static final String CUSTOMER_TOPIC = "q2c.customer.v1";
    static final String API = "/api/exception-cases";
    static final String EMAIL = "ap.clerk@acme-secretcorp.example";
    static final String TAX_ID = "98-7654321";
    static final String API_KEY = "sk_live_51LeakedKeyAbcDef987";
    static final String BEARER = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsZWFrIn0.c2lnbmF0dXJl";
    static final String HEADER_TOKEN = "hdr-token-0c7f1e9a";
    static final String EDIT_PASSWORD = "hunter2-typed-into-an-edit";

    @ErpAndBillingSimulators.Simulator
    NetSuiteSimulator netsuite;

    @SlackWebhookReceiver.Receiver
    SlackWebhookSimulator slack;

    @Inject
    AgroalDataSource db;

    @Inject
    ObjectMapper json;

    final CapturedLog log = new CapturedLog();

    @BeforeEach
    void captureLog() {
        netsuite.reset();
        Logger.getLogger("").addHandler(log);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(log);
    }

    @Test
    void secretsAndPiiAreNeitherStoredNorLoggedNorNotifiedAndReplaySendsTheOriginalPii() throws Exception {
        String customerId = newId("cust");
        String eventId = newId("evt");
        netsuite.failNext(1, 400);
        Map<String, String> headers = customerChangedHeaders(eventId, customerId);
        headers.put("q2c-change-type", "CREATE");
        headers.put("q2c-source-role", "crm");
        headers.put("x-api-key", HEADER_TOKEN);
        KafkaTestClient.send(CUSTOMER_TOPIC, null, customerId, customerWithSecrets(customerId), headers);

        long caseId = awaitCase("customer-onboarding", eventId);

        // The case row: no secret, no clear-text PII, the PII encrypted beside it.
        String payload = Sql.first(db, "SELECT convert_from(payload, 'UTF8') FROM exception_case WHERE id = ?", caseId).orElseThrow();
        assertThat(payload).doesNotContain(API_KEY, "eyJhbGciOiJIUzI1NiJ9", "s3cr3t-pa55", EMAIL, TAX_ID)
                .contains("\"email\":\"[ENCRYPTED]\"", "\"taxId\":\"[ENCRYPTED]\"", "\"apiKey\":\"[REDACTED]\"",
                        "\"note\":\"[REDACTED]\"", "\"name\":\"Acme Secretcorp\"");
        String encrypted = Sql.first(db, "SELECT encrypted_pii::text FROM exception_case WHERE id = ?", caseId).orElseThrow();
        assertThat(json.readTree(encrypted).fieldNames()).toIterable().containsExactlyInAnyOrder("/email", "/taxId");
        assertThat(encrypted).doesNotContain(EMAIL, TAX_ID);
        assertThat(Sql.first(db, "SELECT headers::text FROM exception_case WHERE id = ?", caseId).orElseThrow())
                .doesNotContain(HEADER_TOKEN).contains("[REDACTED]");
        assertThat(Sql.first(db, "SELECT team FROM exception_case WHERE id = ?", caseId)).contains("master-data");

        // The API: the team, and the PII masked.
        as("viewer").get(API + "/" + caseId).then().statusCode(200)
                .body("summary.team", equalTo("master-data"))
                .body("summary.owner", equalTo(null))
                .body("payload.content", containsString("\"email\":\"[ENCRYPTED]\""))
                .body("payload.content", not(containsString(EMAIL)));
        as("viewer").queryParam("team", "master-data").queryParam("q", customerId).get(API).then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].id", equalTo((int) caseId));
        as("viewer").queryParam("team", "integration-ops").queryParam("q", customerId).get(API).then().statusCode(200)
                .body("total", equalTo(0));

        // The notification: in the team's channel, with a link to the case and nothing of the payload.
        String link = "https://hub.example.test/console/#/cases/" + caseId;
        SlackWebhookSimulator.Posted posted = await().atMost(Duration.ofSeconds(30))
                .until(() -> messageLinking(link), Optional::isPresent).orElseThrow();
        assertThat(posted.path()).contains("/B00MASTERDATA/");
        String message = json.writeValueAsString(posted.message());
        assertThat(posted.message().path("text").asText()).contains("BUSINESS", "customer-onboarding", "UNEXPECTED_ERROR", link);
        assertThat(posted.message().path("blocks").isArray()).isTrue();
        assertThat(message).contains("master-data", "netsuite", customerId)
                .doesNotContain(API_KEY, "eyJhbGciOiJIUzI1NiJ9", "s3cr3t-pa55", HEADER_TOKEN, EMAIL, TAX_ID, "Acme Secretcorp",
                        "injected by the simulator");

        // Replay with an edit made on the masked view: the ERP receives the original PII, the audit trail does not keep it.
        ObjectNode edited = (ObjectNode) json.readTree(as("viewer").get(API + "/" + caseId).then().statusCode(200)
                .extract().path("payload.content").toString());
        edited.put("name", "Acme Secretcorp Inc");
        edited.put("password", EDIT_PASSWORD);
        as("operator").contentType("application/json").body(json.writeValueAsString(Map.of("payload", edited)))
                .post(API + "/" + caseId + "/replay").then().statusCode(200);

        CustomerRecord erp = await().atMost(Duration.ofSeconds(30)).until(() -> netsuite.customer(customerId)
                .filter(c -> "Acme Secretcorp Inc".equals(c.companyName())), Optional::isPresent).orElseThrow();
        assertThat(erp.email()).isEqualTo(EMAIL);
        await().atMost(Duration.ofSeconds(30)).until(() -> Sql.first(db, "SELECT status FROM exception_case WHERE id = ?", caseId)
                .orElse("").equals("RESOLVED"));
        List<String> history = rows("SELECT action || ' ' || coalesce(detail, '') FROM exception_case_history WHERE case_id = ? ORDER BY id", caseId);
        assertThat(history).anySatisfy(row -> assertThat(row).startsWith("EDITED").contains("Acme Secretcorp Inc", "\"email\":\"[ENCRYPTED]\""));
        assertThat(String.join("\n", history)).doesNotContain(EDIT_PASSWORD, EMAIL, TAX_ID, API_KEY, "eyJhbGciOiJIUzI1NiJ9");

        // And the log, all along.
        assertThat(log.text()).as("log").contains("case " + caseId)
                .doesNotContain(API_KEY, "eyJhbGciOiJIUzI1NiJ9", "s3cr3t-pa55", HEADER_TOKEN, EMAIL, TAX_ID, EDIT_PASSWORD);
    }

    @Test
    void anUnparseablePayloadKeepsItsBytesButNotItsSecrets() {
        String eventId = newId("evt");
        String customerId = newId("cust");
        // The parser stops at the unquoted password and quotes it in its error: the message is redacted as well.
        byte[] poison = ("{\"id\":\"" + customerId + "\",\"apiKey\":\"" + API_KEY + "\",\"email\":\"" + EMAIL
                + "\",\"password\": unquotedS3cret, broken").getBytes(StandardCharsets.UTF_8);
        KafkaTestClient.send(CUSTOMER_TOPIC, null, customerId, poison, customerChangedHeaders(eventId, customerId));

        long caseId = awaitCase("transaction-ledger", eventId);

        String stored = Sql.first(db, "SELECT convert_from(payload, 'UTF8') FROM exception_case WHERE id = ?", caseId).orElseThrow();
        assertThat(stored).isEqualTo("{\"id\":\"" + customerId + "\",\"apiKey\":\"[REDACTED]\",\"email\":\"[REDACTED]\""
                + ",\"password\": \"[REDACTED]\", broken");
        assertThat(Sql.first(db, "SELECT error_message FROM exception_case WHERE id = ?", caseId).orElseThrow())
                .contains("Unrecognized token '[REDACTED]'").doesNotContain("unquotedS3cret");
        assertThat(Sql.first(db, "SELECT failure_class FROM exception_case WHERE id = ?", caseId)).contains("POISON");
        assertThat(Sql.first(db, "SELECT team FROM exception_case WHERE id = ?", caseId)).contains("integration-ops");
        String link = "https://hub.example.test/console/#/cases/" + caseId;
        SlackWebhookSimulator.Posted posted = await().atMost(Duration.ofSeconds(30))
                .until(() -> messageLinking(link), Optional::isPresent).orElseThrow();
        assertThat(posted.path()).as("the default webhook").isEqualTo(SlackWebhookSimulator.WEBHOOK_PATH);
        assertThat(posted.message().toString()).doesNotContain(API_KEY, EMAIL, "unquotedS3cret", "broken");
        assertThat(log.text()).contains("case " + caseId).doesNotContain(API_KEY, EMAIL, "unquotedS3cret");
    }

    @Test
    void aWebhookThatFailsNeitherStopsParkingNorGetsItsUrlLogged() {
        slack.failNext(1_000);
        try {
            String eventId = newId("evt");
            String customerId = newId("cust");
            KafkaTestClient.send(CUSTOMER_TOPIC, null, customerId, "not json".getBytes(StandardCharsets.UTF_8),
                    customerChangedHeaders(eventId, customerId));

            long caseId = awaitCase("transaction-ledger", eventId);
            await().atMost(Duration.ofSeconds(30)).until(() -> log.text().contains("notification (new case " + caseId + ") to default webhook failed: HTTP 500"));
            assertThat(log.text()).doesNotContain("sandboxWebhookToken", "/services/T00SANDBOX");
            assertThat(slack.posts()).noneMatch(p -> p.message().toString().contains("/cases/" + caseId + "|"));
        } finally {
            slack.reset();
        }
    }

    private byte[] customerWithSecrets(String customerId) {
        return ("""
                {"id":"%s","name":"Acme Secretcorp","legalEntity":"US01","billingCountry":"US","currency":"USD",
                 "taxId":"%s","email":"%s","status":"ACTIVE","externalIds":{"crm":"001000000000777AAA"},
                 "apiKey":"%s","note":"%s","integration":{"user":"sync","password":"s3cr3t-pa55"}}""")
                .formatted(customerId, TAX_ID, EMAIL, API_KEY, BEARER).getBytes(StandardCharsets.UTF_8);
    }

    private Optional<SlackWebhookSimulator.Posted> messageLinking(String link) {
        return slack.posts().stream().filter(p -> p.message().path("text").asText().contains(link)).findFirst();
    }

    private long awaitCase(String capability, String eventId) {
        String sql = "SELECT id FROM exception_case WHERE capability = '" + capability + "' AND event_id = ?";
        return Long.parseLong(await().atMost(Duration.ofSeconds(30))
                .until(() -> Sql.first(db, sql, eventId), Optional::isPresent).orElseThrow());
    }

    private List<String> rows(String sql, Object param) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            return rows;
        }
    }

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user + "-sandbox");
    }

    /** Every log record of the hub while a test runs, formatted as the console would print it, with stack traces. */
    static final class CapturedLog extends Handler {
        private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        @Override
        public void publish(LogRecord record) {
            String text = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                text += "\n" + trace;
            }
            lines.add(record.getLoggerName() + " " + text);
        }

        String text() {
            return String.join("\n", lines);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
