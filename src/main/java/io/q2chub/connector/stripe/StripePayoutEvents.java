package io.q2chub.connector.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.q2chub.canonical.CanonicalPublisher;
import io.q2chub.canonical.EventTypes;
import io.q2chub.canonical.Money;
import io.q2chub.canonical.Payment;
import io.q2chub.canonical.Payout;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.PoisonFailure;
import io.q2chub.ops.xref.CrossReference;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Turns Stripe's {@code payout.paid} into the canonical {@code q2c.payout.paid.v1} on q2c.payout.v1: the payout is
 * read again from Stripe (a payout.failed may have overtaken the event: only a payout still {@code paid} is
 * published) and its balance transactions are listed ({@code GET /v1/balance_transactions?payout=}, paged). Each
 * charge becomes a PAYMENT item with its fee, each refund and lost-dispute withdrawal a REFUND item with a negative
 * gross; the payout's own transaction is the payout itself and is left out.
 *
 * <p>Items are named by canonical ids through the cross-reference, minted exactly as payment ingress mints them
 * (name-based on the payment intent, refund or dispute id), so a payout that arrives before a payment's own
 * webhook still names the payment the ERP will hold. The numbers are published as Stripe reports them; the
 * capability checks that they add up.
 */
@ApplicationScoped
@Named("stripePayoutEvents")
@RegisterForReflection
public class StripePayoutEvents {

    static final String PAYOUT_OBJECT = "payout";
    static final String CHARGE_OBJECT = "charge";

    private final StripeBilling stripe;
    private final StripePaymentEvents payments;
    private final CrossReference xref;
    private final CanonicalPublisher publisher;

    public StripePayoutEvents(StripeBilling stripe, StripePaymentEvents payments, CrossReference xref,
            CanonicalPublisher publisher) {
        this.stripe = stripe;
        this.payments = payments;
        this.xref = xref;
        this.publisher = publisher;
    }

    public void publish(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        String payoutId = StripeEventJson.parse(in.getBody(String.class)).path("data").path("object").path("id")
                .asText(null);
        if (payoutId == null) {
            throw new PoisonFailure(StripeFailures.SYSTEM, "MALFORMED_EVENT", "payout event without a payout id");
        }
        JsonNode payout = stripe.payoutJson(payoutId);
        if (!"paid".equals(payout.path("status").asText())) {
            in.setHeader(StripeInvoiceEvents.OUTCOME, "ignored");
            return;
        }
        send(payout(payout, stripe.balanceTransactionsOf(payoutId)));
        in.setHeader(StripeInvoiceEvents.OUTCOME, "published");
    }

    Payout payout(JsonNode payout, List<JsonNode> transactions) throws SQLException {
        String currency = currency(payout.path("currency"));
        List<Payout.Item> items = new ArrayList<>();
        long gross = 0;
        long fees = 0;
        for (JsonNode transaction : transactions) {
            String type = transaction.path("type").asText();
            if (type.equals("payout")) {
                continue;
            }
            if (!currency.equals(currency(transaction.path("currency")))) {
                throw new BusinessFailure(StripeFailures.SYSTEM, "PAYOUT_MIXED_CURRENCY", "payout "
                        + payout.path("id").asText() + " in " + currency + " sweeps " + transaction.path("id").asText()
                        + " in " + transaction.path("currency").asText());
            }
            long amount = integer(transaction, "amount");
            long fee = integer(transaction, "fee");
            String source = transaction.path("source").asText();
            Payment.Kind kind;
            String paymentId;
            switch (type) {
                case "charge", "payment" -> {
                    kind = Payment.Kind.PAYMENT;
                    paymentId = paymentOfCharge(source);
                }
                case "refund", "payment_refund" -> {
                    kind = Payment.Kind.REFUND;
                    paymentId = payments.canonicalId(StripePaymentEvents.REFUND_OBJECT, source);
                }
                case "adjustment" -> {
                    if (!source.startsWith("du_") || amount >= 0) {
                        throw unsupported(payout, transaction);
                    }
                    kind = Payment.Kind.REFUND; // a lost dispute: the chargeback payment ingress records
                    paymentId = payments.canonicalId(StripePaymentEvents.DISPUTE_OBJECT, source);
                }
                default -> throw unsupported(payout, transaction);
            }
            items.add(new Payout.Item(kind, paymentId, Money.ofMinor(amount, currency), Money.ofMinor(fee, currency)));
            gross += amount;
            fees += fee;
        }
        String stripeId = payout.path("id").asText();
        return new Payout(canonicalPayoutId(stripeId), stripeId,
                LocalDate.ofInstant(Instant.ofEpochSecond(integer(payout, "arrival_date")), ZoneOffset.UTC),
                Money.ofMinor(gross, currency), Money.ofMinor(fees, currency),
                Money.ofMinor(integer(payout, "amount"), currency), items);
    }

    /** Balance transactions name the charge; canonical payments are minted on the payment intent. */
    private String paymentOfCharge(String chargeId) throws SQLException {
        var linked = xref.canonicalId(StripeFailures.SYSTEM, CHARGE_OBJECT, chargeId);
        if (linked.isPresent()) {
            return linked.get();
        }
        String paymentIntent = stripe.chargePaymentIntent(chargeId);
        String canonical = payments.canonicalId(StripePaymentEvents.PAYMENT_OBJECT,
                paymentIntent != null ? paymentIntent : chargeId);
        xref.link(StripeFailures.SYSTEM, CHARGE_OBJECT, chargeId, canonical);
        return canonical;
    }

    private String canonicalPayoutId(String stripeId) throws SQLException {
        var linked = xref.canonicalId(StripeFailures.SYSTEM, PAYOUT_OBJECT, stripeId);
        if (linked.isPresent()) {
            return linked.get();
        }
        String minted = "pout-" + UUID.nameUUIDFromBytes((StripeFailures.SYSTEM + ":" + PAYOUT_OBJECT + ":" + stripeId)
                .getBytes(StandardCharsets.UTF_8));
        xref.link(StripeFailures.SYSTEM, PAYOUT_OBJECT, stripeId, minted);
        return minted;
    }

    private static BusinessFailure unsupported(JsonNode payout, JsonNode transaction) {
        return new BusinessFailure(StripeFailures.SYSTEM, "PAYOUT_UNSUPPORTED_TRANSACTION", "payout "
                + payout.path("id").asText() + " sweeps balance transaction " + transaction.path("id").asText()
                + " of type " + transaction.path("type").asText() + " (" + transaction.path("reporting_category")
                .asText() + "), which the hub cannot map to a payment or refund: record it in the ERP by hand");
    }

    private static long integer(JsonNode object, String field) {
        JsonNode value = object.path(field);
        if (!value.canConvertToLong()) {
            throw new PoisonFailure(StripeFailures.SYSTEM, "MALFORMED_PAYOUT", "Stripe " + object.path("object")
                    .asText() + " " + object.path("id").asText() + " has no integer " + field);
        }
        return value.asLong();
    }

    private static String currency(JsonNode currency) {
        if (!currency.isTextual()) {
            throw new PoisonFailure(StripeFailures.SYSTEM, "MALFORMED_PAYOUT", "Stripe payout without a currency");
        }
        return currency.asText().toUpperCase(Locale.ROOT);
    }


    private void send(Payout payout) throws Exception {
        publisher.publish(EventTypes.PAYOUT_PAID, "stripe-" + payout.billingPayoutId(), "billing", null, payout);
    }
}
