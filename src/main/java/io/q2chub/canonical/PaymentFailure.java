package io.q2chub.canonical;

import java.time.Instant;
import java.util.Objects;

/**
 * A collection attempt that failed: no money moved, the invoice stays open, and finance should see why and how
 * often. Attempts only grow, so a consumer keeps the one with the highest {@code attemptCount}.
 *
 * @param id canonical id of this attempt
 * @param amount what the attempt tried to collect
 * @param declineCode the card network's reason, e.g. insufficient_funds; null when the processor gives none
 * @param attemptCount how many attempts failed so far on this invoice (1 = the first)
 */
public record PaymentFailure(
        String id,
        String customerId,
        String invoiceId,
        Money amount,
        String declineCode,
        int attemptCount,
        Instant failedAt) {

    public PaymentFailure {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(invoiceId, "invoiceId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(failedAt, "failedAt");
    }
}
