package io.q2chub.capability.reconciliation;

import io.q2chub.connector.Billing.BillingPayout;
import io.q2chub.connector.Erp.HeldDeposit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Payouts against ERP deposits: a paid payout with no deposit (MISSING_IN_ERP), a deposit whose total is not the
 * payout amount (AMOUNT_MISMATCH), a deposit no payout explains (ERP_WITHOUT_SOURCE: no external id, or one the
 * cross-reference does not know as a payout). Payouts not paid (in transit, failed, canceled) are not expected in
 * the ERP. A deposit of a payout outside the billing window is not reported: the window of its payout checks it.
 */
final class PayoutCompare {

    private PayoutCompare() {
    }

    /**
     * @param canonicalOfPayout billing payout id → canonical payout id (the deposits' external id), every payout the
     *     hub has seen
     */
    static List<Discrepancy> compare(List<BillingPayout> payouts, List<HeldDeposit> deposits,
            Map<String, String> canonicalOfPayout) {
        Map<String, HeldDeposit> byExternalId = new HashMap<>();
        for (HeldDeposit deposit : deposits) {
            if (deposit.externalId() != null) {
                byExternalId.put(deposit.externalId(), deposit);
            }
        }
        List<Discrepancy> found = new ArrayList<>();
        for (BillingPayout payout : payouts) {
            if (!"paid".equals(payout.status())) {
                continue;
            }
            String canonical = canonicalOfPayout.get(payout.id());
            HeldDeposit deposit = canonical == null ? null : byExternalId.get(canonical);
            String currency = payout.amount().currency().getCurrencyCode();
            if (deposit == null) {
                found.add(new Discrepancy(DiscrepancyKind.MISSING_IN_ERP, canonical != null ? canonical : payout.id(),
                        payout.id(), null, null, currency, payout.amount().minorUnits(), null, payout.status(), null,
                        "payout " + payout.id() + " of " + payout.amount() + " (arrival " + payout.arrivalDate()
                                + ") has no ERP deposit", false, null));
            } else if (!deposit.total().equals(payout.amount())) {
                found.add(new Discrepancy(DiscrepancyKind.AMOUNT_MISMATCH, canonical, payout.id(), deposit.erpId(),
                        null, currency, payout.amount().minorUnits(), deposit.total().minorUnits(), payout.status(),
                        null, "payout " + payout.id() + " is " + payout.amount() + ", its ERP deposit "
                                + deposit.erpId() + " " + deposit.total(), false, null));
            }
        }
        java.util.Set<String> knownPayouts = new java.util.HashSet<>(canonicalOfPayout.values());
        for (HeldDeposit deposit : deposits) {
            if (deposit.externalId() == null || !knownPayouts.contains(deposit.externalId())) {
                found.add(new Discrepancy(DiscrepancyKind.ERP_WITHOUT_SOURCE, deposit.externalId() != null
                        ? deposit.externalId() : deposit.erpId(), null, deposit.erpId(), null,
                        deposit.total().currency().getCurrencyCode(), null, deposit.total().minorUnits(), null, null,
                        "ERP deposit " + deposit.erpId() + " of " + deposit.total() + " (" + deposit.date()
                                + ") matches no payout", false, null));
            }
        }
        return found;
    }
}
