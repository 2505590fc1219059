package io.q2chub.canonical;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Objects;

/**
 * A booked contract, as closed in the CRM. It is the source the subscription and invoices are built from, so it
 * keeps the CRM references that let finance trace an invoice back to the deal.
 *
 * @param crmOpportunityId the won opportunity, if the CRM has one
 * @param crmOrderId the CRM order the contract was booked from, if any
 * @param endDate null for an evergreen contract
 */
public record Contract(
        String id,
        String customerId,
        String crmOpportunityId,
        String crmOrderId,
        Currency currency,
        LocalDate startDate,
        LocalDate endDate,
        List<Line> lines) {

    /** A quantity of one product at a negotiated unit price (not the list price). */
    public record Line(String productId, BigDecimal quantity, Money unitPrice) {
        public Line {
            Objects.requireNonNull(productId, "productId");
            Objects.requireNonNull(quantity, "quantity");
            Objects.requireNonNull(unitPrice, "unitPrice");
        }
    }

    public Contract {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(startDate, "startDate");
        lines = lines == null ? List.of() : List.copyOf(lines);
    }
}
