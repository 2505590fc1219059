package io.q2chub.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.q2chub.sandbox.salesforce.SalesforceHttpApi.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * sObject Collections ({@code composite/sobjects}): up to 200 records of any mix of types in one API call, each
 * record's type named by {@code attributes.type}, each with its own outcome. POST creates, PATCH updates by id.
 * With allOrNone, one refused record rolls the others back; without it, the valid ones are written.
 */
final class SObjectCollections {

    private static final int LIMIT = 200;

    private final SObjects sObjects;
    private final ObjectMapper json;

    SObjectCollections(SObjects sObjects, ObjectMapper json) {
        this.sObjects = sObjects;
        this.json = json;
    }

    /** A record that passed the checks and is written once the whole request has been checked. */
    private record Write(SObjectTable table, String id, Map<String, Object> fields, ObjectNode result) {
    }

    Answer handle(String method, JsonNode body) {
        if (!method.equals("PATCH") && !method.equals("POST")) {
            return Answer.error(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed");
        }
        JsonNode records = body == null ? null : body.path("records");
        if (records == null || !records.isArray()) {
            return Answer.error(400, "JSON_PARSER_ERROR", "records is required");
        }
        if (records.size() > LIMIT) {
            return Answer.error(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call");
        }
        boolean create = method.equals("POST");
        ArrayNode results = json.createArrayNode();
        List<Write> writes = new ArrayList<>();
        for (JsonNode record : records) {
            check(record, create, results.addObject()).ifPresent(writes::add);
        }
        boolean anyRefused = writes.size() < records.size();
        if (body.path("allOrNone").asBoolean(false) && anyRefused) {
            writes.forEach(w -> fail(w.result(), "ALL_OR_NONE_OPERATION_ROLLED_BACK",
                    "Record rolled back because not all records were valid and the request was using AllOrNone header", List.of()));
            return new Answer(200, results);
        }
        for (Write w : writes) {
            String id = create ? w.table().create(w.fields()) : w.id();
            if (!create) {
                w.table().update(id, w.fields());
            }
            w.result().put("id", id);
            w.result().put("success", true);
            w.result().putArray("errors");
        }
        return new Answer(200, results);
    }

    private Optional<Write> check(JsonNode record, boolean create, ObjectNode result) {
        String id = record.path("id").asText(null);
        result.put("id", id);
        // The type comes from attributes.type; an update without it is resolved by the id's key prefix.
        String typeName = record.path("attributes").path("type").asText(null);
        Optional<SObjectTable> table = typeName != null ? sObjects.table(typeName)
                : SObjectType.ofId(id).map(sObjects::table);
        if (table.isEmpty()) {
            fail(result, "INVALID_TYPE", "sObject type '" + typeName + "' is not supported.", List.of());
            return Optional.empty();
        }
        ObjectNode body = record.deepCopy();
        body.remove(List.of("attributes", "id"));
        Optional<Refusal> refusal = Refusal.of(table.get().type(), body);
        Map<String, Object> fields = refusal.isPresent() ? Map.of() : Fields.of(body);
        if (create) {
            refusal = refusal.or(() -> id != null
                    ? Optional.of(new Refusal(400, "INVALID_FIELD", "cannot specify Id in an insert call", List.of("Id")))
                    : Refusal.missing(table.get().type(), fields));
        } else if (id == null || table.get().live(id).isEmpty()) {
            fail(result, "ENTITY_IS_DELETED", "entity is deleted or does not exist", List.of());
            return Optional.empty();
        }
        if (refusal.isPresent()) {
            fail(result, refusal.get().errorCode(), refusal.get().message(), refusal.get().fields());
            return Optional.empty();
        }
        return Optional.of(new Write(table.get(), id, fields, result));
    }

    private static void fail(ObjectNode result, String code, String message, List<String> fields) {
        result.put("success", false);
        ObjectNode error = result.putArray("errors").addObject();
        error.put("statusCode", code);
        error.put("message", message);
        ArrayNode names = error.putArray("fields");
        fields.forEach(names::add);
    }
}
