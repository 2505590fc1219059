package io.q2chub.sandbox.netsuite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The simulated account's customer records, validated as NetSuite OneWorld validates them. Never deleted. */
final class CustomerRecords {

    /** A request NetSuite would refuse, with the status, code and detail it would answer. */
    static final class Rejected extends RuntimeException {
        final int status;
        final String errorCode;

        Rejected(int status, String errorCode, String detail) {
            super(detail, null, false, false);
            this.status = status;
            this.errorCode = errorCode;
        }
    }

    private static final Set<String> FIELDS = Set.of(
            "externalId", "companyName", "subsidiary", "currency", "email", "isInactive", "receivablesAccount");

    private final Map<String, Subsidiary> subsidiaries;
    private final Map<String, CustomerRecord> byExternalId = new ConcurrentHashMap<>();
    private final Map<String, String> externalIdByInternalId = new ConcurrentHashMap<>();
    private final AtomicLong nextInternalId = new AtomicLong(1000);

    CustomerRecords(List<Subsidiary> subsidiaries) {
        this.subsidiaries = subsidiaries.stream().collect(
                java.util.stream.Collectors.toUnmodifiableMap(Subsidiary::id, s -> s));
    }

    /** PUT /customer/eid:{externalId}: creates or updates; returns the stored record. */
    CustomerRecord upsert(String externalId, ObjectNode body) {
        JsonNode bodyExternalId = body.get("externalId");
        if (bodyExternalId != null && !externalId.equals(bodyExternalId.asText())) {
            throw new Rejected(400, "USER_ERROR", "Error while accessing a resource. The externalId in the request"
                    + " body does not match the external ID in the URL: externalId");
        }
        return byExternalId.compute(externalId, (key, existing) -> {
            if (existing == null) {
                String internalId = String.valueOf(nextInternalId.incrementAndGet());
                ObjectNode fields = body.objectNode().put("externalId", externalId).put("isInactive", false);
                CustomerRecord created = new CustomerRecord(internalId, externalId, merged(fields, body, true), 1);
                externalIdByInternalId.put(internalId, externalId);
                return created;
            }
            return new CustomerRecord(existing.internalId(), key, merged(existing.fields(), body, false),
                    existing.writes() + 1);
        });
    }

    /** PATCH: a partial update of an existing record. */
    CustomerRecord patch(String externalId, ObjectNode body) {
        CustomerRecord updated = byExternalId.computeIfPresent(externalId, (key, existing) ->
                new CustomerRecord(existing.internalId(), key, merged(existing.fields(), body, false),
                        existing.writes() + 1));
        return Optional.ofNullable(updated).orElseThrow(CustomerRecords::missing);
    }

    Optional<CustomerRecord> byExternalId(String externalId) {
        return Optional.ofNullable(byExternalId.get(externalId));
    }

    Optional<String> externalIdOf(String internalId) {
        return Optional.ofNullable(externalIdByInternalId.get(internalId));
    }

    List<CustomerRecord> all() {
        return byExternalId.values().stream()
                .sorted(Comparator.comparingLong(r -> Long.parseLong(r.internalId()))).toList();
    }

    void clear() {
        byExternalId.clear();
        externalIdByInternalId.clear();
    }

    static Rejected missing() {
        return new Rejected(404, "NONEXISTENT_ID",
                "The record instance does not exist. Provide a valid record instance ID.");
    }

    private ObjectNode merged(ObjectNode fields, ObjectNode changes, boolean creating) {
        changes.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name) && !name.startsWith("custentity")) {
                throw new Rejected(400, "INVALID_CONTENT", "Error while accessing a resource. Invalid field"
                        + " name: " + name + ".");
            }
        });
        fields.setAll(changes);
        if (creating && !fields.hasNonNull("companyName")) {
            throw new Rejected(400, "USER_ERROR", "Please enter value(s) for: companyName");
        }
        Subsidiary subsidiary = subsidiaryOf(fields);
        if (!fields.has("currency")) {
            fields.putObject("currency").put("id", subsidiary.baseCurrencyId());
        }
        String currencyId = fields.path("currency").path("id").asText();
        if (!subsidiary.currencyIds().contains(currencyId)) {
            throw invalid(currencyId, "currency");
        }
        if (creating || changes.has("subsidiary")) {
            fields.putObject("receivablesAccount").put("id", subsidiary.receivablesAccountId());
        }
        return fields;
    }

    private Subsidiary subsidiaryOf(ObjectNode fields) {
        JsonNode ref = fields.path("subsidiary").path("id");
        if (ref.isMissingNode() || ref.isNull()) {
            throw new Rejected(400, "USER_ERROR", "Please enter value(s) for: subsidiary");
        }
        Subsidiary subsidiary = subsidiaries.get(ref.asText());
        if (subsidiary == null) {
            throw invalid(ref.asText(), "subsidiary");
        }
        return subsidiary;
    }

    private static Rejected invalid(String value, String field) {
        return new Rejected(400, "USER_ERROR", "Error while accessing a resource. You have entered an Invalid"
                + " Field Value " + value + " for the following field: " + field);
    }
}
