package io.q2chub.canonical;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One line of an invoice. {@code amount} is the billed amount as the billing platform computed it (after its own
 * rounding and discounts); it is carried, not derived from quantity × unit amount.
 *
 * @param productId null for an ad-hoc line without a catalogue product
 * @param servicePeriodStart first day of the service the line bills, which revenue recognition needs
 * @param servicePeriodEnd last day of that service (inclusive), null for a one-off charge
 */
public record InvoiceLine(
        String lineId,
        String productId,
        String sku,
        String description,
        BigDecimal quantity,
        Money unitAmount,
        Money amount,
        LocalDate servicePeriodStart,
        LocalDate servicePeriodEnd,
        List<TaxLine> taxLines) {

    public InvoiceLine {
        Objects.requireNonNull(lineId, "lineId");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(unitAmount, "unitAmount");
        Objects.requireNonNull(amount, "amount");
        taxLines = taxLines == null ? List.of() : List.copyOf(taxLines);
    }
}
