package io.q2chub.sandbox.netsuite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A customer as the simulated NetSuite holds it, for tests to assert on.
 *
 * @param fields the record's body fields as NetSuite would return them (references as {"id": ...})
 * @param writes how many successful writes (upserts and patches) this record has received
 */
public record CustomerRecord(String internalId, String externalId, ObjectNode fields, int writes) {

    public CustomerRecord {
        fields = fields.deepCopy();
    }

    @Override
    public ObjectNode fields() {
        return fields.deepCopy();
    }

    public String companyName() {
        return text("companyName");
    }

    public String email() {
        return text("email");
    }

    public String subsidiaryId() {
        return fields.path("subsidiary").path("id").asText(null);
    }

    public String currencyId() {
        return fields.path("currency").path("id").asText(null);
    }

    public String receivablesAccountId() {
        return fields.path("receivablesAccount").path("id").asText(null);
    }

    public boolean inactive() {
        return fields.path("isInactive").asBoolean(false);
    }

    public String text(String field) {
        JsonNode value = fields.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
