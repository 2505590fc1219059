package io.q2chub.capability.reconciliation;

/** What a reconciliation can find wrong between what was booked, what billing issued and what the ERP holds. */
public enum DiscrepancyKind {
    /** Billing issued the invoice; the ERP has no invoice for it. The only kind heal mode repairs. */
    MISSING_IN_ERP,
    /** Both hold the invoice; the totals differ. */
    AMOUNT_MISMATCH,
    /** Both hold the invoice; its state differs (voided in billing, still open in the ERP; paid vs open). */
    STATUS_MISMATCH,
    /** The ERP holds an invoice that no billing document explains (entered by hand, or its source is gone). */
    ERP_WITHOUT_SOURCE,
    /** The CRM booked (activated) an order that billing never invoiced. */
    BOOKING_NOT_INVOICED,
    /**
     * Billing collected a payment or made a refund; the ERP has no customer payment / refund for it. Heal mode
     * repairs it by re-emitting the payment.
     */
    PAYMENT_MISSING_IN_ERP,
    /** Both hold the payment or refund; the amounts differ. */
    PAYMENT_AMOUNT_MISMATCH,
    /** The ERP holds a customer payment or refund that no billing payment explains (entered by hand?). */
    PAYMENT_WITHOUT_SOURCE
}
