package io.q2chub.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.q2chub.canonical.Customer;
import io.q2chub.capability.payments.PaymentApplicationTest;
import io.q2chub.capability.payments.PaymentFixtures;
import io.q2chub.connector.ConnectorRoles;
import io.q2chub.connector.Erp;
import io.q2chub.ops.xref.CrossReference;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.netsuite.Transaction;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.q2chub.sandbox.stripe.WebhookSignature;
import io.q2chub.testing.CapturedLog;
import io.q2chub.testing.CanonicalSamples;
import io.q2chub.testing.ErpAndBillingSimulators;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.KafkaTestClient;
import io.q2chub.testing.Sql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault suite's input cases (docs/fault-cases.md): real signed Stripe webhooks over HTTP into the running hub,
 * through the broker and PostgreSQL, to the NetSuite simulator. Each test states the suite's invariant for its
 * case - nothing lost (applied in the ERP, or parked as a case that holds its payload), nothing duplicated (the
 * simulator's ledger), a clear 4xx for bad input - and the last one checks it over every invoice and payment this
 * class made in Stripe. The process-level faults (SIGKILL, broker restart, database outage, ERP storms) are in
 * FaultSuiteIT. Runs on the payment tests' profile, so it costs no application start of its own.
 */
@QuarkusTest
@TestProfile(PaymentApplicationTest.Webhooks.class)
@QuarkusTestResource(HubTestServices.class)
@WithTestResource(ErpAndBillingSimulators.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookFaultsTest {

    private static final String SECRET = PaymentApplicationTest.SECRET;
    private static final Duration FLOW = Duration.ofSeconds(30);
    private static final long JAN_1_2027 = 1_798_761_600L;
    private static final long FEB_1_2027 = 1_801_440_000L;
    private static final int MAX_BYTES = 262_144; // q2c.stripe.webhook-max-bytes, default
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The Stripe customers this class made: the final accounting covers every invoice and payment of theirs. */
    private static final Set<String> CUSTOMERS = ConcurrentHashMap.newKeySet();

    @ErpAndBillingSimulators.Simulator
    StripeSimulator stripe;

    @ErpAndBillingSimulators.Simulator
    NetSuiteSimulator netsuite;

    @Inject
    ConnectorRoles roles;

    @Inject
    CrossReference xref;

    @Inject
    AgroalDataSource db;

    @TestHTTPResource("/webhooks/stripe")
    URL endpoint;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private CapturedLog logCapture;

    @BeforeEach
    void deliverToTheHub() {
        stripe.webhooks().endpoint(endpoint.toString(), SECRET);
        stripe.webhooks().retries(Duration.ofMillis(200), 10);
        stripe.webhooks().duplicateEach(1);
        logCapture = CapturedLog.attach();
    }

    @AfterEach
    void stopCapture() {
        logCapture.close();
    }

    /** Cases 1 and 3 (late): one event at once on 8 connections, again later, and again too late. */
    @Test
    @Order(5)
    void oneEventDeliveredEightTimesAtOnceIsAnswered200EveryTimeAndPostedOnceAndALateCopyChangesNothing()
            throws Exception {
        String customer = customer("US01", "USD");
        String stripeInvoice = (String) stripe.createInvoice(scenario(customer, "usd", 1, 4_200, null, null)
                .replace("{\"customer\"", "{\"finalize\":false,\"customer\"")).get("id");
        String payload = undelivered(stripeInvoice, () -> stripe.invoiceAction(stripeInvoice, "finalize"),
                "invoice.finalized");

        List<Integer> answers = concurrently(8, () -> post(payload, sign(payload, now())).statusCode());
        assertThat(answers).as("every concurrent delivery of one event").allMatch(status -> status == 200);

        String canonical = await().atMost(FLOW).until(() -> xref.canonicalId("stripe", "invoice", stripeInvoice),
                Optional::isPresent).orElseThrow();
        Transaction posted = await().atMost(FLOW).until(() -> netsuite.invoice(canonical), Optional::isPresent)
                .orElseThrow();
        assertThat(posted.total().toPlainString()).isEqualTo("42.00");

        // Stripe's "resend" a day later: a fresh, valid signature on the same event.
        assertThat(post(payload, sign(payload, now())).statusCode()).isEqualTo(200);
        // A delivery whose signature is older than the tolerance (replayed capture): refused, whatever it carries.
        HttpResponse<String> late = post(payload, sign(payload, now() - 301));
        assertThat(late.statusCode()).isEqualTo(400);
        assertThat(late.body()).contains("timestamp outside tolerance");

        assertThat(issuedEvents(stripeInvoice)).as("canonical events on q2c.invoice.v1").hasSize(1);
        assertThat(netsuite.transactions()).filteredOn(t -> canonical.equals(t.externalId())).hasSize(1);
        assertThat(netsuite.invoice(canonical).orElseThrow().writes()).isEqualTo(1);
    }

    /**
     * Case 2: the payment's two webhooks reach the hub before its invoice's. The payment is parked naming the
     * invoice (never applied elsewhere, never unapplied), the invoice posts when its webhook comes, and replaying
     * the case applies the payment once.
     */
    @Test
    @Order(4)
    void aPaymentDeliveredBeforeItsInvoiceIsParkedAndAppliedOnceAfterTheInvoicePosts() throws Exception {
        String customer = customer("US01", "USD");
        String stripeInvoice = (String) stripe.createInvoice(scenario(customer, "usd", 1, 9_900, null, null)
                .replace("{\"customer\"", "{\"finalize\":false,\"customer\"")).get("id");
        stripe.webhooks().suppress(stripeInvoice);
        stripe.invoiceAction(stripeInvoice, "finalize");
        stripe.payInvoice(stripeInvoice, null);

        stripe.webhooks().redeliver(stripe.webhooks().eventId("invoice_payment.paid",
                invoicePaymentId(stripeInvoice, 0)));
        stripe.webhooks().redeliver(stripe.webhooks().eventId("invoice.paid", stripeInvoice));
        String payment = canonicalPayment(stripeInvoice, 0);
        await().atMost(FLOW).until(() -> "2".equals(caseColumn("payment-application", "occurrences", payment)));
        assertThat(caseColumn("payment-application", "status", payment)).isEqualTo("OPEN");
        assertThat(caseColumn("payment-application", "error_code", payment)).isEqualTo("INVOICE_NOT_POSTED");
        assertThat(Sql.count(db, "SELECT count(*) FROM exception_case WHERE id = ? AND payload IS NOT NULL",
                Long.parseLong(caseColumn("payment-application", "id", payment)))).isEqualTo(1);
        assertThat(netsuite.customerPayment(payment)).isEmpty();

        stripe.webhooks().redeliver(stripe.webhooks().eventId("invoice.finalized", stripeInvoice));
        Transaction invoice = posted(stripeInvoice);
        replay("payment-application", payment);

        Transaction applied = await().atMost(FLOW).until(() -> netsuite.customerPayment(payment), Optional::isPresent)
                .orElseThrow();
        assertThat(applied.total().toPlainString()).isEqualTo("99.00");
        assertThat(applied.applied()).extracting(a -> a.path("doc").path("id").asText())
                .containsExactly(invoice.internalId());
        await().atMost(FLOW).until(() -> "RESOLVED".equals(caseColumn("payment-application", "status", payment)));
        assertThat(netsuite.invoice(invoice.externalId()).orElseThrow().amountRemaining().signum()).isZero();
        assertThat(applied.writes()).isEqualTo(1);
        assertThat(netsuite.transactions()).filteredOn(t -> payment.equals(t.externalId())).hasSize(1);
    }

    /** Case 3: forged, tampered and unknown-secret deliveries of a real payment event. */
    @Test
    @Order(3)
    void forgedAndTamperedPaymentWebhooksAre400WithNothingQueuedOrLoggedAndTheGenuineOneStillApplies()
            throws Exception {
        String customer = customer("US01", "USD");
        String stripeInvoice = (String) stripe.createInvoice(scenario(customer, "usd", 1, 5_000, null, null)).get("id");
        String canonical = await().atMost(FLOW).until(() -> xref.canonicalId("stripe", "invoice", stripeInvoice),
                Optional::isPresent).orElseThrow();
        await().atMost(FLOW).until(() -> netsuite.invoice(canonical), Optional::isPresent);
        stripe.webhooks().suppress(stripeInvoice);
        stripe.payInvoice(stripeInvoice, null);
        String eventId = stripe.webhooks().eventId("invoice_payment.paid", invoicePaymentId(stripeInvoice, 0));
        String payload = stripe.webhooks().events().get(eventId);
        String paymentIntent = paymentIntent(stripeInvoice, 0);
        String tampered = payload.replace("\"amount_paid\":5000", "\"amount_paid\":500000");
        assertThat(tampered).isNotEqualTo(payload);
        long now = now();

        List<HttpResponse<String>> refused = List.of(
                post(payload, WebhookSignature.header(payload, now, "whsec_unknown_to_the_hub")),
                post(tampered, sign(payload, now)),
                post(payload, "t=" + now + ",v1=" + "ab".repeat(32)),
                post(payload, sign(payload, now).replace("v1=", "v2=")));

        assertThat(refused).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).containsAnyOf("signature mismatch", "malformed signature header");
        });
        assertThat(xref.canonicalId("stripe", "payment", paymentIntent)).as("nothing of it processed").isEmpty();
        assertThat(paymentEvents(invoicePaymentId(stripeInvoice, 0))).as("nothing on q2c.payment.v1").isEmpty();
        List<String> logLines = logCapture.lines();
        assertThat(logLines).filteredOn(line -> line.contains("Stripe webhook rejected")).hasSize(4);
        assertThat(logLines).noneMatch(line -> line.contains(stripeInvoice) || line.contains(paymentIntent)
                || line.contains("500000") || line.contains("v1="));

        // The forgeries claimed nothing: the genuine event, delivered now, is applied once.
        stripe.webhooks().redeliver(eventId);
        String payment = canonicalPayment(stripeInvoice, 0);
        Transaction applied = await().atMost(FLOW).until(() -> netsuite.customerPayment(payment), Optional::isPresent)
                .orElseThrow();
        assertThat(applied.total().toPlainString()).isEqualTo("50.00");
        assertThat(applied.writes()).isEqualTo(1);
    }

    /** Cases 8 and 21 at the door: each bad body is a clear 4xx with a reason, and the hub keeps serving. */
    @Test
    @Order(1)
    void badBodiesAreAClear4xxWithAReasonAndTheHubKeepsServing() throws Exception {
        long now = now();
        String oversized = "{\"id\":\"evt_big\",\"pad\":\"" + "x".repeat(MAX_BYTES) + "\"}";
        assertThat(post(oversized, sign(oversized, now)).statusCode()).isEqualTo(413);
        // over the HTTP layer's own limit (quarkus.http.limits.max-body-size, 1M) as well
        String huge = "{\"pad\":\"" + "x".repeat(1_100_000) + "\"}";
        assertThat(post(huge, sign(huge, now)).statusCode()).isEqualTo(413);

        String event = """
                {"id":"evt_%s","object":"event","type":"invoice.finalized","data":{"object":{"id":"in_%s"}}}"""
                .formatted(shortId(), shortId());
        HttpResponse<String> form = post(event.getBytes(StandardCharsets.UTF_8), sign(event, now),
                "application/x-www-form-urlencoded");
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(form.body()).contains("content type");
        HttpResponse<String> text = post(event.getBytes(StandardCharsets.UTF_8), sign(event, now), "text/plain");
        assertThat(text.statusCode()).isEqualTo(415);

        byte[] notUtf8 = concat("{\"id\":\"evt_".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xC3, 0x28},
                "\",\"type\":\"invoice.finalized\",\"data\":{\"object\":{\"id\":\"in_1\"}}}"
                        .getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> invalidUtf8 = post(notUtf8, signBytes(notUtf8, now), "application/json");
        assertThat(invalidUtf8.statusCode()).isEqualTo(400);
        assertThat(invalidUtf8.body()).contains("UTF-8");

        String nested = "{\"id\":\"evt_deep\",\"type\":\"invoice.finalized\",\"data\":{\"object\":{\"id\":\"in_deep\","
                + "\"n\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}}}";
        HttpResponse<String> deep = post(nested, sign(nested, now));
        assertThat(deep.statusCode()).isEqualTo(400);
        assertThat(deep.body()).contains("malformed event");

        String malformed = "{\"id\":\"evt_cut\",\"type\":\"invoice.fina";
        HttpResponse<String> cut = post(malformed, sign(malformed, now));
        assertThat(cut.statusCode()).isEqualTo(400);
        assertThat(cut.body()).contains("malformed event");

        String noObject = "{\"id\":\"evt_%s\",\"object\":\"event\",\"type\":\"invoice.finalized\",\"data\":{}}"
                .formatted(shortId());
        HttpResponse<String> envelope = post(noObject, sign(noObject, now));
        assertThat(envelope.statusCode()).isEqualTo(400);
        assertThat(envelope.body()).contains("malformed event");

        // none of them stopped the door: a genuine event right after is processed
        String customer = customer("US01", "USD");
        String stripeInvoice = (String) stripe.createInvoice(scenario(customer, "usd", 1, 1_000, null, null)).get("id");
        String canonical = await().atMost(FLOW).until(() -> xref.canonicalId("stripe", "invoice", stripeInvoice),
                Optional::isPresent).orElseThrow();
        await().atMost(FLOW).until(() -> netsuite.invoice(canonical), Optional::isPresent);
    }

    /**
     * Case 8 at the ingress: a correctly signed event whose object is not what its type promises is parked with
     * its payload and answered 400 naming the case; it reaches no consumer.
     */
    @Test
    @Order(2)
    void aSignedEventThatBreaksItsSchemaIsParkedWithItsPayloadAndAnswered400NamingTheCase() throws Exception {
        String eventId = "evt_" + shortId();
        String objectId = "inpay_" + shortId();
        String schemaInvalid = """
                {"id":"%s","object":"event","type":"invoice_payment.paid","created":%d,
                 "data":{"object":{"id":"%s","object":"invoice_payment","amount_paid":"a lot","currency":42,
                                   "invoice":{"nested":"not an id"},"status_transitions":"never"}}}"""
                .formatted(eventId, now(), objectId);

        HttpResponse<String> response = post(schemaInvalid, sign(schemaInvalid, now()));

        assertThat(response.statusCode()).isBetween(400, 499);
        String caseId = Sql.first(db, "SELECT id FROM exception_case WHERE business_key = ?", objectId).orElse(null);
        assertThat(caseId).as("an exception case for " + objectId + "; answer " + response.body()).isNotNull();
        assertThat(response.body()).contains(caseId);
        assertThat(Sql.first(db, "SELECT failure_class || ' ' || error_code FROM exception_case WHERE id = ?",
                Long.parseLong(caseId))).contains("POISON MALFORMED_PAYMENT");
        assertThat(Sql.first(db, "SELECT convert_from(payload, 'UTF8') FROM exception_case WHERE id = ?",
                Long.parseLong(caseId))).hasValueSatisfying(parked -> assertThat(parked).contains(objectId, "a lot"));
        assertThat(Sql.count(db, "SELECT count(*) FROM exception_case WHERE capability = 'payment-application'"
                + " AND error_message LIKE ?", "%" + objectId + "%")).isZero();
    }

    /**
     * Case 8 on the bus: a record that is not JSON and one that breaks the canonical schema sit ahead of the next
     * invoice on every partition of q2c.invoice.v1. Each is parked by invoice posting with its reason and bytes,
     * and the invoice behind them is posted: the partitions keep flowing.
     */
    @Test
    @Order(6)
    void poisonOnEveryPartitionIsParkedWithItsReasonAndTheInvoiceBehindItStillPosts() throws Exception {
        String key = CanonicalSamples.newId("inv-poison");
        List<String> poison = new ArrayList<>();
        int partitions = partitionsOf("q2c.invoice.v1");
        for (int partition = 0; partition < partitions; partition++) {
            String notJson = CanonicalSamples.newId("evt");
            String schemaInvalid = CanonicalSamples.newId("evt");
            KafkaTestClient.send("q2c.invoice.v1", partition, key, "{\"id\": \"cut".getBytes(
                    StandardCharsets.UTF_8), invoiceIssuedHeaders(notJson, key));
            KafkaTestClient.send("q2c.invoice.v1", partition, key, """
                    {"id":"%s","kind":"INVOICE","currency":"YEN","lines":"none"}""".formatted(key).getBytes(
                    StandardCharsets.UTF_8), invoiceIssuedHeaders(schemaInvalid, key));
            poison.add(notJson);
            poison.add(schemaInvalid);
        }

        String customer = customer("US01", "USD");
        Transaction posted = posted((String) stripe.createInvoice(scenario(customer, "usd", 1, 2_500, null, null))
                .get("id"));
        assertThat(posted.total().toPlainString()).isEqualTo("25.00");

        // One open case per failure of the key, each record counted on it, with its reason and its bytes.
        String cases = "SELECT string_agg(failure_class || ' ' || error_code || ' x' || occurrences, ', '"
                + " ORDER BY error_code) FROM exception_case WHERE capability = 'invoice-posting'"
                + " AND status = 'OPEN' AND payload IS NOT NULL AND business_key = ?";
        await().atMost(FLOW).until(() -> Sql.first(db, cases, key).orElse(""),
                found -> found.equals("POISON SCHEMA_INVALID x%d, POISON UNPARSEABLE x%d".formatted(partitions,
                        partitions)));
        assertThat(Sql.first(db, "SELECT error_message FROM exception_case WHERE capability = 'invoice-posting'"
                + " AND error_code = 'SCHEMA_INVALID' AND business_key = ?", key)).hasValueSatisfying(message ->
                assertThat(message).contains("$.lines", "customerId"));
        // and each record on the dead-letter topic, with the reason in its headers
        List<String> dead = KafkaTestClient.readAll("q2c.deadletter.v1").stream()
                .filter(r -> "invoice-posting".equals(KafkaTestClient.header(r, "q2c-failed-consumer")))
                .filter(r -> poison.contains(KafkaTestClient.header(r, "ce_id")))
                .map(r -> KafkaTestClient.header(r, "q2c-error-code")).toList();
        assertThat(dead).hasSize(poison.size()).containsOnly("UNPARSEABLE", "SCHEMA_INVALID");
    }

    /** Case 22: exact minor units from Stripe through the canonical events into NetSuite, both ways of money. */
    @Test
    @Order(7)
    void yenAndDinarInvoicesAndPaymentsKeepTheirExactMinorUnitsInStripeTheCanonicalEventsAndNetSuite()
            throws Exception {
        // JPY has no minor unit: 3 x 1,234 yen + 10 % tax = 3,702 + 370 = 4,072 yen
        String yenCustomer = customer("JP01", "JPY");
        Map<String, Object> yen = stripe.createInvoice(scenario(yenCustomer, "jpy", 3, 1_234, "10", "JP"));
        assertThat(((Number) yen.get("amount_due")).longValue()).isEqualTo(4_072);
        // KWD has three decimals: 12.345 dinars + 5 % tax (617.25 fils, rounded by Stripe) = 12.962
        String dinarCustomer = customer("KW01", "KWD");
        Map<String, Object> dinar = stripe.createInvoice(scenario(dinarCustomer, "kwd", 1, 12_345, "5", "KW"));
        assertThat(((Number) dinar.get("amount_due")).longValue()).isEqualTo(12_962);

        Transaction yenPosted = posted((String) yen.get("id"));
        Transaction dinarPosted = posted((String) dinar.get("id"));
        JsonNode yenEvent = issuedEvents((String) yen.get("id")).get(0);
        JsonNode dinarEvent = issuedEvents((String) dinar.get("id")).get(0);
        assertThat(yenEvent.at("/lines/0/unitAmount/amountMinor").asLong()).isEqualTo(1_234);
        assertThat(yenEvent.at("/totals/taxTotal/amountMinor").asLong()).isEqualTo(370);
        assertThat(yenEvent.at("/totals/total/amountMinor").asLong()).isEqualTo(4_072);
        assertThat(dinarEvent.at("/lines/0/amount/amountMinor").asLong()).isEqualTo(12_345);
        assertThat(dinarEvent.at("/totals/taxTotal/amountMinor").asLong()).isEqualTo(617);
        assertThat(dinarEvent.at("/totals/total/amountMinor").asLong()).isEqualTo(12_962);
        assertThat(yenPosted.total().toPlainString()).isEqualTo("4072");
        assertThat(yenPosted.taxTotal().toPlainString()).isEqualTo("370");
        assertThat(dinarPosted.subtotal().toPlainString()).isEqualTo("12.345");
        assertThat(dinarPosted.total().toPlainString()).isEqualTo("12.962");

        // a partial dinar payment of 5.001 and the whole yen amount
        stripe.payInvoice((String) dinar.get("id"), 5_001L);
        stripe.payInvoice((String) yen.get("id"), null);
        Transaction dinarPaid = await().atMost(FLOW).until(() -> netsuite.customerPayment(
                canonicalPayment((String) dinar.get("id"), 0)), Optional::isPresent).orElseThrow();
        Transaction yenPaid = await().atMost(FLOW).until(() -> netsuite.customerPayment(
                canonicalPayment((String) yen.get("id"), 0)), Optional::isPresent).orElseThrow();
        assertThat(dinarPaid.total().toPlainString()).isEqualTo("5.001");
        assertThat(yenPaid.total().toPlainString()).isEqualTo("4072");
        await().atMost(FLOW).until(() -> "7.961".equals(netsuite.invoice(xref.canonicalId("stripe", "invoice",
                (String) dinar.get("id")).orElseThrow()).orElseThrow().amountRemaining().toPlainString()));
        await().atMost(FLOW).until(() -> netsuite.invoice(xref.canonicalId("stripe", "invoice",
                (String) yen.get("id")).orElseThrow()).orElseThrow().amountRemaining().signum() == 0);
        assertThat(((Number) stripe.invoice((String) dinar.get("id")).get("amount_remaining")).longValue())
                .isEqualTo(7_961);
        JsonNode dinarPayment = paymentEvents(invoicePaymentId((String) dinar.get("id"), 0)).get(0);
        assertThat(dinarPayment.at("/amount/amountMinor").asLong()).isEqualTo(5_001);
        assertThat(dinarPayment.at("/amount/currency").asText()).isEqualTo("KWD");
    }

    /**
     * The suite's accounting over every invoice and payment this class made in Stripe: each is applied in NetSuite
     * exactly once, or parked as an open case that holds its payload; no document is in NetSuite twice.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    @SuppressWarnings("unchecked")
    void accountingEverySourceDocumentIsAppliedOnceOrParkedAndNoneTwice() throws Exception {
        List<Map<String, Object>> invoices = stripe.invoices().stream()
                .filter(i -> CUSTOMERS.contains(String.valueOf(i.get("customer")))).toList();
        assertThat(invoices).as("invoices this class made").hasSize(7);
        int applied = 0;
        int parked = 0;
        for (Map<String, Object> invoice : invoices) {
            String stripeId = (String) invoice.get("id");
            String canonical = xref.canonicalId("stripe", "invoice", stripeId).orElseThrow();
            List<String> documents = new ArrayList<>(List.of(canonical));
            Map<String, Object> payments = (Map<String, Object>) stripe.invoice(stripeId).get("payments");
            for (Map<String, Object> payment : (List<Map<String, Object>>) payments.get("data")) {
                String intent = (String) ((Map<String, Object>) payment.get("payment")).get("payment_intent");
                documents.add(await().atMost(FLOW).until(() -> xref.canonicalId("stripe", "payment", intent),
                        Optional::isPresent).orElseThrow());
            }
            for (String document : documents) {
                List<Transaction> inErp = await().atMost(FLOW).until(() -> netsuite.transactions().stream()
                        .filter(t -> document.equals(t.externalId())).toList(),
                        found -> !found.isEmpty() || hasParkedCase(document));
                assertThat(inErp).as("NetSuite records of " + document).hasSizeLessThanOrEqualTo(1);
                if (inErp.isEmpty()) {
                    parked++;
                } else {
                    assertThat(inErp.get(0).writes()).as("writes of " + document).isEqualTo(1);
                    applied++;
                }
            }
        }
        assertThat(applied + parked).isGreaterThanOrEqualTo(invoices.size());
        assertThat(parked).as("nothing in this class should stay parked").isZero();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static int partitionsOf(String topic) {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", KafkaTestClient.bootstrapServers());
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(p,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer())) {
            return consumer.partitionsFor(topic).size();
        }
    }

    private static Map<String, String> invoiceIssuedHeaders(String eventId, String subject) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", eventId);
        headers.put("ce_source", "/test/faults");
        headers.put("ce_type", "q2c.invoice.issued.v1");
        headers.put("ce_time", Instant.now().toString());
        headers.put("ce_subject", subject);
        headers.put("content-type", "application/json");
        return headers;
    }

    private boolean hasParkedCase(String businessKey) {
        return Sql.count(db, "SELECT count(*) FROM exception_case WHERE business_key = ? AND status = 'OPEN'"
                + " AND payload IS NOT NULL", businessKey) > 0;
    }

    /** A customer as onboarding leaves it: in the ERP, linked to it and to a Stripe id, which is returned. */
    private String customer(String legalEntity, String currency) throws Exception {
        String canonical = CanonicalSamples.newId("cust");
        Erp erp = roles.erp();
        String erpId = erp.upsertCustomer(new Customer(canonical, "Faults " + canonical, null, legalEntity, null,
                Currency.getInstance(currency), null, null, Customer.Status.ACTIVE, Map.of()), legalEntity);
        xref.link(erp.system(), "customer", erpId, canonical);
        String stripeId = "cus_" + shortId();
        xref.link("stripe", "customer", stripeId, canonical);
        CUSTOMERS.add(stripeId);
        return stripeId;
    }

    /** @param taxPercentage null: no tax line */
    private static String scenario(String customer, String currency, int quantity, long unitAmount,
            String taxPercentage, String jurisdiction) {
        return """
                {"customer":"%s","currency":"%s","daysUntilDue":30,
                 "lines":[{"description":"Platform","quantity":%d,"unitAmount":%d,"sku":"PLAT-SUB",
                           "periodStart":%d,"periodEnd":%d%s}]}"""
                .formatted(customer, currency, quantity, unitAmount, JAN_1_2027, FEB_1_2027,
                        taxPercentage == null ? "" : ",\"tax\":{\"percentage\":\"%s\",\"jurisdiction\":\"%s\",\"name\":\"Tax\"}"
                                .formatted(taxPercentage, jurisdiction));
    }

    /**
     * The payload of the event of this type about this object, recorded by Stripe but not sent: the test
     * delivers it itself. Other objects' events keep flowing.
     */
    private String undelivered(String objectId, java.util.concurrent.Callable<?> action, String type)
            throws Exception {
        stripe.webhooks().suppress(objectId);
        action.call();
        String eventId = stripe.webhooks().eventId(type, objectId);
        assertThat(eventId).as(type + " of " + objectId).isNotNull();
        return stripe.webhooks().events().get(eventId);
    }

    private Transaction posted(String stripeInvoice) {
        String canonical = await().atMost(FLOW).until(() -> xref.canonicalId("stripe", "invoice", stripeInvoice),
                Optional::isPresent).orElseThrow();
        return await().atMost(FLOW).until(() -> netsuite.invoice(canonical), Optional::isPresent).orElseThrow();
    }

    private String invoicePaymentId(String stripeInvoice, int index) {
        return (String) PaymentFixtures.invoicePayment(stripe, stripeInvoice, index).get("id");
    }

    private String paymentIntent(String stripeInvoice, int index) {
        return PaymentFixtures.paymentIntent(stripe, stripeInvoice, index);
    }

    private String canonicalPayment(String stripeInvoice, int index) {
        return PaymentFixtures.canonicalPayment(stripe, xref, stripeInvoice, index, FLOW);
    }

    private long acknowledged(String type, String objectId) {
        return PaymentFixtures.acknowledged(stripe, type, objectId);
    }

    private String caseColumn(String capability, String column, String businessKey) {
        return Sql.first(db, "SELECT " + column + " FROM exception_case WHERE capability = '" + capability
                + "' AND business_key = ? ORDER BY id DESC LIMIT 1", businessKey).orElse(null);
    }

    private void replay(String capability, String businessKey) {
        String id = caseColumn(capability, "id", businessKey);
        io.restassured.RestAssured.given().auth().preemptive().basic("operator", "operator-sandbox")
                .contentType("application/json").body("{}").post("/api/exception-cases/" + id + "/replay")
                .then().statusCode(200);
    }

    /** The canonical invoice events published for a Stripe document. */
    private static List<JsonNode> issuedEvents(String stripeId) throws Exception {
        return canonicalEvents("q2c.invoice.v1", "q2c.invoice.issued.v1", "\"billing\":\"" + stripeId + "\"");
    }

    /** The canonical payment events published for a Stripe invoice payment (CloudEvent id stripe-inpay_...). */
    private static List<JsonNode> paymentEvents(String invoicePaymentId) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : KafkaTestClient.readAll("q2c.payment.v1")) {
            if (("stripe-" + invoicePaymentId).equals(KafkaTestClient.header(record, "ce_id"))) {
                events.add(JSON.readTree(record.value()));
            }
        }
        return events;
    }

    private static List<JsonNode> canonicalEvents(String topic, String type, String marker) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : KafkaTestClient.readAll(topic)) {
            String value = new String(record.value(), StandardCharsets.UTF_8);
            if (type.equals(KafkaTestClient.header(record, "ce_type")) && value.contains(marker)) {
                events.add(JSON.readTree(value));
            }
        }
        return events;
    }

    private static <T> List<T> concurrently(int n, java.util.concurrent.Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 14);
    }

    private static String sign(String payload, long timestamp) {
        return WebhookSignature.header(payload, timestamp, SECRET);
    }

    /** Stripe's scheme over raw bytes, for a body that is not text. */
    private static String signBytes(byte[] body, long timestamp) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private HttpResponse<String> post(String body, String signature) throws Exception {
        return post(body.getBytes(StandardCharsets.UTF_8), signature, "application/json; charset=utf-8");
    }

    private HttpResponse<String> post(byte[] body, String signature, String contentType) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(endpoint.toString()))
                .header("Content-Type", contentType)
                .header("Stripe-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
