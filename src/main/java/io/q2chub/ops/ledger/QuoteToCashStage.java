package io.q2chub.ops.ledger;

import io.q2chub.canonical.EventTypes;
import java.util.Arrays;
import java.util.Optional;

/**
 * The milestones of a quote-to-cash chain in business order, each named by the event that marks it. "applied" is
 * the ledger's own milestone (the ERP applied the payment; no canonical event says so); a customer's onboarding
 * happens once per customer, in its own chain, before any of these.
 */
public enum QuoteToCashStage {
    BOOKED("booked", EventTypes.CONTRACT_BOOKED),
    SUBSCRIBED("subscribed", EventTypes.SUBSCRIPTION_ACTIVATED),
    INVOICED("invoiced", EventTypes.INVOICE_ISSUED),
    POSTED("posted", EventTypes.INVOICE_POSTED),
    PAID("paid", EventTypes.PAYMENT_RECORDED),
    APPLIED("applied", QuoteToCashStage.PAYMENT_APPLIED);

    /** Milestone the ledger records when the ERP has applied a payment to its invoice. */
    public static final String PAYMENT_APPLIED = "q2c.payment.applied";

    private final String label;
    private final String milestone;

    QuoteToCashStage(String label, String milestone) {
        this.label = label;
        this.milestone = milestone;
    }

    public String label() {
        return label;
    }

    public String milestone() {
        return milestone;
    }

    /** The stage this milestone closes, e.g. posted for invoice.posted; empty for the first and for other events. */
    public Optional<QuoteToCashStage> previous() {
        return ordinal() == 0 ? Optional.empty() : Optional.of(values()[ordinal() - 1]);
    }

    /** The stage this milestone opens; empty for the last. */
    public Optional<QuoteToCashStage> next() {
        return ordinal() == values().length - 1 ? Optional.empty() : Optional.of(values()[ordinal() + 1]);
    }

    /** "invoiced_to_posted": the tag value of {@code q2c_stage_seconds} (ASCII, easy to type in PromQL). */
    public String stageFromPrevious() {
        return previous().map(p -> p.label + "_to_" + label).orElse(null);
    }

    public static Optional<QuoteToCashStage> of(String milestone) {
        return Arrays.stream(values()).filter(s -> s.milestone.equals(milestone)).findFirst();
    }
}
