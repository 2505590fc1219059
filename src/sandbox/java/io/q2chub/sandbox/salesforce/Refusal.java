package io.q2chub.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Why Salesforce refuses a record write, checked the way it checks: a JSON object, only fields that exist on the
 * type, and the type's required fields present and not blank. A single-record call answers it as the error array
 * {@code [{message, errorCode, fields}]}; sObject Collections as the record's {@code errors} entry.
 */
record Refusal(int status, String errorCode, String message, List<String> fields) {

    SalesforceHttpApi.Answer answer() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("errorCode", errorCode);
        error.put("fields", fields);
        return new SalesforceHttpApi.Answer(status, List.of(error));
    }

    /** What is wrong with the body as an update of a record of the type; creates add {@link #missing}. */
    static Optional<Refusal> of(SObjectType type, JsonNode body) {
        if (body == null || !body.isObject()) {
            return Optional.of(new Refusal(400, "JSON_PARSER_ERROR", "a JSON object is required", List.of()));
        }
        List<String> blank = new ArrayList<>();
        for (var names = body.fieldNames(); names.hasNext();) {
            String field = names.next();
            if (field.equals("attributes")) {
                continue;
            }
            if (!type.fields().contains(field)) {
                return Optional.of(new Refusal(400, "INVALID_FIELD",
                        "No such column '" + field + "' on sobject of type " + type.name(), List.of(field)));
            }
            JsonNode value = body.get(field);
            if (type.required().contains(field) && (value.isNull() || value.asText("").isBlank())) {
                blank.add(field);
            }
        }
        return blank.isEmpty() ? Optional.empty() : Optional.of(requiredMissing(blank));
    }

    /** A create must carry every required field of the type. */
    static Optional<Refusal> missing(SObjectType type, Map<String, ?> fields) {
        List<String> missing = type.required().stream().filter(f -> fields.get(f) == null).toList();
        return missing.isEmpty() ? Optional.empty() : Optional.of(requiredMissing(missing));
    }

    private static Refusal requiredMissing(List<String> fields) {
        return new Refusal(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: " + fields, List.copyOf(fields));
    }
}
