package io.q2chub.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The field values of a record body: JSON scalars as Java values, without the keys that are not fields. */
final class Fields {

    private static final Set<String> NOT_FIELDS = Set.of("attributes", "id", "Id");

    private Fields() {
    }

    static Map<String, Object> of(JsonNode body) {
        Map<String, Object> fields = new LinkedHashMap<>();
        body.fields().forEachRemaining(f -> {
            if (!NOT_FIELDS.contains(f.getKey())) {
                fields.put(f.getKey(), value(f.getValue()));
            }
        });
        return fields;
    }

    private static Object value(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        // Amounts (UnitPrice, Amount) keep their decimal value; never a double.
        return v.isNumber() ? v.decimalValue() : v.asText();
    }
}
