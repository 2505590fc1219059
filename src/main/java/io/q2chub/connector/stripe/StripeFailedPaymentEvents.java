package io.q2chub.connector.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.q2chub.canonical.CanonicalPublisher;
import io.q2chub.canonical.EventTypes;
import io.q2chub.canonical.Money;
import io.q2chub.canonical.PaymentFailure;
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
 * Turns Stripe's {@code invoice.payment_failed} into the canonical {@code q2c.payment.failed.v1} on q2c.payment.v1
 * (keyed by the customer). The invoice carries {@code attempt_count}; the reason is on the payment intent of its
 * latest open invoice payment ({@code last_payment_error.decline_code}), read from Stripe. One CloudEvent per
 * invoice and attempt ({@code stripe-in_…-attempt-2}), so a redelivery is one event.
 */
@ApplicationScoped
@Named("stripeFailedPaymentEvents")
@RegisterForReflection
public class StripeFailedPaymentEvents {

    private final StripeBilling stripe;
    private final StripeInvoiceEvents invoices;
    private final CrossReference xref;
    private final CanonicalPublisher publisher;

    public StripeFailedPaymentEvents(StripeBilling stripe, StripeInvoiceEvents invoices, CrossReference xref,
            CanonicalPublisher publisher) {
        this.stripe = stripe;
        this.invoices = invoices;
        this.xref = xref;
        this.publisher = publisher;
    }

    public void publish(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        JsonNode event = StripeEventJson.parse(in.getBody(String.class));
        JsonNode invoice = event.path("data").path("object");
        String stripeInvoice = invoice.path("id").asText();
        String stripeCustomer = invoice.path("customer").asText();
        String customer = xref.canonicalId(StripeFailures.SYSTEM, StripeInvoiceEvents.CUSTOMER_OBJECT, stripeCustomer)
                .orElseThrow(() -> new BusinessFailure(StripeFailures.SYSTEM, "UNKNOWN_CUSTOMER", "Stripe customer "
                        + stripeCustomer + " of " + stripeInvoice + " is not linked to a canonical customer"));
        int attempts = invoice.path("attempt_count").asInt(0);
        if (attempts < 1 || !invoice.path("amount_remaining").canConvertToLong() || !invoice.path("currency")
                .isTextual()) {
            throw new PoisonFailure(StripeFailures.SYSTEM, "MALFORMED_INVOICE", "invoice.payment_failed for "
                    + stripeInvoice + " without an attempt count, amount remaining or currency");
        }
        String failedIntent = null;
        for (JsonNode payment : invoice.path("payments").path("data")) {
            String intent = payment.path("payment").path("payment_intent").asText(null);
            if ("open".equals(payment.path("status").asText()) && intent != null) {
                failedIntent = intent; // the latest open attempt
            }
        }
        String declineCode = failedIntent == null ? null : stripe.paymentIntentDeclineCode(failedIntent);
        String eventId = "stripe-" + stripeInvoice + "-attempt-" + attempts;
        PaymentFailure failure = new PaymentFailure("payf-" + java.util.UUID.nameUUIDFromBytes(eventId.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)), customer,
                invoices.canonicalDocumentId(StripeInvoiceEvents.INVOICE_OBJECT, stripeInvoice),
                Money.ofMinor(invoice.path("amount_remaining").asLong(), invoice.path("currency").asText()
                        .toUpperCase(Locale.ROOT)), declineCode, attempts,
                Instant.ofEpochSecond(event.path("created").asLong()));
        publisher.publish(EventTypes.PAYMENT_FAILED, eventId, "billing", null, failure);
        in.setHeader(StripeInvoiceEvents.OUTCOME, "published");
    }
}
