package io.q2chub.connector.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.q2chub.canonical.CanonicalPublisher;
import io.q2chub.canonical.EventTypes;
import io.q2chub.canonical.Money;
import io.q2chub.canonical.PaymentDispute;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.PoisonFailure;
import io.q2chub.ops.xref.CrossReference;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Instant;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Turns Stripe's {@code charge.dispute.created} and {@code charge.dispute.closed} into the canonical
 * {@code q2c.payment.disputed.v1} on q2c.payment.v1 (keyed by the customer, so it follows the payment it
 * disputes). Stripe's statuses: won and warning_closed → WON, lost → LOST, every other (needs_response,
 * under_review, warning_*) → OPEN. The time is the Stripe event's, so a consumer can keep the latest.
 *
 * <p>One CloudEvent per dispute and status ({@code stripe-du_…-open}), so a redelivery is one event and the close
 * is never mistaken for the open. The chargeback of a lost dispute is published by StripePaymentEvents.
 */
@ApplicationScoped
@Named("stripeDisputeEvents")
@RegisterForReflection
public class StripeDisputeEvents {

    private final StripeBilling stripe;
    private final StripePaymentEvents payments;
    private final CrossReference xref;
    private final CanonicalPublisher publisher;

    public StripeDisputeEvents(StripeBilling stripe, StripePaymentEvents payments, CrossReference xref,
            CanonicalPublisher publisher) {
        this.stripe = stripe;
        this.payments = payments;
        this.xref = xref;
        this.publisher = publisher;
    }

    public void publish(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        JsonNode event = StripeEventJson.parse(in.getBody(String.class));
        JsonNode dispute = event.path("data").path("object");
        String stripeId = dispute.path("id").asText();
        String charge = dispute.path("charge").asText();
        String stripeCustomer = stripe.chargeCustomer(charge);
        String customer = xref.canonicalId(StripeFailures.SYSTEM, StripeInvoiceEvents.CUSTOMER_OBJECT, stripeCustomer)
                .orElseThrow(() -> new BusinessFailure(StripeFailures.SYSTEM, "UNKNOWN_CUSTOMER", "Stripe customer "
                        + stripeCustomer + " of dispute " + stripeId + " is not linked to a canonical customer"));
        String paymentIntent = dispute.path("payment_intent").asText(null);
        PaymentDispute.Status status = status(dispute.path("status").asText());
        JsonNode amount = dispute.path("amount");
        if (!amount.canConvertToLong() || !dispute.path("currency").isTextual()) {
            throw new PoisonFailure(StripeFailures.SYSTEM, "MALFORMED_DISPUTE", "Stripe dispute " + stripeId
                    + " without an integer amount or a currency");
        }
        PaymentDispute canonical = new PaymentDispute(
                canonicalDisputeId(stripeId), stripeId,
                payments.canonicalId(StripePaymentEvents.PAYMENT_OBJECT, paymentIntent != null ? paymentIntent : charge),
                customer, status, Money.ofMinor(amount.asLong(), dispute.path("currency").asText()
                        .toUpperCase(Locale.ROOT)), dispute.path("reason").asText(null),
                Instant.ofEpochSecond(event.path("created").asLong(dispute.path("created").asLong())));
        publisher.publish(EventTypes.PAYMENT_DISPUTED, "stripe-" + stripeId + "-" + status.name().toLowerCase(Locale.ROOT),
                "billing", null, canonical);
        in.setHeader(StripeInvoiceEvents.OUTCOME, "published");
    }

    /**
     * Name-based, so every event of the dispute gives the same id without a cross-reference entry (the
     * {@code dispute} entry names the chargeback refund, which exists only for a lost dispute).
     */
    static String canonicalDisputeId(String stripeId) {
        return "dsp-" + java.util.UUID.nameUUIDFromBytes((StripeFailures.SYSTEM + ":dispute-case:" + stripeId)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static PaymentDispute.Status status(String stripeStatus) {
        return switch (stripeStatus) {
            case "won", "warning_closed" -> PaymentDispute.Status.WON;
            case "lost" -> PaymentDispute.Status.LOST;
            default -> PaymentDispute.Status.OPEN;
        };
    }
}
