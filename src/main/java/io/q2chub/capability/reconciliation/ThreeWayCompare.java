package io.q2chub.capability.reconciliation;

import io.q2chub.canonical.Money;
import io.q2chub.connector.Billing.BillingInvoice;
import io.q2chub.connector.Crm.BookedOrder;
import io.q2chub.connector.Erp.ErpInvoice;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The comparison itself, in memory and without I/O: the three views of one window and the cross-reference links in,
 * the discrepancies out. Documents are matched by id, never by amount or date: the billing invoice's canonical id
 * (cross-reference, else the id the billing ingress would mint for it) is the ERP invoice's external id.
 */
final class ThreeWayCompare {

    /** The cross-reference as read once per run: external id → canonical id, per system and object type. */
    record Links(Map<String, String> billingInvoices, Map<String, String> erpInvoices,
            Map<String, String> crmOrders, Map<String, String> billingSubscriptions) {
    }

    private ThreeWayCompare() {
    }

    /**
     * The canonical id of a billing invoice never seen by the hub: the same name-based rule as the billing ingress
     * (StripeInvoiceEvents), so a healed invoice and a late webhook for it name one document.
     */
    static String mintedInvoiceId(String billingSystem, String billingInvoiceId) {
        return "inv-" + UUID.nameUUIDFromBytes((billingSystem + ":invoice:" + billingInvoiceId)
                .getBytes(StandardCharsets.UTF_8));
    }

    static List<Discrepancy> compare(String billingSystem, List<BillingInvoice> billing, List<ErpInvoice> erp,
            List<BookedOrder> bookings, Links links, boolean comparePayments) {
        List<Discrepancy> found = new ArrayList<>();
        Map<String, ErpInvoice> erpByExternalId = new HashMap<>();
        List<ErpInvoice> unmatched = new ArrayList<>();
        for (ErpInvoice e : erp) {
            if (e.externalId() == null) {
                unmatched.add(e);
            } else {
                erpByExternalId.put(e.externalId(), e);
            }
        }
        Set<String> postedCanonical = new HashSet<>(links.erpInvoices().values());
        for (BillingInvoice b : billing) {
            String canonical = links.billingInvoices().getOrDefault(b.id(), mintedInvoiceId(billingSystem, b.id()));
            ErpInvoice e = erpByExternalId.remove(canonical);
            boolean voided = "void".equals(b.status());
            if (e == null) {
                // A void never posted nets to nothing; one posted but dated outside the window is linked.
                if (!voided && !postedCanonical.contains(canonical)) {
                    found.add(item(DiscrepancyKind.MISSING_IN_ERP, canonical, b, null,
                            "billing issued " + label(b) + "; the ERP has no invoice for it"));
                }
                continue;
            }
            if (!b.total().equals(e.total())) {
                found.add(item(DiscrepancyKind.AMOUNT_MISMATCH, canonical, b, e, "billing total "
                        + amount(b.total()) + ", ERP total " + amount(e.total())));
            }
            boolean erpOpen = e.remaining().minorUnits() > 0;
            if (voided && erpOpen) {
                found.add(item(DiscrepancyKind.STATUS_MISMATCH, canonical, b, e, "voided in billing, still open in the"
                        + " ERP with " + amount(e.remaining()) + " due"));
            } else if (comparePayments && "paid".equals(b.status()) && erpOpen) {
                found.add(item(DiscrepancyKind.STATUS_MISMATCH, canonical, b, e, "paid in billing, open in the ERP with "
                        + amount(e.remaining()) + " due"));
            }
        }
        Set<String> billedCanonical = new HashSet<>(links.billingInvoices().values());
        unmatched.addAll(erpByExternalId.values());
        for (ErpInvoice e : unmatched) {
            // Its billing document may be outside the window: linked in the cross-reference, it has a source.
            if (e.externalId() == null || !billedCanonical.contains(e.externalId())) {
                found.add(new Discrepancy(DiscrepancyKind.ERP_WITHOUT_SOURCE,
                        e.externalId() != null ? e.externalId() : e.erpId(), null, e.erpId(), null,
                        e.total().currency().getCurrencyCode(), null, e.total().minorUnits(), null, erpStatus(e),
                        "ERP invoice " + e.number() + " (" + amount(e.total()) + ") has no billing document"
                                + (e.externalId() == null ? " and no external id: entered in the ERP by hand?" : ""),
                        false, null));
            }
        }
        Set<String> invoicedSubscriptions = new HashSet<>();
        for (BillingInvoice b : billing) {
            if (b.subscriptionId() != null) {
                invoicedSubscriptions.add(b.subscriptionId());
            }
        }
        Map<String, String> subscriptionOfContract = new HashMap<>();
        links.billingSubscriptions().forEach((billingId, canonical) -> subscriptionOfContract.put(canonical, billingId));
        for (BookedOrder order : bookings) {
            String contract = links.crmOrders().get(order.orderId());
            String subscription = contract == null ? null
                    : subscriptionOfContract.get(io.q2chub.capability.activation.SubscriptionActivation
                            .subscriptionIdOfContract(contract));
            if (subscription == null || !invoicedSubscriptions.contains(subscription)) {
                found.add(new Discrepancy(DiscrepancyKind.BOOKING_NOT_INVOICED, contract != null ? contract
                        : order.orderId(), subscription, null, order.orderId(), order.currency(), null, null, null, null,
                        "order " + order.orderId() + " activated " + order.effectiveDate() + (subscription == null
                                ? " has no billing subscription" : " has subscription " + subscription
                                + " but no invoice in the window"), false, null));
            }
        }
        return found;
    }

    private static Discrepancy item(DiscrepancyKind kind, String canonical, BillingInvoice b, ErpInvoice e,
            String detail) {
        return new Discrepancy(kind, canonical, b.id(), e == null ? null : e.erpId(), null,
                b.total().currency().getCurrencyCode(), b.total().minorUnits(),
                e == null ? null : e.total().minorUnits(), b.status(), e == null ? null : erpStatus(e), detail, false,
                null);
    }

    static String erpStatus(ErpInvoice e) {
        return e.remaining().minorUnits() > 0 ? "open" : "closed";
    }

    private static String label(BillingInvoice b) {
        return "invoice " + b.id() + (b.number() == null ? "" : " (" + b.number() + ")") + " of " + amount(b.total());
    }

    private static String amount(Money m) {
        return m.currency().getCurrencyCode() + " " + m.toDecimalString();
    }
}
