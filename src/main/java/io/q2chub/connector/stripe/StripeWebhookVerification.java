package io.q2chub.connector.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import io.micrometer.core.instrument.MeterRegistry;
import io.q2chub.ops.failure.TransientFailure;
import io.q2chub.ops.idempotency.JdbcIdempotentRepository;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The door of the Stripe webhook endpoint: size, signature (stripe-java, on the raw body, constant-time compare,
 * timestamp tolerance) and the event's envelope. A rejected request is answered at once (413, 415 or 400 with a short
 * reason), counted in {@code q2c.webhook.rejected} (class security) and logged without payload or signature;
 * nothing of it goes further. An accepted one leaves with the payload as text and the event's id, type and
 * object id as headers, and without its Stripe-Signature header, so the signature is never parked or logged.
 *
 * <p>Several secrets are accepted while an endpoint secret is rolled ({@code q2c.stripe.webhook-secrets}, comma
 * separated): Stripe signs with the new one (and, until the old one expires, with both).
 */
@ApplicationScoped
@Named("stripeWebhookVerification")
@RegisterForReflection
public class StripeWebhookVerification {

    public static final String EVENT_ID = "q2c-stripe-event-id";
    public static final String EVENT_TYPE = "q2c-stripe-event-type";
    public static final String OBJECT_ID = "q2c-stripe-object-id";
    /** Exchange property: true when the request was answered here and must go no further. */
    public static final String REJECTED = "q2c-webhook-rejected";
    static final String SIGNATURE_HEADER = "Stripe-Signature";

    private static final Logger LOG = Logger.getLogger(StripeWebhookVerification.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> secrets;
    private final long toleranceSeconds;
    private final int maxBytes;
    private final Duration duplicateWait;
    private final JdbcIdempotentRepository idempotency;
    private final MeterRegistry metrics;

    public StripeWebhookVerification(
            @ConfigProperty(name = "q2c.stripe.webhook-secrets") Optional<List<String>> secrets,
            @ConfigProperty(name = "q2c.stripe.webhook-tolerance", defaultValue = "PT300S") Duration tolerance,
            @ConfigProperty(name = "q2c.stripe.webhook-max-bytes", defaultValue = "262144") int maxBytes,
            @ConfigProperty(name = "q2c.stripe.webhook-duplicate-wait", defaultValue = "PT5S") Duration duplicateWait,
            JdbcIdempotentRepository idempotency, MeterRegistry metrics) {
        this.secrets = secrets.orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        this.toleranceSeconds = tolerance.toSeconds();
        this.maxBytes = maxBytes;
        this.duplicateWait = duplicateWait;
        this.idempotency = idempotency;
        this.metrics = metrics;
    }

    public void verify(Exchange exchange) {
        Message in = exchange.getMessage();
        byte[] body = in.getBody(byte[].class);
        String signature = in.getHeader(SIGNATURE_HEADER, String.class);
        in.removeHeader(SIGNATURE_HEADER);
        if (!isJson(in.getHeader(Exchange.CONTENT_TYPE, String.class))) {
            // Stripe always sends application/json; anything else (a form post, text) is not a Stripe event.
            reject(exchange, 415, "unsupported content type");
            return;
        }
        if (body != null && body.length > maxBytes) {
            reject(exchange, 413, "payload too large");
            return;
        }
        if (secrets.isEmpty()) {
            // Unverifiable is not accepted: without a secret every request is refused, and Stripe retries.
            reject(exchange, 503, "webhook secret not configured");
            return;
        }
        if (body == null || body.length == 0 || signature == null || signature.isBlank()) {
            reject(exchange, 400, body == null || body.length == 0 ? "empty body" : "missing signature");
            return;
        }
        String payload = utf8(body);
        if (payload == null) {
            // Decoding leniently would replace the bad bytes, and the signature would then fail on a body the
            // sender never sent: say what is wrong instead.
            reject(exchange, 400, "body is not valid UTF-8");
            return;
        }
        String failure = null;
        for (String secret : secrets) {
            try {
                Webhook.Signature.verifyHeader(payload, signature, secret, toleranceSeconds);
                failure = null;
                break;
            } catch (SignatureVerificationException e) {
                // The timestamp check is the same for every secret; a mismatch with one secret says nothing yet.
                String reason = reasonOf(e);
                failure = "timestamp outside tolerance".equals(failure) ? failure : reason;
            }
        }
        if (failure != null) {
            reject(exchange, 400, failure);
            return;
        }
        JsonNode event = parse(payload);
        if (event == null || !event.path("id").asText().startsWith("evt_") || !event.path("type").isTextual()
                || !event.path("data").path("object").path("id").isTextual()) {
            reject(exchange, 400, "malformed event");
            return;
        }
        in.setHeader(EVENT_ID, event.path("id").asText());
        in.setHeader(EVENT_TYPE, event.path("type").asText());
        in.setHeader(OBJECT_ID, event.path("data").path("object").path("id").asText());
        in.setBody(payload);
    }

    /** 2xx: the event is on the bus (or was already, or is of a type the hub does not use). */
    public void acknowledge(Exchange exchange) {
        answer(exchange, 200, Map.of("received", true));
    }

    /** The billing platform or the broker is unavailable now: Stripe's own retries bring the event back. */
    public void retryLater(Exchange exchange) {
        answer(exchange, 503, Map.of("error", "temporarily unavailable, retry later"));
    }

    /**
     * A transient failure of this delivery. When it is only that another delivery of the same event (Stripe's
     * duplicate, another replica) holds the event's key right now, this one waits for that one's outcome and
     * answers it: 200 once the event is on the bus, else 503 so Stripe retries. Answering 2xx before the other
     * delivery succeeded could tell Stripe an event was delivered that then failed; answering 503 at once made
     * every concurrent duplicate a failed delivery in Stripe's dashboard.
     */
    public void retryLaterUnlessDoneElsewhere(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String eventId = exchange.getMessage().getHeader(EVENT_ID, String.class);
        if (failure instanceof TransientFailure transientFailure
                && JdbcIdempotentRepository.IN_PROGRESS_ELSEWHERE.equals(transientFailure.errorCode())
                && eventId != null && idempotency.awaitDone(exchange, eventId, duplicateWait)) {
            acknowledge(exchange);
            return;
        }
        retryLater(exchange);
    }

    private void reject(Exchange exchange, int status, String reason) {
        metrics.counter("q2c.webhook.rejected", "system", StripeFailures.SYSTEM, "class", "security",
                "reason", reason.replace(' ', '_')).increment();
        LOG.warnf("Stripe webhook rejected with %d: %s", status, reason);
        exchange.setProperty(REJECTED, true);
        answer(exchange, status, Map.of("error", reason));
    }

    private static void answer(Exchange exchange, int status, Map<String, Object> body) {
        Message in = exchange.getMessage();
        in.getHeaders().keySet().removeIf(name -> !name.startsWith("q2c-stripe-"));
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            in.setBody(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Short reasons only: stripe-java's messages are fine, but nothing of the request goes into the answer. */
    private static String reasonOf(SignatureVerificationException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("tolerance")) {
            return "timestamp outside tolerance";
        }
        if (message.contains("Unable to extract") || message.contains("expected scheme")) {
            return "malformed signature header";
        }
        return "signature mismatch";
    }

    /** application/json with any parameters (Stripe: "application/json; charset=utf-8"); none given is let through. */
    private static boolean isJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        int parameters = contentType.indexOf(';');
        String mediaType = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim();
        return "application/json".equalsIgnoreCase(mediaType);
    }

    /** The body as text, or null when it is not valid UTF-8. */
    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static JsonNode parse(String payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            return null;
        }
    }
}
