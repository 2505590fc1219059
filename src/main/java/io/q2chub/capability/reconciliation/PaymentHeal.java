package io.q2chub.capability.reconciliation;

import io.q2chub.canonical.CanonicalPublisher;
import io.q2chub.canonical.EventTypes;
import io.q2chub.canonical.Payment;
import io.q2chub.connector.Billing;
import io.q2chub.connector.Billing.BillingPayment;
import io.q2chub.ops.xref.CrossReference;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Heal of the money side: a payment or refund that billing holds and the ERP does not is re-read from billing and
 * re-emitted as {@code q2c.payment.recorded.v1} through direct:publish-canonical-event, exactly as the billing
 * ingress would have published it. The payment-application route writes the ERP, keyed by the canonical payment
 * id, so a re-emit of a payment the ERP already holds (a late webhook, a second heal) finds it and posts nothing.
 * One instance per run: a payment is re-emitted at most once per run, whichever discrepancy asked for it.
 */
final class PaymentHeal {

    private static final Logger LOG = Logger.getLogger(PaymentHeal.class);

    private final long runId;
    private final Billing billing;
    private final CrossReference xref;
    private final CanonicalPublisher publisher;
    private final Map<String, BillingPayment> listed;
    private final Set<String> emitted = new HashSet<>();

    /** @param listed the run's billing payments by canonical id */
    PaymentHeal(long runId, Billing billing, CrossReference xref, CanonicalPublisher publisher,
            Map<String, BillingPayment> listed) {
        this.runId = runId;
        this.billing = billing;
        this.xref = xref;
        this.publisher = publisher;
        this.listed = listed;
    }

    /** PAYMENT_MISSING_IN_ERP: the payment or refund re-emitted. */
    Discrepancy missing(Discrepancy d) {
        BillingPayment payment = listed.get(d.documentId());
        if (payment == null) {
            return d.noted("not healed: billing payment " + d.billingId() + " is not in this run's listing");
        }
        try {
            reEmit(d.documentId(), payment);
            return d.healed("healed: payment.recorded re-emitted by run " + runId);
        } catch (Exception e) {
            LOG.warnf("reconciliation %d could not heal %s: %s", runId, d.documentId(), e.getMessage());
            return d.noted("not healed: " + e.getMessage());
        }
    }

    /**
     * STATUS_MISMATCH paid in billing, open in the ERP: every payment of the invoice is re-emitted (whenever it was
     * made, so it may lie outside the window); those the ERP already holds cost one lookup and post nothing.
     */
    Discrepancy paidButOpen(Discrepancy d) {
        try {
            List<BillingPayment> payments = billing.paymentsOfInvoice(d.billingId());
            if (payments.isEmpty()) {
                return d.noted("not healed: billing lists no payment of invoice " + d.billingId());
            }
            for (BillingPayment payment : payments) {
                String canonical = xref.canonicalId(billing.system(), PaymentCompare.PAYMENT, payment.paymentId())
                        .orElseGet(() -> PaymentCompare.mintedId(billing.system(), payment.kind(), payment.paymentId()));
                reEmit(canonical, payment);
            }
            return d.healed("healed: " + payments.size() + " payment(s) of the invoice re-emitted by run " + runId);
        } catch (Exception e) {
            LOG.warnf("reconciliation %d could not heal %s: %s", runId, d.documentId(), e.getMessage());
            return d.noted("not healed: " + e.getMessage());
        }
    }

    /**
     * The payment as billing holds it now (the ingress's own mapping, Billing.fetchPayment), with the canonical ids
     * the ingress would give it; CloudEvent id {@code reconciliation-<run>-<billing id>}.
     */
    private void reEmit(String canonicalId, BillingPayment listedPayment) throws Exception {
        if (!emitted.add(canonicalId)) {
            return;
        }
        Payment fetched = billing.fetchPayment(listedPayment);
        String system = billing.system();
        String customer = xref.canonicalId(system, "customer", fetched.customerId()).orElseThrow(() ->
                new IllegalStateException("billing customer " + fetched.customerId() + " is not linked"));
        String invoice = fetched.invoiceId() == null ? null : xref.canonicalId(system, "invoice", fetched.invoiceId())
                .orElseGet(() -> ThreeWayCompare.mintedInvoiceId(system, fetched.invoiceId()));
        String original = fetched.originalPaymentId() == null ? null
                : xref.canonicalId(system, PaymentCompare.PAYMENT, fetched.originalPaymentId()).orElseGet(() ->
                        PaymentCompare.mintedId(system, Payment.Kind.PAYMENT, fetched.originalPaymentId()));
        xref.link(system, fetched.kind() == Payment.Kind.PAYMENT ? PaymentCompare.PAYMENT : PaymentCompare.REFUND,
                fetched.id(), canonicalId);
        Payment canonical = new Payment(canonicalId, fetched.kind(), customer, invoice, fetched.amount(),
                fetched.fee(), fetched.receivedAt(), fetched.method(), original);
        publisher.publish(EventTypes.PAYMENT_RECORDED, "reconciliation-" + runId + "-" + listedPayment.id(), "billing",
                null, canonical);
    }
}
