package io.q2chub.canonical;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Revenue from one invoice line to recognise over a period, for the ERP's revenue schedule. The kind says how
 * (ratably, as used, on delivery); the dates say over which days (both inclusive).
 */
public record RevenueEvent(
        String id,
        String invoiceId,
        String lineId,
        String productId,
        ProductKind kind,
        Money amount,
        LocalDate recognitionStart,
        LocalDate recognitionEnd) {

    public RevenueEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(invoiceId, "invoiceId");
        Objects.requireNonNull(lineId, "lineId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(recognitionStart, "recognitionStart");
        Objects.requireNonNull(recognitionEnd, "recognitionEnd");
    }
}
