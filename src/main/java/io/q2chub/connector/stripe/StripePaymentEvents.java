package io.q2chub.connector.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.q2chub.canonical.CanonicalPublisher;
import io.q2chub.canonical.EventTypes;
import io.q2chub.canonical.Invoice;
import io.q2chub.canonical.Payment;
import io.q2chub.canonical.QuoteToCashChain;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.PoisonFailure;
import io.q2chub.ops.xref.CrossReference;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Turns Stripe payment events into canonical {@code q2c.payment.recorded.v1} events on q2c.payment.v1:
 * {@code invoice_payment.paid} (every payment of an invoice, partial ones too) and {@code invoice.paid} (all the
 * invoice's payments) → PAYMENT; {@code charge.refunded} (the charge with its refunds) → REFUND per refund.
 * {@code refund.created} reports the same refund without the customer, so it is acknowledged and not used.
 * {@code charge.dispute.closed} lost → REFUND (a chargeback, method "chargeback"); the customer is read from the
 * disputed charge.
 *
 * <p><b>Once per payment.</b> One Stripe payment is reported by two events (invoice_payment.paid, then invoice.paid),
 * and a charge refunded twice reports its first refund again: the CloudEvent id derives from the Stripe invoice
 * payment or refund id, not from the Stripe event, so the capability's idempotent consumer sees one payment once.
 * Payments are facts that do not change after they happen, so the event's own object is used (no re-fetch), except
 * that an invoice payment names no customer: its invoice is read from Stripe for it.
 *
 * <p><b>Ids.</b> Canonical payment and refund ids are name-based UUIDs of the Stripe payment intent / refund id,
 * linked in the cross-reference ({@code payment}, {@code refund}); the invoice's canonical id is the one invoice
 * ingress gives it (linked or derived the same way), so a payment that overtakes its invoice still names it.
 * A payment carries the quote-to-cash chain of the subscription its invoice bills as {@code ce_correlationid};
 * refunds and chargebacks start their own.
 */
@ApplicationScoped
@Named("stripePaymentEvents")
@RegisterForReflection
public class StripePaymentEvents {

    static final String PAYMENT_OBJECT = "payment";
    static final String REFUND_OBJECT = "refund";
    static final String DISPUTE_OBJECT = "dispute";

    private final StripeBilling stripe;
    private final StripeInvoiceEvents invoices;
    private final CrossReference xref;
    private final CanonicalPublisher publisher;

    public StripePaymentEvents(StripeBilling stripe, StripeInvoiceEvents invoices, CrossReference xref,
            CanonicalPublisher publisher) {
        this.stripe = stripe;
        this.invoices = invoices;
        this.xref = xref;
        this.publisher = publisher;
    }

    public void publish(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        String type = in.getHeader(StripeWebhookVerification.EVENT_TYPE, String.class);
        JsonNode object = StripeEventJson.parse(in.getBody(String.class)).path("data").path("object");
        List<Recorded> payments = switch (type) {
            case "invoice_payment.paid" -> List.of(payment(object, null, null));
            case "invoice.paid" -> paymentsOf(object);
            case "charge.refunded" -> refundsOf(object);
            case "charge.dispute.closed" -> chargebackOf(object);
            default -> List.of();
        };
        for (Recorded recorded : payments) {
            send(recorded);
        }
        in.setHeader(StripeInvoiceEvents.OUTCOME, payments.isEmpty() ? "ignored" : "published");
    }

    /** @param chain the quote-to-cash chain the payment joins (its invoice's); null: it starts its own */
    private record Recorded(Payment payment, String cloudEventId, String chain) {
        Recorded(Payment payment, String cloudEventId) {
            this(payment, cloudEventId, null);
        }
    }

    private List<Recorded> paymentsOf(JsonNode invoice) throws SQLException {
        String customer = canonicalCustomer(invoice.path("customer").asText(), invoice.path("id").asText());
        List<Recorded> recorded = new ArrayList<>();
        for (JsonNode payment : invoice.path("payments").path("data")) {
            if ("paid".equals(payment.path("status").asText())) {
                recorded.add(payment(payment, customer, subscriptionOf(invoice)));
            }
        }
        return recorded;
    }

    private Recorded payment(JsonNode invoicePayment, String knownCustomer, String knownSubscription)
            throws SQLException {
        JsonNode invoiceRef = invoicePayment.path("invoice");
        if (!invoiceRef.isTextual() || invoiceRef.asText().isBlank()) {
            // Fetching a blank id would ask Stripe for the invoice list and fail on something unrelated.
            throw new PoisonFailure(StripeFailures.SYSTEM, "MALFORMED_PAYMENT", "Stripe invoice payment "
                    + invoicePayment.path("id").asText() + " names no invoice id");
        }
        String stripeInvoice = invoiceRef.asText();
        Invoice fetched = knownCustomer != null ? null : stripe.fetchInvoice(stripeInvoice);
        String customer = knownCustomer != null ? knownCustomer : canonicalCustomer(fetched.customerId(), stripeInvoice);
        String subscription = fetched != null ? fetched.subscriptionId() : knownSubscription;
        Payment stripeIds = StripePaymentJson.invoicePayment(invoicePayment, customer);
        Payment payment = new Payment(canonicalId(PAYMENT_OBJECT, stripeIds.id()), Payment.Kind.PAYMENT, customer,
                invoices.canonicalDocumentId(StripeInvoiceEvents.INVOICE_OBJECT, stripeInvoice), stripeIds.amount(),
                null, stripeIds.receivedAt(), stripeIds.method(), null);
        return new Recorded(payment, "stripe-" + invoicePayment.path("id").asText(), chainOf(subscription));
    }

    private List<Recorded> refundsOf(JsonNode charge) throws SQLException {
        String customer = canonicalCustomer(charge.path("customer").asText(), charge.path("id").asText());
        String paymentIntent = charge.path("payment_intent").asText(null);
        String original = canonicalId(PAYMENT_OBJECT, paymentIntent != null ? paymentIntent
                : charge.path("id").asText());
        List<Recorded> recorded = new ArrayList<>();
        for (JsonNode refund : charge.path("refunds").path("data")) {
            if (!"succeeded".equals(refund.path("status").asText())) {
                continue;
            }
            Payment stripeIds = StripePaymentJson.refund(refund, customer,
                    charge.path("payment_method_details").path("type").asText(null), null);
            Payment payment = new Payment(canonicalId(REFUND_OBJECT, stripeIds.id()), Payment.Kind.REFUND, customer,
                    null, stripeIds.amount(), null, stripeIds.receivedAt(), stripeIds.method(), original);
            recorded.add(new Recorded(payment, "stripe-" + refund.path("id").asText()));
        }
        return recorded;
    }

    /**
     * A lost dispute takes the money back like a refund (a chargeback): REFUND of the disputed amount, method
     * "chargeback". A won dispute, and an opened one, change no money the ERP holds, so nothing is published.
     */
    private List<Recorded> chargebackOf(JsonNode dispute) throws SQLException {
        if (!"lost".equals(dispute.path("status").asText())) {
            return List.of();
        }
        String charge = dispute.path("charge").asText();
        String customer = canonicalCustomer(stripe.chargeCustomer(charge), charge);
        String paymentIntent = dispute.path("payment_intent").asText(null);
        String original = canonicalId(PAYMENT_OBJECT, paymentIntent != null ? paymentIntent : charge);
        Payment chargeback = new Payment(canonicalId(DISPUTE_OBJECT, dispute.path("id").asText()),
                Payment.Kind.REFUND, customer, null, StripePaymentJson.money(dispute.path("amount"),
                        dispute.path("currency")), null,
                Instant.ofEpochSecond(dispute.path("created").asLong()), "chargeback", original);
        return List.of(new Recorded(chargeback, "stripe-" + dispute.path("id").asText()));
    }

    /** The Stripe subscription an invoice bills (API 2025: under parent.subscription_details), or null. */
    private static String subscriptionOf(JsonNode invoice) {
        return invoice.path("parent").path("subscription_details").path("subscription").asText(null);
    }

    /** A payment joins the quote-to-cash chain of the subscription its invoice bills (QuoteToCashChain). */
    private String chainOf(String stripeSubscription) throws SQLException {
        if (stripeSubscription == null) {
            return null;
        }
        return xref.canonicalId(StripeFailures.SYSTEM, StripeInvoiceEvents.SUBSCRIPTION_OBJECT, stripeSubscription)
                .map(QuoteToCashChain::ofSubscription).orElse(null);
    }

    private String canonicalCustomer(String stripeCustomer, String about) throws SQLException {
        return xref.canonicalId(StripeFailures.SYSTEM, StripeInvoiceEvents.CUSTOMER_OBJECT, stripeCustomer)
                .orElseThrow(() -> new BusinessFailure(StripeFailures.SYSTEM, "UNKNOWN_CUSTOMER", "Stripe customer "
                        + stripeCustomer + " of " + about + " is not linked to a canonical customer"));
    }

    /** Linked on first sight; the same Stripe id always gives the same canonical id (payouts use it too). */
    String canonicalId(String objectType, String stripeId) throws SQLException {
        var linked = xref.canonicalId(StripeFailures.SYSTEM, objectType, stripeId);
        if (linked.isPresent()) {
            return linked.get();
        }
        String minted = (PAYMENT_OBJECT.equals(objectType) ? "pay-" : "ref-") + UUID.nameUUIDFromBytes(
                (StripeFailures.SYSTEM + ":" + objectType + ":" + stripeId).getBytes(StandardCharsets.UTF_8));
        xref.link(StripeFailures.SYSTEM, objectType, stripeId, minted);
        return minted;
    }


    private void send(Recorded recorded) throws Exception {
        publisher.publish(EventTypes.PAYMENT_RECORDED, recorded.cloudEventId(), "billing", recorded.chain(),
                recorded.payment());
    }
}
