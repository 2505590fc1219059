package io.q2chub.sandbox.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.net.Webhook;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhook delivery as Stripe does it, checked with stripe-java's own verifier at a receiving endpoint. */
class StripeWebhookDeliveryTest {

    private static final String SECRET = "whsec_delivery_test_1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private StripeSimulator stripe;
    private HttpServer receiver;

    record Received(String payload, String signature, int answered) {
    }

    @BeforeEach
    void start() throws Exception {
        stripe = StripeSimulator.start("sk_test_delivery", 1000);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            String payload = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = failuresLeft.getAndDecrement() > 0 ? 500 : 200;
            received.add(new Received(payload, exchange.getRequestHeaders().getFirst("Stripe-Signature"), status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        stripe.webhooks().endpoint("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", SECRET);
        stripe.webhooks().retries(Duration.ofMillis(50), 5);
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        stripe.close();
    }

    @Test
    void eventsAreSignedAsStripeJavaExpectsAndCarryTheObjectAsItWasThen() throws Exception {
        String invoiceId = (String) stripe.createInvoice(invoice()).get("id");

        await().atMost(Duration.ofSeconds(10)).until(() -> finalizedDeliveries(invoiceId).size() == 1);
        Received delivery = finalizedDeliveries(invoiceId).get(0);
        assertThat(Webhook.Signature.verifyHeader(delivery.payload(), delivery.signature(), SECRET, 300)).isTrue();
        JsonNode event = JSON.readTree(delivery.payload());
        assertThat(event.get("id").asText()).startsWith("evt_");
        assertThat(event.get("object").asText()).isEqualTo("event");
        assertThat(event.get("api_version").asText()).isEqualTo(com.stripe.Stripe.API_VERSION);
        assertThat(event.at("/data/object/status").asText()).isEqualTo("open");
        assertThat(event.at("/data/object/lines/data/0/amount").asLong()).isEqualTo(2400);
        assertThat(event.at("/data/object/total").asLong()).isEqualTo(2640);
        assertThat(event.at("/data/object/total_taxes/0/amount").asLong()).isEqualTo(240);
        assertThat(event.at("/data/object/currency").asText()).isEqualTo("jpy");
    }

    @Test
    void aNon2xxAnswerIsRetriedUntilAccepted() throws Exception {
        failuresLeft.set(2);
        String invoiceId = (String) stripe.createInvoice(invoice().replace("\"finalize\":true", "\"finalize\":false")).get("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(r -> r.answered() == 200));
        received.clear();
        failuresLeft.set(2);
        stripe.invoiceAction(invoiceId, "finalize");

        await().atMost(Duration.ofSeconds(10)).until(() -> finalizedDeliveries(invoiceId).stream()
                .anyMatch(r -> r.answered() == 200));
        String eventId = stripe.webhooks().eventId("invoice.finalized", invoiceId);
        assertThat(stripe.webhooks().attempts()).filteredOn(a -> a.eventId().equals(eventId))
                .extracting(WebhookDelivery.Attempt::attempt, WebhookDelivery.Attempt::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 500), org.assertj.core.groups.Tuple.tuple(2, 500),
                        org.assertj.core.groups.Tuple.tuple(3, 200));
    }

    @Test
    void whileASecretIsRolledEveryDeliveryIsSignedWithBoth() throws Exception {
        stripe.webhooks().rollSecret("whsec_delivery_test_2");
        String invoiceId = (String) stripe.createInvoice(invoice()).get("id");

        await().atMost(Duration.ofSeconds(10)).until(() -> finalizedDeliveries(invoiceId).size() == 1);
        Received delivery = finalizedDeliveries(invoiceId).get(0);
        assertThat(delivery.signature().split(",v1=")).hasSize(3);
        assertThat(Webhook.Signature.verifyHeader(delivery.payload(), delivery.signature(), SECRET, 300)).isTrue();
        assertThat(Webhook.Signature.verifyHeader(delivery.payload(), delivery.signature(), "whsec_delivery_test_2", 300))
                .isTrue();
    }

    @Test
    void heldEventsGoOutNewestFirstAndDuplicatedOnRequest() throws Exception {
        stripe.webhooks().duplicateEach(2);
        stripe.webhooks().hold();
        String invoiceId = (String) stripe.createInvoice(invoice()).get("id");
        stripe.invoiceAction(invoiceId, "void");
        stripe.webhooks().releaseReversed();

        await().atMost(Duration.ofSeconds(10)).until(() -> typesFor(invoiceId).size() == 6);
        List<String> types = typesFor(invoiceId);
        assertThat(types).filteredOn("invoice.voided"::equals).hasSize(2);
        assertThat(types).filteredOn("invoice.finalized"::equals).hasSize(2);
        assertThat(types.indexOf("invoice.voided")).isLessThan(types.indexOf("invoice.created"));
    }

    @Test
    void eventsOfASuppressedInvoiceAreRecordedButNeverSentWhileOtherInvoicesFlow() {
        String unheard = (String) stripe.createInvoice(invoice().replace("\"finalize\":true", "\"finalize\":false")).get("id");
        String heard = (String) stripe.createInvoice(invoice().replace("\"finalize\":true", "\"finalize\":false")).get("id");
        stripe.webhooks().suppress(unheard);
        stripe.invoiceAction(unheard, "finalize");
        stripe.payInvoice(unheard, null);
        stripe.invoiceAction(heard, "finalize");
        stripe.payInvoice(heard, null);

        // the other invoice's events were emitted after the suppressed ones: once they are in, those would be too
        await().atMost(Duration.ofSeconds(10)).until(() -> typesFor(heard).contains("invoice.paid"));
        assertThat(typesFor(heard)).contains("invoice.finalized", "invoice_payment.paid");
        assertThat(typesFor(unheard)).doesNotContain("invoice.finalized", "invoice_payment.paid", "invoice.paid");
        assertThat(stripe.webhooks().eventId("invoice.paid", unheard)).isNotNull();
        assertThat(stripe.invoice(unheard)).containsEntry("status", "paid");
    }

    @Test
    void theControlSurfaceBuildsAnInvoiceAndListsItsDeliveriesOverHttp() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> created = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(stripe.baseUrl() + "/_sim/stripe/invoices"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(invoice())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(200);
        String invoiceId = JSON.readTree(created.body()).get("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> finalizedDeliveries(invoiceId).size() == 1);

        java.net.http.HttpResponse<String> deliveries = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(stripe.baseUrl() + "/_sim/stripe/webhooks")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(deliveries.statusCode()).isEqualTo(200);
        JsonNode attempts = JSON.readTree(deliveries.body()).get("attempts");
        assertThat(attempts.findValuesAsText("type")).contains("invoice.created", "invoice.finalized");
        assertThat(attempts.findValuesAsText("status")).containsOnly("200");
    }

    private static String invoice() {
        return """
                {"customer":"cus_jp1","currency":"jpy","finalize":true,
                 "lines":[{"description":"Seats","quantity":2,"unitAmount":1200,"tax":{"percentage":"10","jurisdiction":"JP"}}]}""";
    }

    private List<Received> finalizedDeliveries(String invoiceId) {
        return received.stream().filter(r -> r.payload().contains("\"invoice.finalized\"") && r.payload().contains(invoiceId))
                .toList();
    }

    private List<String> typesFor(String invoiceId) {
        return received.stream().filter(r -> r.payload().contains(invoiceId)).map(r -> {
            try {
                return JSON.readTree(r.payload()).get("type").asText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
