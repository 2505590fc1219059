package io.q2chub.connector.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.q2chub.ops.xref.CrossReference;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.q2chub.sandbox.stripe.WebhookDelivery;
import io.q2chub.sandbox.stripe.WebhookSignature;
import io.q2chub.testing.CapturedLog;
import io.q2chub.testing.ErpAndBillingSimulators;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.KafkaTestClient;
import io.q2chub.testing.Sql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stripe webhooks end to end: the Stripe simulator finalizes, voids and credits invoices and delivers the events
 * as Stripe does (signed, retried, duplicated, unordered) over HTTP to the hub's /webhooks/stripe; assertions are
 * on what the real broker's q2c.invoice.v1 and the real database hold.
 */
@QuarkusTest
@TestProfile(StripeWebhookIngressTest.Secrets.class)
@QuarkusTestResource(HubTestServices.class)
@WithTestResource(ErpAndBillingSimulators.class)
class StripeWebhookIngressTest {

    static final String OLD_SECRET = "whsec_test_old_0001";
    static final String NEW_SECRET = "whsec_test_new_0002";
    static final int MAX_BYTES = 65_536;

    /**
     * Two secrets in force, as while the endpoint secret is rolled; a small size limit to test 413. Tracing is on
     * here (and off in every other test application): this class already runs webhook → Kafka → invoice posting →
     * NetSuite simulator, so the trace test costs no extra application start.
     */
    public static class Secrets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("q2c.stripe.webhook-secrets", OLD_SECRET + "," + NEW_SECRET,
                    "q2c.stripe.webhook-max-bytes", String.valueOf(MAX_BYTES),
                    // tracing on, into the in-memory exporter (io.q2chub.testing.InMemorySpans): one trace per webhook
                    "quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.bsp.schedule.delay", "PT0.1S");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AttributeKey<String> SERVER_SYSTEM = AttributeKey.stringKey("q2c.system");
    private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    private static final AttributeKey<String> CAMEL_URI = AttributeKey.stringKey("camel.uri");
    private static final AttributeKey<String> CAMEL_OP = AttributeKey.stringKey("op");
    private static final AttributeKey<String> KAFKA_KEY = AttributeKey.stringKey("kafka.key");
    private static final long JAN_1_2027 = 1_798_761_600L;
    private static final long FEB_1_2027 = 1_801_440_000L;

    @ErpAndBillingSimulators.Simulator
    StripeSimulator stripe;

    @ErpAndBillingSimulators.Simulator
    io.q2chub.sandbox.netsuite.NetSuiteSimulator netsuite;

    @Inject
    io.q2chub.connector.ConnectorRoles roles;

    @Inject
    AgroalDataSource db;

    @Inject
    CrossReference xref;

    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    @Inject
    InMemorySpanExporter spans;

    @TestHTTPResource("/webhooks/stripe")
    URL endpoint;

    private final HttpClient http = HttpClient.newHttpClient();
    private CapturedLog logCapture;

    @BeforeEach
    void deliverToTheHub() {
        stripe.reset();
        stripe.webhooks().endpoint(endpoint.toString(), OLD_SECRET);
        stripe.webhooks().retries(Duration.ofMillis(200), 10);
        logCapture = CapturedLog.attach();
    }

    @AfterEach
    void stopCapture() {
        logCapture.close();
    }

    @Test
    void theSameWebhookDeliveredFiveTimesPublishesOneEvent() throws Exception {
        String customer = linkedCustomer("cust-five");
        stripe.webhooks().duplicateEach(5);
        String invoiceId = (String) stripe.createInvoice(usdInvoice(customer)).get("id");

        String eventId = stripe.webhooks().eventId("invoice.finalized", invoiceId);
        await().atMost(Duration.ofSeconds(30)).until(() -> successes(eventId) == 5);
        List<JsonNode> published = published(invoiceId);
        assertThat(published).hasSize(1);
        assertThat(published.get(0).get("kind").asText()).isEqualTo("INVOICE");
        ConsumerRecord<String, byte[]> record = records(invoiceId).get(0);
        assertThat(KafkaTestClient.header(record, "ce_id")).isEqualTo("stripe-" + eventId);
        assertThat(record.key()).isEqualTo(published.get(0).get("id").asText());
        // The key of "once" is in PostgreSQL, so it holds across a restart of the hub as well.
        assertThat(Sql.first(db, "SELECT status FROM idempotency_key WHERE consumer = 'stripe-webhook-ingress' "
                + "AND message_key = ?", eventId)).contains("DONE");

        // A resend long after (as from Stripe's dashboard) is acknowledged and dropped.
        stripe.webhooks().duplicateEach(1);
        stripe.webhooks().redeliver(eventId);
        await().atMost(Duration.ofSeconds(30)).until(() -> successes(eventId) == 6);
        assertThat(published(invoiceId)).hasSize(1);
    }

    @Test
    void aVoidDeliveredBeforeItsFinalizationNeverLetsTheInvoiceOvertakeTheVoid() throws Exception {
        String customer = linkedCustomer("cust-order");
        stripe.webhooks().hold();
        String invoiceId = (String) stripe.createInvoice(usdInvoice(customer)).get("id");
        stripe.invoiceAction(invoiceId, "void");
        String finalized = stripe.webhooks().eventId("invoice.finalized", invoiceId);
        String voided = stripe.webhooks().eventId("invoice.voided", invoiceId);

        stripe.webhooks().releaseReversed();
        await().atMost(Duration.ofSeconds(30)).until(() -> successes(finalized) == 1 && successes(voided) == 1);

        List<JsonNode> published = published(invoiceId);
        assertThat(published).extracting(e -> e.get("kind").asText()).containsExactly("INVOICE", "VOID");
        String canonicalId = published.get(0).get("id").asText();
        assertThat(published.get(1).get("id").asText()).isEqualTo(canonicalId);
        assertThat(published.get(1).get("originalInvoiceId").asText()).isEqualTo(canonicalId);
        assertThat(Sql.first(db, "SELECT stage FROM billing_document_progress WHERE document_id = ?", invoiceId))
                .contains("2");
    }

    @Test
    void forgedExpiredAndMalformedRequestsAreRefusedWithNothingQueuedOrLogged() throws Exception {
        String customer = linkedCustomer("cust-forged");
        stripe.webhooks().endpoint(null, null);
        String invoiceId = (String) stripe.createInvoice(usdInvoice(customer)).get("id");
        String payload = stripe.webhooks().events().get(stripe.webhooks().eventId("invoice.finalized", invoiceId));
        long now = Instant.now().getEpochSecond();
        double forgedBefore = rejected("signature_mismatch");
        double expiredBefore = rejected("timestamp_outside_tolerance");

        String forgedSignature = WebhookSignature.header(payload, now, "whsec_attacker");
        HttpResponse<String> forged = post(payload, forgedSignature);
        HttpResponse<String> expired = post(payload, WebhookSignature.header(payload, now - 301, OLD_SECRET));
        String malformed = "{\"id\":\"evt_1\",\"type\":";
        HttpResponse<String> unparseable = post(malformed, WebhookSignature.header(malformed, now, OLD_SECRET));
        HttpResponse<String> noScheme = post(payload, "t=" + now + ",v0=abc");

        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("signature mismatch");
        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(expired.body()).contains("timestamp outside tolerance");
        assertThat(unparseable.statusCode()).isEqualTo(400);
        assertThat(unparseable.body()).contains("malformed event");
        assertThat(noScheme.statusCode()).isEqualTo(400);
        assertThat(rejected("signature_mismatch")).isEqualTo(forgedBefore + 1);
        assertThat(rejected("timestamp_outside_tolerance")).isEqualTo(expiredBefore + 1);
        assertThat(published(invoiceId)).isEmpty();
        assertThat(Sql.count(db, "SELECT count(*) FROM billing_document_progress WHERE document_id = ?", invoiceId)).isZero();
        List<String> logLines = logCapture.lines();
        assertThat(logLines).anyMatch(line -> line.contains("Stripe webhook rejected"));
        assertThat(logLines).noneMatch(line -> line.contains(invoiceId) || line.contains(forgedSignature)
                || line.contains("evt_1"));
    }

    @Test
    void aBodyOverTheSizeLimitIsRefusedWith413() throws Exception {
        String big = "{\"id\":\"evt_big\",\"pad\":\"" + "x".repeat(MAX_BYTES) + "\"}";
        HttpResponse<String> response = post(big, WebhookSignature.header(big, Instant.now().getEpochSecond(), OLD_SECRET));
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void eventsSignedWithTheOldAndTheNewSecretAreBothAcceptedDuringRotation() throws Exception {
        String customer = linkedCustomer("cust-rotation");
        String first = (String) stripe.createInvoice(usdInvoice(customer)).get("id");
        stripe.webhooks().endpoint(endpoint.toString(), NEW_SECRET);
        String second = (String) stripe.createInvoice(usdInvoice(customer)).get("id");
        stripe.webhooks().rollSecret("whsec_not_yet_configured");
        String third = (String) stripe.createInvoice(usdInvoice(customer)).get("id");

        for (String invoiceId : List.of(first, second, third)) {
            String eventId = stripe.webhooks().eventId("invoice.finalized", invoiceId);
            await().atMost(Duration.ofSeconds(30)).until(() -> successes(eventId) == 1);
            assertThat(published(invoiceId)).hasSize(1);
        }
    }

    @Test
    void amountsAndTaxLinesArriveExactInUsdJpyAndKwd() throws Exception {
        String customer = linkedCustomer("cust-money");
        JsonNode usd = publishedInvoice(stripe.createInvoice(usdInvoice(customer)));
        assertThat(usd.get("currency").asText()).isEqualTo("USD");
        JsonNode line = usd.at("/lines/0");
        assertThat(line.get("sku").asText()).isEqualTo("PLAT-USER");
        assertThat(line.get("quantity").decimalValue()).isEqualByComparingTo("2");
        assertThat(line.at("/unitAmount/amountMinor").asLong()).isEqualTo(1999);
        assertThat(line.at("/amount/amountMinor").asLong()).isEqualTo(3998);
        assertThat(line.get("servicePeriodStart").asText()).isEqualTo("2027-01-01");
        assertThat(line.get("servicePeriodEnd").asText()).isEqualTo("2027-01-31");
        assertThat(line.at("/taxLines/0/jurisdiction").asText()).isEqualTo("US-CA");
        assertThat(line.at("/taxLines/0/rateBasisPoints").asInt()).isEqualTo(825);
        assertThat(line.at("/taxLines/0/amount/amountMinor").asLong()).isEqualTo(330);
        assertThat(usd.at("/totals/subtotal/amountMinor").asLong()).isEqualTo(3998);
        assertThat(usd.at("/totals/taxTotal/amountMinor").asLong()).isEqualTo(330);
        assertThat(usd.at("/totals/total/amountMinor").asLong()).isEqualTo(4328);
        assertThat(usd.get("customerId").asText()).isEqualTo("cust-money-" + customer.substring(4));

        JsonNode jpy = publishedInvoice(stripe.createInvoice(invoice(customer, "jpy", "JP-SaaS", 3, 1200, "10", "JP")));
        assertThat(jpy.get("currency").asText()).isEqualTo("JPY");
        assertThat(jpy.at("/lines/0/unitAmount/amountMinor").asLong()).isEqualTo(1200);
        assertThat(jpy.at("/lines/0/amount/amountMinor").asLong()).isEqualTo(3600);
        assertThat(jpy.at("/lines/0/taxLines/0/amount/amountMinor").asLong()).isEqualTo(360);
        assertThat(jpy.at("/totals/total/amountMinor").asLong()).isEqualTo(3960);

        JsonNode kwd = publishedInvoice(stripe.createInvoice(invoice(customer, "kwd", "KW-SVC", 1, 12345, "5", "KW")));
        assertThat(kwd.get("currency").asText()).isEqualTo("KWD");
        assertThat(kwd.at("/lines/0/amount/amountMinor").asLong()).isEqualTo(12345);
        assertThat(kwd.at("/lines/0/taxLines/0/rateBasisPoints").asInt()).isEqualTo(500);
        assertThat(kwd.at("/lines/0/taxLines/0/amount/amountMinor").asLong()).isEqualTo(617);
        assertThat(kwd.at("/totals/total/amountMinor").asLong()).isEqualTo(12962);
    }

    @Test
    void aCreditNotePublishesACreditNoteNamingTheInvoiceItCorrects() throws Exception {
        String customer = linkedCustomer("cust-credit");
        Map<String, Object> created = stripe.createInvoice(usdInvoice(customer));
        JsonNode invoice = publishedInvoice(created);
        String lineId = invoice.at("/lines/0/lineId").asText();
        String creditNoteId = (String) stripe.creditLine((String) created.get("id"), lineId, 1).get("id");

        String eventId = stripe.webhooks().eventId("credit_note.created", creditNoteId);
        await().atMost(Duration.ofSeconds(30)).until(() -> successes(eventId) == 1);
        JsonNode note = published(creditNoteId).get(0);
        assertThat(note.get("kind").asText()).isEqualTo("CREDIT_NOTE");
        assertThat(note.get("originalInvoiceId").asText()).isEqualTo(invoice.get("id").asText());
        assertThat(note.at("/lines/0/sku").asText()).isEqualTo("PLAT-USER");
        assertThat(note.at("/lines/0/amount/amountMinor").asLong()).isEqualTo(1999);
        assertThat(note.at("/lines/0/taxLines/0/amount/amountMinor").asLong()).isEqualTo(165);
        assertThat(note.at("/totals/total/amountMinor").asLong()).isEqualTo(2164);
    }

    @Test
    void aSubscriptionsFirstInvoiceCarriesTheSkuOfItsPriceAndTheCanonicalSubscription() throws Exception {
        com.stripe.StripeClient client = com.stripe.StripeClient.builder()
                .setApiKey(io.q2chub.sandbox.SandboxSimulators.STRIPE_KEY).setApiBase(stripe.baseUrl()).build();
        String customer = client.v1().customers().create(com.stripe.param.CustomerCreateParams.builder()
                .setName("Subscriber KK").build()).getId();
        xref.link("stripe", "customer", customer, "cust-sub-" + customer.substring(4));
        String product = client.v1().products().create(com.stripe.param.ProductCreateParams.builder()
                .setName("Platform").putMetadata("sku", "PLAT-SUB").build()).getId();
        String price = client.v1().prices().create(com.stripe.param.PriceCreateParams.builder().setProduct(product)
                .setCurrency("jpy").setUnitAmount(9800L).putMetadata("sku", "PLAT-SUB")
                .setRecurring(com.stripe.param.PriceCreateParams.Recurring.builder()
                        .setInterval(com.stripe.param.PriceCreateParams.Recurring.Interval.MONTH).build()).build()).getId();
        com.stripe.model.Subscription subscription = client.v1().subscriptions().create(
                com.stripe.param.SubscriptionCreateParams.builder().setCustomer(customer)
                        .addItem(com.stripe.param.SubscriptionCreateParams.Item.builder().setPrice(price).setQuantity(3L).build())
                        .build());
        xref.link("stripe", "subscription", subscription.getId(), "sub-" + subscription.getId().substring(4));

        String invoiceId = subscription.getLatestInvoice();
        assertThat(invoiceId).startsWith("in_");
        JsonNode invoice = publishedInvoice(Map.of("id", invoiceId));
        assertThat(invoice.get("subscriptionId").asText()).isEqualTo("sub-" + subscription.getId().substring(4));
        assertThat(invoice.at("/lines/0/sku").asText()).isEqualTo("PLAT-SUB");
        assertThat(invoice.at("/lines/0/amount/amountMinor").asLong()).isEqualTo(29400);
        assertThat(invoice.at("/lines/0/servicePeriodEnd").isNull()).isFalse();
        assertThat(invoice.get("currency").asText()).isEqualTo("JPY");
    }

    @Test
    void aStripeInvoiceAndItsVoidArePostedToTheErpOnceEachWithoutTheWebhookWaitingForIt() throws Exception {
        String canonicalCustomer = io.q2chub.testing.CanonicalSamples.newId("cust");
        io.q2chub.connector.Erp erp = roles.erp();
        String erpCustomer = erp.upsertCustomer(new io.q2chub.canonical.Customer(canonicalCustomer, "Webhook Co", null,
                "US01", null, java.util.Currency.getInstance("USD"), null, null,
                io.q2chub.canonical.Customer.Status.ACTIVE, Map.of()), "US01");
        xref.link(erp.system(), "customer", erpCustomer, canonicalCustomer);
        String customer = "cus_" + shortId();
        xref.link("stripe", "customer", customer, canonicalCustomer);
        stripe.webhooks().duplicateEach(3);

        String invoiceId = (String) stripe.createInvoice(invoice(customer, "usd", "PLAT-SUB", 2, 1999, "7.25", "US",
                "CA")).get("id");
        String canonicalId = publishedInvoice(Map.of("id", invoiceId)).get("id").asText();
        io.q2chub.sandbox.netsuite.Transaction posted = await().atMost(Duration.ofSeconds(30))
                .until(() -> netsuite.invoice(canonicalId), java.util.Optional::isPresent).orElseThrow();
        assertThat(posted.total().toPlainString()).isEqualTo("42.88");

        stripe.invoiceAction(invoiceId, "void");
        io.q2chub.sandbox.netsuite.Transaction reversal = await().atMost(Duration.ofSeconds(30))
                .until(() -> netsuite.creditMemo(canonicalId), java.util.Optional::isPresent).orElseThrow();
        assertThat(reversal.createdFrom()).isEqualTo(posted.internalId());
        assertThat(netsuite.transactions()).filteredOn(t -> canonicalId.equals(t.externalId())).hasSize(2);
    }

    @Test
    void oneTraceIdLinksTheWebhookRequestTheKafkaHopAndTheErpCall() throws Exception {
        String canonicalCustomer = io.q2chub.testing.CanonicalSamples.newId("cust");
        io.q2chub.connector.Erp erp = roles.erp();
        String erpCustomer = erp.upsertCustomer(new io.q2chub.canonical.Customer(canonicalCustomer, "Traced Co", null,
                "US01", null, java.util.Currency.getInstance("USD"), null, null,
                io.q2chub.canonical.Customer.Status.ACTIVE, Map.of()), "US01");
        xref.link(erp.system(), "customer", erpCustomer, canonicalCustomer);
        String customer = "cus_" + shortId();
        xref.link("stripe", "customer", customer, canonicalCustomer);

        String invoiceId = (String) stripe.createInvoice(invoice(customer, "usd", "PLAT-SUB", 1, 1999, "7.25", "US",
                "CA")).get("id");
        String canonicalId = publishedInvoice(Map.of("id", invoiceId)).get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> netsuite.invoice(canonicalId), java.util.Optional::isPresent);

        // The NetSuite request that wrote this invoice, and the trace it belongs to.
        SpanData erpCall = await().atMost(Duration.ofSeconds(30)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.CLIENT && "netsuite".equals(s.getAttributes().get(SERVER_SYSTEM))
                        && String.valueOf(s.getAttributes().get(URL_FULL)).endsWith("/invoice/eid:" + canonicalId))
                .findFirst(), java.util.Optional::isPresent).orElseThrow();
        String traceId = erpCall.getTraceId();
        Map<String, SpanData> byId = await().atMost(Duration.ofSeconds(30)).until(() -> spans.getFinishedSpanItems()
                .stream().filter(s -> s.getTraceId().equals(traceId))
                .collect(java.util.stream.Collectors.toMap(SpanData::getSpanId, s -> s, (x, y) -> x)),
                t -> t.values().stream().anyMatch(this::isWebhookRequest));

        // From the ERP call up its parents: invoice-posting's Kafka consumer, the producer that sent the record
        // (inside the webhook's route), the webhook route, and the HTTP server request at the root.
        List<SpanData> ancestors = new ArrayList<>();
        for (SpanData s = erpCall; s != null; s = byId.get(s.getParentSpanId())) {
            ancestors.add(s);
        }
        String chain = ancestors.stream().map(s -> s.getName() + " " + s.getAttributes().get(CAMEL_URI) + " "
                + s.getAttributes().get(CAMEL_OP)).collect(java.util.stream.Collectors.joining("\n <- "));
        SpanData root = ancestors.get(ancestors.size() - 1);
        assertThat(isWebhookRequest(root)).as(chain).isTrue();
        assertThat(root.getParentSpanContext().isValid()).as("the webhook request starts the trace").isFalse();
        int consumed = indexOf(ancestors, s -> "EVENT_RECEIVED".equals(s.getAttributes().get(CAMEL_OP))
                && String.valueOf(s.getAttributes().get(CAMEL_URI)).startsWith("kafka://q2c.invoice.v1?")
                && String.valueOf(s.getAttributes().get(CAMEL_URI)).contains("groupId=q2c-test-invoice-posting"));
        int sent = indexOf(ancestors, s -> "EVENT_SENT".equals(s.getAttributes().get(CAMEL_OP))
                && String.valueOf(s.getAttributes().get(CAMEL_URI)).startsWith("kafka:")
                && canonicalId.equals(s.getAttributes().get(KAFKA_KEY)));
        int webhookRoute = indexOf(ancestors, s -> "EVENT_RECEIVED".equals(s.getAttributes().get(CAMEL_OP))
                && String.valueOf(s.getAttributes().get(CAMEL_URI)).startsWith("platform-http:///webhooks/stripe"));
        assertThat(consumed).as("the ERP call's parent is the invoice-posting consumer:\n" + chain).isEqualTo(1);
        assertThat(sent).as("the Kafka send above the consumer:\n" + chain).isGreaterThan(consumed);
        assertThat(webhookRoute).as("the webhook route above the send:\n" + chain).isGreaterThan(sent);
        assertThat(webhookRoute).as("the HTTP server span is the webhook route's parent").isEqualTo(ancestors.size() - 2);

        // What the broker holds: the record carries the trace in its W3C traceparent header.
        ConsumerRecord<String, byte[]> record = records(invoiceId).get(0);
        assertThat(KafkaTestClient.header(record, "traceparent")).startsWith("00-" + traceId + "-");
    }

    @Test
    void aLogLineOfAProcessedEventNamesItsCorrelationIdBusinessKeyAndTrace() throws Exception {
        // an invoice whose customer the ERP does not know: invoice posting parks it and logs one warning
        String customer = linkedCustomer("cust-unknown-to-erp");
        List<Map<String, String>> parkedLines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler mdcCapture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record instanceof org.jboss.logmanager.ExtLogRecord ext
                        && ext.getFormattedMessage().contains("ERP_CUSTOMER_UNKNOWN")) {
                    Map<String, String> fields = new java.util.HashMap<>(ext.getMdcCopy());
                    fields.put("message", ext.getFormattedMessage());
                    parkedLines.add(fields);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(mdcCapture);
        try {
            String invoiceId = (String) stripe.createInvoice(usdInvoice(customer)).get("id");
            String canonicalId = publishedInvoice(Map.of("id", invoiceId)).get("id").asText();
            ConsumerRecord<String, byte[]> record = records(invoiceId).get(0);

            Map<String, String> line = await().atMost(Duration.ofSeconds(30)).until(() -> parkedLines.stream()
                    .filter(l -> canonicalId.equals(l.get("businessKey"))).findFirst(), java.util.Optional::isPresent)
                    .orElseThrow();
            assertThat(line.get("correlationId")).isEqualTo(KafkaTestClient.header(record, "ce_correlationid")).isNotBlank();
            assertThat(line.get("eventId")).isEqualTo(KafkaTestClient.header(record, "ce_id"));
            assertThat(line.get("eventType")).isEqualTo("q2c.invoice.issued.v1");
            assertThat(line.get("routeId")).isIn("invoice-posting", "dead-letter");
            // tracing is on in this class: the line also names the trace the record carries
            assertThat(KafkaTestClient.header(record, "traceparent")).contains("-" + line.get("traceId") + "-");
        } finally {
            Logger.getLogger("").removeHandler(mdcCapture);
        }
    }

    private boolean isWebhookRequest(SpanData span) {
        return span.getKind() == SpanKind.SERVER && span.getName().contains("/webhooks/stripe");
    }

    private static int indexOf(List<SpanData> spans, java.util.function.Predicate<SpanData> match) {
        for (int i = 0; i < spans.size(); i++) {
            if (match.test(spans.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void anInvoiceOfAnUnknownCustomerIsParkedNotGuessed() throws Exception {
        String customer = "cus_" + shortId();
        String invoiceId = (String) stripe.createInvoice(usdInvoice(customer)).get("id");
        String eventId = stripe.webhooks().eventId("invoice.finalized", invoiceId);
        await().atMost(Duration.ofSeconds(30)).until(() -> Sql.count(db,
                "SELECT count(*) FROM exception_case WHERE error_code = 'UNKNOWN_CUSTOMER' AND error_message LIKE ?",
                "%" + invoiceId + "%") == 1);
        assertThat(published(invoiceId)).isEmpty();
        assertThat(stripe.webhooks().attempts()).filteredOn(a -> a.eventId().equals(eventId))
                .allMatch(a -> a.status() == 400);

        // Once the customer is linked, Stripe's next retry of the same event publishes it.
        xref.link("stripe", "customer", customer, "cust-late-" + customer.substring(4));
        await().atMost(Duration.ofSeconds(30)).until(() -> successes(eventId) == 1);
        assertThat(published(invoiceId)).extracting(e -> e.get("customerId").asText())
                .containsExactly("cust-late-" + customer.substring(4));
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private String linkedCustomer(String prefix) throws Exception {
        String stripeId = "cus_" + shortId();
        xref.link("stripe", "customer", stripeId, prefix + "-" + stripeId.substring(4));
        return stripeId;
    }

    private static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 14);
    }

    private static String usdInvoice(String customer) {
        return invoice(customer, "usd", "PLAT-USER", 2, 1999, "8.25", "US", "CA");
    }

    private static String invoice(String customer, String currency, String sku, int quantity, long unitAmount,
            String percentage, String country) {
        return invoice(customer, currency, sku, quantity, unitAmount, percentage, country, null);
    }

    private static String invoice(String customer, String currency, String sku, int quantity, long unitAmount,
            String percentage, String country, String state) {
        return """
                {"customer":"%s","currency":"%s","daysUntilDue":30,
                 "lines":[{"description":"Platform seats","quantity":%d,"unitAmount":%d,"sku":"%s",
                           "periodStart":%d,"periodEnd":%d,
                           "tax":{"percentage":"%s","jurisdiction":"%s","name":"Tax"}}]}"""
                .formatted(customer, currency, quantity, unitAmount, sku, JAN_1_2027, FEB_1_2027, percentage,
                        state == null ? country : country + "-" + state);
    }

    /** The canonical INVOICE published for a simulator invoice, once its finalized event was acknowledged. */
    private JsonNode publishedInvoice(Map<String, Object> created) throws Exception {
        String invoiceId = (String) created.get("id");
        String eventId = stripe.webhooks().eventId("invoice.finalized", invoiceId);
        await().atMost(Duration.ofSeconds(30)).until(() -> successes(eventId) >= 1);
        List<JsonNode> published = published(invoiceId);
        assertThat(published).hasSize(1);
        return published.get(0);
    }

    private double rejected(String reason) {
        var counter = metrics.find("q2c.webhook.rejected").tag("class", "security").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private long successes(String eventId) {
        return stripe.webhooks().attempts().stream()
                .filter(a -> a.eventId().equals(eventId) && a.status() == 200).count();
    }

    private static List<ConsumerRecord<String, byte[]>> records(String stripeId) {
        return KafkaTestClient.readAll("q2c.invoice.v1").stream()
                .filter(r -> "q2c.invoice.issued.v1".equals(KafkaTestClient.header(r, "ce_type")))
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains("\"billing\":\"" + stripeId + "\""))
                .toList();
    }

    private static List<JsonNode> published(String stripeId) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records(stripeId)) {
            events.add(JSON.readTree(record.value()));
        }
        return events;
    }

    private HttpResponse<String> post(String body, String signature) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(endpoint.toString()))
                .header("Content-Type", "application/json")
                .header("Stripe-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unused")
    private static WebhookDelivery.Attempt last(List<WebhookDelivery.Attempt> attempts) {
        return attempts.get(attempts.size() - 1);
    }

    /**
     * A Stripe call gets a client span too (TracedStripeHttpClient), in the same trace: the webhook's invoice is
     * posted to the ERP, and invoice-status-write-back, consuming invoice.posted, writes the ERP id back onto the
     * Stripe invoice.
     */
    @Test
    void theBillingWriteBackIsAStripeClientSpanInTheWebhooksTrace() throws Exception {
        String canonicalCustomer = io.q2chub.testing.CanonicalSamples.newId("cust");
        io.q2chub.connector.Erp erp = roles.erp();
        String erpCustomer = erp.upsertCustomer(new io.q2chub.canonical.Customer(canonicalCustomer, "Traced Billing Co",
                null, "US01", null, java.util.Currency.getInstance("USD"), null, null,
                io.q2chub.canonical.Customer.Status.ACTIVE, Map.of()), "US01");
        xref.link(erp.system(), "customer", erpCustomer, canonicalCustomer);
        String customer = "cus_" + shortId();
        xref.link("stripe", "customer", customer, canonicalCustomer);
        String invoiceId = (String) stripe.createInvoice(invoice(customer, "usd", "PLAT-SUB", 1, 1999, "7.25", "US",
                "CA")).get("id");
        String canonicalId = publishedInvoice(Map.of("id", invoiceId)).get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> netsuite.invoice(canonicalId), java.util.Optional::isPresent);

        SpanData erpCall = await().atMost(Duration.ofSeconds(30)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.CLIENT && "netsuite".equals(s.getAttributes().get(SERVER_SYSTEM))
                        && String.valueOf(s.getAttributes().get(URL_FULL)).endsWith("/invoice/eid:" + canonicalId))
                .findFirst(), java.util.Optional::isPresent).orElseThrow();
        SpanData billingCall = await().atMost(Duration.ofSeconds(30)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.CLIENT && "stripe POST".equals(s.getName())
                        && "stripe".equals(s.getAttributes().get(SERVER_SYSTEM))
                        && String.valueOf(s.getAttributes().get(URL_FULL)).endsWith("/v1/invoices/" + invoiceId))
                .findFirst(), java.util.Optional::isPresent).orElseThrow();

        assertThat(billingCall.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
        assertThat(billingCall.getTraceId()).as("the write-back continues the webhook's trace").isEqualTo(erpCall.getTraceId());
        SpanData parent = await().atMost(Duration.ofSeconds(30)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getSpanId().equals(billingCall.getParentSpanId())).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
        assertThat(String.valueOf(parent.getAttributes().get(CAMEL_URI)) + " " + parent.getName())
                .as("the Stripe call is made inside invoice-status-write-back")
                .contains("invoice-status-write-back");
    }
}
