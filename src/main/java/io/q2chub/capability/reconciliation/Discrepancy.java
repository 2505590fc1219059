package io.q2chub.capability.reconciliation;

/**
 * One thing found wrong, with the document's id in every system that holds it and the amounts as exact minor units
 * of {@code currency} (canonical Money), null where a system has no record.
 *
 * @param documentId the canonical id when there is one, else the id in the system that holds the record
 */
public record Discrepancy(DiscrepancyKind kind, String documentId, String billingId, String erpId, String crmId,
        String currency, Long billingAmountMinor, Long erpAmountMinor, String billingStatus, String erpStatus,
        String detail, boolean healed, Long exceptionCaseId) {

    Discrepancy healed(String note) {
        return new Discrepancy(kind, documentId, billingId, erpId, crmId, currency, billingAmountMinor, erpAmountMinor,
                billingStatus, erpStatus, detail + "; " + note, true, exceptionCaseId);
    }

    Discrepancy withCase(long caseId) {
        return new Discrepancy(kind, documentId, billingId, erpId, crmId, currency, billingAmountMinor, erpAmountMinor,
                billingStatus, erpStatus, detail, healed, caseId);
    }

    Discrepancy noted(String note) {
        return new Discrepancy(kind, documentId, billingId, erpId, crmId, currency, billingAmountMinor, erpAmountMinor,
                billingStatus, erpStatus, detail + "; " + note, healed, exceptionCaseId);
    }
}
