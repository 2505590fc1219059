package io.q2chub.sandbox.netsuite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * An invoice or credit memo the simulated account holds, with the totals NetSuite computes (read-only fields
 * {@code subtotal}, {@code taxTotal}, {@code total}; invoices {@code amountRemaining}, credit memos {@code applied}).
 *
 * @param type "invoice" or "creditMemo"
 * @param writes how many requests wrote it (1 = posted once)
 */
public record Transaction(String type, String internalId, String externalId, ObjectNode fields, int writes) {

    @Override
    public ObjectNode fields() {
        return fields.deepCopy();
    }

    public BigDecimal total() {
        return decimal("total");
    }

    public BigDecimal subtotal() {
        return decimal("subtotal");
    }

    public BigDecimal taxTotal() {
        return decimal("taxTotal");
    }

    public BigDecimal amountRemaining() {
        return decimal("amountRemaining");
    }

    public String subsidiaryId() {
        return fields.path("subsidiary").path("id").asText(null);
    }

    public String currencyId() {
        return fields.path("currency").path("id").asText(null);
    }

    /** The invoice a transformed credit memo reverses, or null. */
    public String createdFrom() {
        return fields.path("createdFrom").path("id").asText(null);
    }

    public String text(String field) {
        JsonNode value = fields.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** The item lines ({@code item.items}). */
    public List<JsonNode> lines() {
        List<JsonNode> lines = new ArrayList<>();
        fields.path("item").path("items").forEach(lines::add);
        return lines;
    }

    /** The tax details ({@code taxDetails.items}). */
    public List<JsonNode> taxDetails() {
        List<JsonNode> taxes = new ArrayList<>();
        fields.path("taxDetails").path("items").forEach(taxes::add);
        return taxes;
    }

    /** The invoices this credit memo is applied to ({@code apply.items}). */
    public List<JsonNode> applied() {
        List<JsonNode> applied = new ArrayList<>();
        fields.path("apply").path("items").forEach(applied::add);
        return applied;
    }

    private BigDecimal decimal(String field) {
        JsonNode value = fields.get(field);
        return value == null || value.isNull() ? null : value.decimalValue();
    }
}
