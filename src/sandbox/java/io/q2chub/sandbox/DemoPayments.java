package io.q2chub.sandbox;

import io.q2chub.ops.xref.CrossReference;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.netsuite.Transaction;
import io.q2chub.sandbox.stripe.StripeSimulator;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's customers paying: once an invoice of a demo subscription is posted (its Stripe invoice carries the ERP
 * id the write-back put there), it is paid in the Stripe simulator, in turn in full, half of it (a partial payment:
 * the invoice stays open for the rest), or in full with a quarter refunded once the payment shows in the ERP (a
 * refund before that would only wait in the retries). Nothing is written to NetSuite from here: the simulator's
 * webhooks go through the real ingress and payment-application route, which record the customer payments and
 * refunds.
 */
final class DemoPayments {

    /** How a demo invoice is paid; taken in turn, so the USD, JPY and KWD orders of the demo get one each. */
    enum Plan { IN_FULL, HALF, IN_FULL_THEN_QUARTER_REFUNDED }

    private final StripeSimulator stripe;
    private final NetSuiteSimulator netsuite;
    private final CrossReference xref;
    /** Stripe invoice id → how it was paid. */
    private final Map<String, Plan> paid = new LinkedHashMap<>();
    /** Stripe invoice id → the Stripe refund made of its payment. */
    private final Map<String, String> refunds = new LinkedHashMap<>();

    DemoPayments(StripeSimulator stripe, NetSuiteSimulator netsuite, CrossReference xref) {
        this.stripe = stripe;
        this.netsuite = netsuite;
        this.xref = xref;
    }

    /** Pays every posted demo invoice not paid yet, and refunds what is due for a refund; returns what it paid now. */
    synchronized Map<String, Plan> collect() {
        Map<String, Plan> now = new LinkedHashMap<>();
        for (Map<String, Object> invoice : stripe.invoices()) {
            String id = (String) invoice.get("id");
            if (paid.containsKey(id) || invoice.get("parent") == null || !"open".equals(invoice.get("status"))
                    || erpId(invoice) == null || number(invoice, "amount_paid") != 0) {
                continue;
            }
            Plan plan = Plan.values()[paid.size() % Plan.values().length];
            stripe.payInvoice(id, plan == Plan.HALF ? number(invoice, "amount_remaining") / 2 : null);
            paid.put(id, plan);
            now.put(id, plan);
        }
        for (Map.Entry<String, Plan> invoice : paid.entrySet()) {
            if (invoice.getValue() == Plan.IN_FULL_THEN_QUARTER_REFUNDED && !refunds.containsKey(invoice.getKey())) {
                Map<String, Object> held = stripe.invoice(invoice.getKey());
                if (appliedInErp(held)) {
                    Map<String, Object> refund = stripe.refund(paymentIntent(held), number(held, "total") / 4);
                    refunds.put(invoice.getKey(), (String) refund.get("id"));
                }
            }
        }
        return now;
    }

    synchronized boolean paid(String stripeInvoiceId) {
        return paid.containsKey(stripeInvoiceId);
    }

    synchronized Map<String, Plan> paid() {
        return new LinkedHashMap<>(paid);
    }

    synchronized Map<String, String> refunds() {
        return new LinkedHashMap<>(refunds);
    }

    /** Every payment and refund made is in the ERP: the invoice owes there what it owes in billing. */
    synchronized boolean settled() {
        for (Map.Entry<String, Plan> invoice : paid.entrySet()) {
            if (!appliedInErp(stripe.invoice(invoice.getKey()))) {
                return false;
            }
            if (invoice.getValue() == Plan.IN_FULL_THEN_QUARTER_REFUNDED) {
                String refund = refunds.get(invoice.getKey());
                if (refund == null || !refundInErp(refund)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The ERP invoice owes what the billing invoice still owes. */
    boolean appliedInErp(Map<String, Object> invoice) {
        Currency currency = Currency.getInstance(((String) invoice.get("currency")).toUpperCase(Locale.ROOT));
        BigDecimal owed = BigDecimal.valueOf(number(invoice, "amount_remaining"), currency.getDefaultFractionDigits());
        return erpInvoice(invoice).map(t -> t.amountRemaining() != null && t.amountRemaining().compareTo(owed) == 0)
                .orElse(false);
    }

    private boolean refundInErp(String stripeRefundId) {
        try {
            return xref.canonicalId("stripe", "refund", stripeRefundId).flatMap(netsuite::customerRefund).isPresent();
        } catch (SQLException e) {
            return false;
        }
    }

    /** The NetSuite invoice the write-back named on the Stripe invoice (metadata.erp_id). */
    Optional<Transaction> erpInvoice(Map<String, Object> invoice) {
        String erpId = erpId(invoice);
        return erpId == null ? Optional.empty() : netsuite.transactions().stream()
                .filter(t -> "invoice".equals(t.type()) && erpId.equals(t.internalId())).findFirst();
    }

    static String erpId(Map<String, Object> invoice) {
        Object metadata = invoice.get("metadata");
        return metadata instanceof Map<?, ?> m && m.get("erp_id") != null ? m.get("erp_id").toString() : null;
    }

    static long number(Map<String, Object> object, String field) {
        Object value = object.get(field);
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** The Stripe invoice payment ({@code inpay_…}) of the invoice's first payment. */
    static String firstPayment(Map<String, Object> invoice) {
        return (String) firstPaymentOf(invoice).get("id");
    }

    @SuppressWarnings("unchecked")
    private static String paymentIntent(Map<String, Object> invoice) {
        return (String) ((Map<String, Object>) firstPaymentOf(invoice).get("payment")).get("payment_intent");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstPaymentOf(Map<String, Object> invoice) {
        List<Map<String, Object>> payments = (List<Map<String, Object>>) ((Map<String, Object>) invoice.get("payments")).get("data");
        return payments.get(0);
    }
}
