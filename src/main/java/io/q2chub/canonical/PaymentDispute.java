package io.q2chub.canonical;

import java.time.Instant;
import java.util.Objects;

/**
 * A card network dispute of a payment, as it stands: opened (the customer's bank questions the payment), won (the
 * money stays) or lost (it is taken back: the chargeback itself travels as a REFUND payment). Each change is one
 * event; consumers keep the latest by {@link Status} order and {@code changedAt}, since webhooks arrive out of order.
 *
 * @param id canonical dispute id
 * @param billingDisputeId the processor's own id (e.g. Stripe du_...), what finance looks up
 * @param paymentId the canonical payment disputed
 * @param changedAt when the processor reported this status
 */
public record PaymentDispute(
        String id,
        String billingDisputeId,
        String paymentId,
        String customerId,
        Status status,
        Money amount,
        String reason,
        Instant changedAt) {

    /** OPEN comes before WON and LOST, which are final. */
    public enum Status {
        OPEN,
        WON,
        LOST
    }

    public PaymentDispute {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(changedAt, "changedAt");
    }
}
