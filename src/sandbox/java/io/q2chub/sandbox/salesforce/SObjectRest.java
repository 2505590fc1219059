package io.q2chub.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.q2chub.sandbox.salesforce.SalesforceHttpApi.Answer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sObject resources of the REST API for every type the org knows: {@code sobjects/{Type}} (create),
 * {@code sobjects/{Type}/{id}} (read, update, delete) and {@code sobjects/{Type}/{ExtIdField}/{value}} (read and
 * upsert by external id), with Salesforce's answers and error bodies.
 */
final class SObjectRest {

    private final SObjects sObjects;
    private final String dataPath;

    SObjectRest(SObjects sObjects, String dataPath) {
        this.sObjects = sObjects;
        this.dataPath = dataPath;
    }

    /** {@code parts} is the path below the data root, starting with "sobjects". */
    Answer handle(String method, String[] parts, JsonNode body) {
        Optional<SObjectTable> table = parts.length >= 2 ? sObjects.table(parts[1]) : Optional.empty();
        if (table.isEmpty()) {
            return notFound();
        }
        SObjectTable t = table.get();
        return switch (parts.length + " " + method) {
            case "2 POST" -> create(t, body);
            case "3 GET" -> get(t, parts[2]);
            case "3 PATCH" -> update(t, parts[2], body);
            case "3 DELETE" -> delete(t, parts[2]);
            case "4 GET" -> getByExternalId(t, parts[2], parts[3]);
            case "4 PATCH" -> upsert(t, parts[2], parts[3], body);
            default -> parts.length <= 4
                    ? Answer.error(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed")
                    : notFound();
        };
    }

    private Answer create(SObjectTable t, JsonNode body) {
        Optional<Refusal> refusal = Refusal.of(t.type(), body);
        Map<String, Object> fields = refusal.isPresent() ? Map.of() : Fields.of(body);
        refusal = refusal.or(() -> Refusal.missing(t.type(), fields));
        if (refusal.isPresent()) {
            return refusal.get().answer();
        }
        return new Answer(201, saved(t.create(fields), null));
    }

    private Answer get(SObjectTable t, String id) {
        Optional<Map<String, Object>> record = t.any(id);
        if (record.isEmpty()) {
            return notFound();
        }
        if (Boolean.TRUE.equals(record.get().get("IsDeleted"))) {
            return Answer.error(404, "ENTITY_IS_DELETED", "entity is deleted");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("attributes", Map.of("type", t.type().name(), "url", dataPath + "sobjects/" + t.type().name() + "/" + id));
        answer.putAll(record.get());
        return new Answer(200, answer);
    }

    private Answer update(SObjectTable t, String id, JsonNode body) {
        Optional<Refusal> refusal = Refusal.of(t.type(), body);
        if (refusal.isPresent()) {
            return refusal.get().answer();
        }
        if (t.live(id).isEmpty()) {
            return notFound();
        }
        t.update(id, Fields.of(body));
        return new Answer(204, null);
    }

    private Answer delete(SObjectTable t, String id) {
        if (t.any(id).isPresent() && t.live(id).isEmpty()) {
            return Answer.error(404, "ENTITY_IS_DELETED", "entity is deleted");
        }
        if (t.live(id).isEmpty()) {
            return notFound();
        }
        t.delete(id);
        return new Answer(204, null);
    }

    private Answer getByExternalId(SObjectTable t, String field, String value) {
        return matches(t, field, value).map(ids -> ids.size() == 1 ? get(t, ids.get(0)) : ids.isEmpty() ? notFound()
                : multipleChoices(t, ids)).orElseGet(() -> unknownExternalId(field));
    }

    /**
     * Upsert by external id: no match creates (201), one match updates (200 with the id and created=false, as API
     * version 46.0 and later answer; 45.0 and earlier answered 204), more than one changes nothing (300).
     */
    private Answer upsert(SObjectTable t, String field, String value, JsonNode body) {
        Optional<List<String>> matches = matches(t, field, value);
        if (matches.isEmpty()) {
            return unknownExternalId(field);
        }
        Optional<Refusal> refusal = Refusal.of(t.type(), body);
        if (refusal.isPresent()) {
            return refusal.get().answer();
        }
        Map<String, Object> fields = Fields.of(body);
        List<String> ids = matches.get();
        if (ids.size() > 1) {
            return multipleChoices(t, ids);
        }
        if (ids.size() == 1) {
            t.update(ids.get(0), fields);
            return new Answer(200, saved(ids.get(0), false));
        }
        fields.put(field, value);
        Optional<Refusal> missing = Refusal.missing(t.type(), fields);
        if (missing.isPresent()) {
            return missing.get().answer();
        }
        return new Answer(201, saved(t.create(fields), true));
    }

    /** Ids matching the external id, or empty when the field is not an External ID field of the type. */
    private static Optional<List<String>> matches(SObjectTable t, String field, String value) {
        return t.type().externalIds().contains(field) ? Optional.of(t.matching(field, value)) : Optional.empty();
    }

    /** Salesforce's 300 body: the URLs of the records that share the external id value. */
    private Answer multipleChoices(SObjectTable t, List<String> ids) {
        return new Answer(300, ids.stream().map(id -> dataPath + "sobjects/" + t.type().name() + "/" + id).toList());
    }

    private static Answer unknownExternalId(String field) {
        return Answer.error(404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: " + field);
    }

    static Map<String, Object> saved(String id, Boolean created) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("success", true);
        answer.put("errors", List.of());
        if (created != null) {
            answer.put("created", created);
        }
        return answer;
    }

    static Answer notFound() {
        return Answer.error(404, "NOT_FOUND", "The requested resource does not exist");
    }
}
