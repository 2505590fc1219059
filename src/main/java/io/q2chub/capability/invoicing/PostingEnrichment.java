package io.q2chub.capability.invoicing;

import io.q2chub.canonical.Invoice;
import io.q2chub.canonical.InvoiceLine;
import io.q2chub.canonical.TaxLine;
import io.q2chub.connector.ErpPosting;
import io.q2chub.connector.ErpPosting.RevenueType;
import io.q2chub.ops.failure.BusinessFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the posting rules to a canonical invoice or credit note: per line the product's revenue type and rev-rec
 * rule with the service period, per tax line the legal entity's tax code, and the legal entity's GL dimensions. A
 * rule that is missing is a business failure naming the SKU, legal entity or tax, and the file to fix.
 */
@ApplicationScoped
public class PostingEnrichment {

    private final PostingRules rules;

    public PostingEnrichment(PostingRules rules) {
        this.rules = rules;
    }

    ErpPosting posting(Invoice invoice, String erpCustomerId, String legalEntity) {
        PostingRuleSet current = rules.current();
        PostingRuleSet.EntityRule entity = current.legalEntities().get(legalEntity);
        if (entity == null) {
            throw missing("legal entity " + legalEntity + " of customer " + invoice.customerId()
                    + " has no posting rules: add legalEntities." + legalEntity);
        }
        boolean credit = invoice.kind() == Invoice.Kind.CREDIT_NOTE;
        List<ErpPosting.Line> lines = new ArrayList<>();
        for (InvoiceLine line : invoice.lines()) {
            if (line.sku() == null || line.sku().isBlank()) {
                throw missing("line " + line.lineId() + " of invoice " + invoice.number()
                        + " has no SKU, so no posting rule or ERP item");
            }
            PostingRuleSet.ProductRule product = current.products().get(line.sku());
            if (product == null) {
                throw missing("SKU " + line.sku() + " (invoice " + invoice.number() + ", line " + line.lineId()
                        + ") has no posting rule: add products." + line.sku());
            }
            List<ErpPosting.Tax> taxes = new ArrayList<>();
            for (TaxLine tax : line.taxLines()) {
                String code = entity.taxCode(tax.jurisdiction(), tax.rateBasisPoints()).orElseThrow(() -> missing(
                        "no tax code for " + tax.jurisdiction() + " at " + tax.rateBasisPoints() + " bp in legal entity "
                        + legalEntity + " (invoice " + invoice.number() + ", SKU " + line.sku()
                        + "): add it to legalEntities." + legalEntity + ".taxCodes"));
                taxes.add(new ErpPosting.Tax(code, tax.jurisdiction(), tax.rateBasisPoints(),
                        credit ? InvoicePosting.positive(tax.amount()) : tax.amount()));
            }
            lines.add(new ErpPosting.Line(line.lineId(), line.sku(), line.description(),
                    credit ? line.quantity().abs() : line.quantity(),
                    credit ? InvoicePosting.positive(line.unitAmount()) : line.unitAmount(),
                    credit ? InvoicePosting.positive(line.amount()) : line.amount(),
                    product.revenueType(), product.revRecRule(), line.servicePeriodStart(), line.servicePeriodEnd(),
                    product.revenueType() == RevenueType.RECURRING
                            ? termInMonths(line.servicePeriodStart(), line.servicePeriodEnd()) : null,
                    taxes));
        }
        return new ErpPosting(invoice.id(), invoice.number(), erpCustomerId, legalEntity, invoice.currency(),
                invoice.issueDate(), invoice.dueDate(), entity.dimensions(), lines);
    }

    /** Whole months the service period covers, a started month counted (2026-01-01..2026-12-31 is 12). */
    static Integer termInMonths(LocalDate start, LocalDate endInclusive) {
        if (start == null || endInclusive == null || endInclusive.isBefore(start)) {
            return null;
        }
        Period period = Period.between(start, endInclusive.plusDays(1));
        return (int) period.toTotalMonths() + (period.getDays() > 0 ? 1 : 0);
    }

    private BusinessFailure missing(String what) {
        return new BusinessFailure("hub", "POSTING_RULE_MISSING", what + " in " + rules.source() + ", then replay");
    }
}
