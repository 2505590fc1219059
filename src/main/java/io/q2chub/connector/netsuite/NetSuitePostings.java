package io.q2chub.connector.netsuite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.q2chub.canonical.Money;
import io.q2chub.connector.ErpPosting;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.function.Function;

/**
 * Request bodies of NetSuite invoices and credit memos (REST Record API with SuiteTax, which REST requires for
 * taxes). Amounts go out as JSON decimals written from {@link Money#toBigDecimal()}: exactly the currency's
 * decimals (USD 0.50, JPY 1234, KWD 12.345), never through a double. The billing platform's tax amounts are kept
 * with {@code taxDetailsOverride}, so NetSuite does not recompute (and re-round) them.
 */
final class NetSuitePostings {

    private static final ObjectMapper JSON = new ObjectMapper();

    private NetSuitePostings() {
    }

    /**
     * @param itemId SKU → NetSuite item internal id
     * @param subsidiaryId legal entity → subsidiary internal id
     * @param currencyId ISO code → currency internal id
     */
    static ObjectNode transaction(ErpPosting p, Function<String, String> itemId, String subsidiaryId,
            String currencyId) {
        ObjectNode body = JSON.createObjectNode().put("externalId", p.externalId());
        if (p.number() != null) {
            body.put("tranId", p.number());
        }
        body.putObject("entity").put("id", p.erpCustomerId());
        body.putObject("subsidiary").put("id", subsidiaryId);
        body.putObject("currency").put("id", currencyId);
        if (p.tranDate() != null) {
            body.put("tranDate", p.tranDate().toString());
        }
        if (p.dueDate() != null) {
            body.put("dueDate", p.dueDate().toString());
        }
        reference(body, "department", p.dimensions().department());
        reference(body, "class", p.dimensions().classification());
        reference(body, "location", p.dimensions().location());
        body.put("taxDetailsOverride", true);
        ArrayNode items = body.putObject("item").putArray("items");
        ArrayNode taxes = body.putObject("taxDetails").putArray("items");
        for (ErpPosting.Line line : p.lines()) {
            ObjectNode item = items.addObject();
            item.putObject("item").put("id", itemId.apply(line.sku()));
            if (line.description() != null) {
                item.put("description", line.description());
            }
            item.put("quantity", line.quantity());
            item.put("rate", line.unitAmount().toBigDecimal());
            item.put("amount", line.amount().toBigDecimal());
            item.put("taxDetailsReference", line.lineId());
            if (line.revRecStart() != null) {
                item.put("revRecStartDate", line.revRecStart().toString());
            }
            if (line.revRecEnd() != null) {
                item.put("revRecEndDate", line.revRecEnd().toString());
            }
            if (line.revRecTermMonths() != null) {
                item.put("revRecTermInMonths", line.revRecTermMonths());
            }
            // Custom transaction-line fields (custcol_*) of the account: NetSuite has no standard line field for them.
            if (line.revenueType() != null) {
                item.put("custcol_q2c_revenue_type", line.revenueType().name().toLowerCase(Locale.ROOT));
            }
            if (line.revRecRule() != null) {
                item.putObject("custcol_q2c_rev_rec_rule").put("id", line.revRecRule());
            }
            for (ErpPosting.Tax tax : line.taxes()) {
                ObjectNode detail = taxes.addObject();
                detail.put("taxDetailsReference", line.lineId());
                detail.putObject("taxCode").put("id", tax.taxCode());
                detail.put("taxRate", BigDecimal.valueOf(tax.rateBasisPoints(), 2));
                detail.put("taxBasis", line.amount().toBigDecimal());
                detail.put("taxAmount", tax.amount().toBigDecimal());
            }
        }
        return body;
    }

    /** The credit memo applied to its invoice for its whole total (lines plus taxes). */
    static ObjectNode creditMemo(ErpPosting p, Function<String, String> itemId, String subsidiaryId,
            String currencyId, String invoiceErpId) {
        ObjectNode body = transaction(p, itemId, subsidiaryId, currencyId);
        if (invoiceErpId != null) {
            ObjectNode apply = body.putObject("apply").putArray("items").addObject();
            apply.putObject("doc").put("id", invoiceErpId);
            apply.put("apply", true);
            apply.put("amount", total(p).toBigDecimal());
        }
        return body;
    }

    static Money total(ErpPosting p) {
        Money total = Money.zero(p.currency());
        for (ErpPosting.Line line : p.lines()) {
            total = total.plus(line.amount());
            for (ErpPosting.Tax tax : line.taxes()) {
                total = total.plus(tax.amount());
            }
        }
        return total;
    }

    private static void reference(ObjectNode body, String field, String id) {
        if (id != null && !id.isBlank()) {
            body.putObject(field).put("id", id);
        }
    }
}
