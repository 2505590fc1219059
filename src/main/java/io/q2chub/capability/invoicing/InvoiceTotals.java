package io.q2chub.capability.invoicing;

import io.q2chub.canonical.Invoice;
import io.q2chub.canonical.InvoiceLine;
import io.q2chub.canonical.Money;
import io.q2chub.canonical.TaxLine;
import io.q2chub.ops.failure.BusinessFailure;

/** Checks that an invoice's lines and taxes add up to the totals it states, to the minor unit. */
final class InvoiceTotals {

    private InvoiceTotals() {
    }

    static void check(Invoice invoice) {
        if (invoice.lines().isEmpty()) {
            return; // a void names its invoice; the ERP reverses what it holds
        }
        try {
            Money subtotal = Money.zero(invoice.currency());
            Money tax = Money.zero(invoice.currency());
            for (InvoiceLine line : invoice.lines()) {
                subtotal = subtotal.plus(line.amount());
                for (TaxLine taxLine : line.taxLines()) {
                    tax = tax.plus(taxLine.amount());
                }
            }
            Invoice.Totals stated = invoice.totals();
            if (!subtotal.equals(stated.subtotal()) || !tax.equals(stated.taxTotal())
                    || !subtotal.plus(tax).equals(stated.total())) {
                throw mismatch(invoice, "lines add up to subtotal " + subtotal + ", tax " + tax + ", total "
                        + subtotal.plus(tax) + " but the document states subtotal " + stated.subtotal() + ", tax "
                        + stated.taxTotal() + ", total " + stated.total());
            }
        } catch (IllegalArgumentException e) {
            throw mismatch(invoice, e.getMessage());
        }
    }

    private static BusinessFailure mismatch(Invoice invoice, String detail) {
        return new BusinessFailure("hub", "INVOICE_TOTALS_MISMATCH", "invoice " + invoice.number() + ": " + detail);
    }
}
