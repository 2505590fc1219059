package io.q2chub.canonical;

import java.time.Instant;
import java.util.Objects;

/**
 * Money received from, or returned to, a customer. A refund is a payment of kind {@link Kind#REFUND}: the amount
 * is positive in both cases and the kind gives the direction, as the PSPs and ERPs report them.
 *
 * @param invoiceId the invoice the payment applies to, null for an unapplied payment
 * @param fee the processor's fee, null when the processor reports none (it is booked separately in the ERP)
 * @param method e.g. "card", "ach", "wire", "sepa_debit"
 * @param originalPaymentId for a refund: the payment it returns
 */
public record Payment(
        String id,
        Kind kind,
        String customerId,
        String invoiceId,
        Money amount,
        Money fee,
        Instant receivedAt,
        String method,
        String originalPaymentId) {

    public enum Kind {
        PAYMENT,
        REFUND
    }

    public Payment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
