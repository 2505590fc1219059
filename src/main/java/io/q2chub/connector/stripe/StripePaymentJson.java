package io.q2chub.connector.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.q2chub.canonical.Money;
import io.q2chub.canonical.Payment;
import io.q2chub.ops.failure.PoisonFailure;
import java.time.Instant;
import java.util.Locale;

/**
 * Stripe's payment objects as a canonical Payment with Stripe's own ids: one mapping for the webhook ingress
 * (StripePaymentEvents, which then swaps in canonical ids) and for what reconciliation heal re-reads from Stripe.
 */
final class StripePaymentJson {

    private StripePaymentJson() {
    }

    /**
     * An {@code invoice_payment}: id = its payment intent (else its charge), invoiceId = the Stripe invoice. It names
     * no customer, so the caller passes it.
     */
    static Payment invoicePayment(JsonNode invoicePayment, String customer) {
        return new Payment(paymentKey(invoicePayment), Payment.Kind.PAYMENT, customer,
                invoicePayment.path("invoice").asText(),
                money(invoicePayment.path("amount_paid"), invoicePayment.path("currency")), null,
                Instant.ofEpochSecond(invoicePayment.path("status_transitions").path("paid_at").asLong(
                        invoicePayment.path("created").asLong())),
                invoicePayment.path("payment").path("type").asText(null), null);
    }

    /** What the canonical payment id of an invoice payment derives from: the payment intent, else the charge. */
    static String paymentKey(JsonNode invoicePayment) {
        String paymentIntent = invoicePayment.path("payment").path("payment_intent").asText(null);
        return paymentIntent != null ? paymentIntent : invoicePayment.path("payment").path("charge").asText();
    }

    /**
     * A {@code refund}: id = the refund, originalPaymentId = the Stripe payment it returns (payment intent, else
     * charge), method = the charge's payment method type, which the refund does not carry.
     */
    static Payment refund(JsonNode refund, String customer, String method, String originalStripePayment) {
        return new Payment(refund.path("id").asText(), Payment.Kind.REFUND, customer, null,
                money(refund.path("amount"), refund.path("currency")), null,
                Instant.ofEpochSecond(refund.path("created").asLong()), method, originalStripePayment);
    }

    /** The Stripe payment a refund returns: its payment intent, else its charge. */
    static String refundedPayment(JsonNode refund) {
        String paymentIntent = refund.path("payment_intent").asText(null);
        return paymentIntent != null ? paymentIntent : refund.path("charge").asText();
    }

    /** Stripe amounts are integers in the currency's minor unit already: JPY 1000 is ¥1000, KWD 1000 is 1.000. */
    static Money money(JsonNode amount, JsonNode currency) {
        if (!amount.canConvertToLong() || !currency.isTextual()) {
            throw new PoisonFailure(StripeFailures.SYSTEM, "MALFORMED_PAYMENT", "Stripe payment without an integer"
                    + " amount or a currency");
        }
        return Money.ofMinor(amount.asLong(), currency.asText().toUpperCase(Locale.ROOT));
    }
}
