package io.q2chub.canonical;

import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An invoice, credit note or void as issued by the billing platform and posted to the ERP. Credit notes and voids
 * are invoices of another {@link Kind} pointing at the invoice they correct, so the ERP posting has one shape.
 *
 * @param subscriptionId null for a one-off invoice
 * @param dueDate null for a credit note or a void
 * @param originalInvoiceId for a credit note or a void: the invoice it corrects
 * @param externalIds the document's key per system role, e.g. {"billing": "in_...", "erp": "INV-1042"}; the ERP
 *                    key appears once the invoice is posted
 */
public record Invoice(
        String id,
        String number,
        Kind kind,
        String customerId,
        String subscriptionId,
        String originalInvoiceId,
        Currency currency,
        LocalDate issueDate,
        LocalDate dueDate,
        List<InvoiceLine> lines,
        Totals totals,
        Map<String, String> externalIds) {

    public enum Kind {
        INVOICE,
        CREDIT_NOTE,
        VOID
    }

    /** Totals as the billing platform stated them; the hub checks them, it does not recompute them silently. */
    public record Totals(Money subtotal, Money taxTotal, Money total) {
        public Totals {
            Objects.requireNonNull(subtotal, "subtotal");
            Objects.requireNonNull(taxTotal, "taxTotal");
            Objects.requireNonNull(total, "total");
        }
    }

    public Invoice {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(issueDate, "issueDate");
        Objects.requireNonNull(totals, "totals");
        lines = lines == null ? List.of() : List.copyOf(lines);
        externalIds = externalIds == null ? Map.of() : Map.copyOf(externalIds);
    }
}
