package io.q2chub.canonical;

import java.util.List;
import java.util.Objects;

/**
 * The tax computed for one invoice, as the tax engine returned it.
 *
 * @param calculatedBy the engine that produced it (e.g. "avalara", "stripe-tax"), so an auditor knows whose
 *                     numbers these are
 */
public record TaxDetail(String invoiceId, List<TaxLine> taxLines, Money taxTotal, String calculatedBy) {

    public TaxDetail {
        Objects.requireNonNull(invoiceId, "invoiceId");
        Objects.requireNonNull(taxTotal, "taxTotal");
        Objects.requireNonNull(calculatedBy, "calculatedBy");
        taxLines = taxLines == null ? List.of() : List.copyOf(taxLines);
    }
}
