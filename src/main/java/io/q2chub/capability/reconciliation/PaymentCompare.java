package io.q2chub.capability.reconciliation;

import io.q2chub.canonical.Money;
import io.q2chub.canonical.Payment;
import io.q2chub.connector.Billing.BillingPayment;
import io.q2chub.connector.Erp.ErpReceipt;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The money side of a reconciliation, in memory and without I/O: payments and refunds billing collected in the
 * window against the customer payments and refunds the ERP holds, matched by id (the ERP's external id is the
 * canonical payment id), never by amount or date.
 */
final class PaymentCompare {

    /** The cross-reference object types of the billing ingress (StripePaymentEvents) and of payment application. */
    static final String PAYMENT = "payment";
    static final String REFUND = "refund";
    static final String DISPUTE = "dispute";

    /**
     * The cross-reference as read once per run: billing payment / refund id → canonical id, and every canonical id
     * billing or the ERP is known to hold, whatever the window.
     */
    record Links(Map<String, String> billingPayments, Map<String, String> billingRefunds, Set<String> billingSourced,
            Set<String> erpRecorded) {
    }

    private PaymentCompare() {
    }

    /**
     * The canonical id of a billing payment or refund never seen by the hub: the billing ingress's name-based rule
     * (StripePaymentEvents), so a healed payment and a late webhook for it name one document.
     */
    static String mintedId(String billingSystem, Payment.Kind kind, String billingPaymentId) {
        String objectType = kind == Payment.Kind.PAYMENT ? PAYMENT : REFUND;
        return (kind == Payment.Kind.PAYMENT ? "pay-" : "ref-") + UUID.nameUUIDFromBytes(
                (billingSystem + ":" + objectType + ":" + billingPaymentId).getBytes(StandardCharsets.UTF_8));
    }

    static String canonicalId(String billingSystem, BillingPayment p, Links links) {
        Map<String, String> linked = p.kind() == Payment.Kind.PAYMENT ? links.billingPayments() : links.billingRefunds();
        return linked.getOrDefault(p.paymentId(), mintedId(billingSystem, p.kind(), p.paymentId()));
    }

    /** Every document id this comparison looked at: their cases are resolved when found consistent. */
    static Set<String> compared(String billingSystem, List<BillingPayment> billing, List<ErpReceipt> erp,
            Links links) {
        Set<String> ids = new LinkedHashSet<>();
        for (BillingPayment p : billing) {
            ids.add(canonicalId(billingSystem, p, links));
        }
        for (ErpReceipt r : erp) {
            ids.add(r.externalId() != null ? r.externalId() : r.erpId());
        }
        return ids;
    }

    static List<Discrepancy> compare(String billingSystem, List<BillingPayment> billing, List<ErpReceipt> erp,
            Links links) {
        List<Discrepancy> found = new ArrayList<>();
        Map<String, ErpReceipt> erpByExternalId = new HashMap<>();
        List<ErpReceipt> unsourced = new ArrayList<>();
        for (ErpReceipt r : erp) {
            if (r.externalId() == null) {
                unsourced.add(r);
            } else {
                erpByExternalId.put(r.externalId(), r);
            }
        }
        Set<String> seen = new HashSet<>();
        for (BillingPayment p : billing) {
            String canonical = canonicalId(billingSystem, p, links);
            seen.add(canonical);
            ErpReceipt r = erpByExternalId.remove(canonical);
            if (r == null) {
                // Recorded in the ERP but dated outside the window: the ERP link says it is there.
                if (!links.erpRecorded().contains(canonical)) {
                    found.add(item(DiscrepancyKind.PAYMENT_MISSING_IN_ERP, canonical, p, null, "billing "
                            + (p.kind() == Payment.Kind.PAYMENT ? "collected payment " + p.id() + " of "
                                    + amount(p.amount()) + (p.invoiceId() == null ? "" : " on invoice " + p.invoiceId())
                                    : "refunded " + amount(p.amount()) + " (" + p.id() + ") of payment "
                                            + p.originalPaymentId())
                            + "; the ERP has no customer " + noun(p.kind()) + " for it"));
                }
                continue;
            }
            if (r.kind() != p.kind() || !r.amount().equals(p.amount())) {
                found.add(item(DiscrepancyKind.PAYMENT_AMOUNT_MISMATCH, canonical, p, r, "billing " + noun(p.kind())
                        + " " + amount(p.amount()) + ", ERP " + noun(r.kind()) + " " + amount(r.amount())));
            }
        }
        unsourced.addAll(erpByExternalId.values());
        for (ErpReceipt r : unsourced) {
            // Its billing payment may lie outside the window: linked in the cross-reference, it has a source.
            if (r.externalId() == null || !links.billingSourced().contains(r.externalId())) {
                found.add(new Discrepancy(DiscrepancyKind.PAYMENT_WITHOUT_SOURCE,
                        r.externalId() != null ? r.externalId() : r.erpId(), null, r.erpId(), null,
                        r.amount().currency().getCurrencyCode(), null, r.amount().minorUnits(), null, "recorded",
                        "ERP customer " + noun(r.kind()) + " " + r.number() + " (" + amount(r.amount()) + ", "
                                + r.date() + ") has no billing payment" + (r.externalId() == null
                                        ? " and no external id: entered in the ERP by hand?" : ""),
                        false, null));
            }
        }
        return found;
    }

    private static Discrepancy item(DiscrepancyKind kind, String canonical, BillingPayment p, ErpReceipt r,
            String detail) {
        return new Discrepancy(kind, canonical, p.id(), r == null ? null : r.erpId(), null,
                p.amount().currency().getCurrencyCode(), p.amount().minorUnits(),
                r == null ? null : r.amount().minorUnits(), p.kind() == Payment.Kind.PAYMENT ? "paid" : "refunded",
                r == null ? null : "recorded", detail, false, null);
    }

    private static String noun(Payment.Kind kind) {
        return kind == Payment.Kind.PAYMENT ? "payment" : "refund";
    }

    private static String amount(Money m) {
        return m.currency().getCurrencyCode() + " " + m.toDecimalString();
    }
}
