package io.q2chub.sandbox.stripe;

import java.util.LinkedHashMap;
import java.util.Map;

/** A customer as the simulator holds it; rendered in the shape of Stripe's customer object. */
final class SimulatedCustomer {

    private final String id;
    private final long created;
    private final long createdNanos = System.nanoTime();
    private String name;
    private String email;
    private String description;
    private String phone;
    private final Map<String, String> address = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    SimulatedCustomer(String id, long created) {
        this.id = id;
        this.created = created;
    }

    String id() {
        return id;
    }

    long created() {
        return created;
    }

    /** When the customer was created, on the monotonic clock the search lag is measured with. */
    long createdNanos() {
        return createdNanos;
    }

    String name() {
        return name;
    }

    String email() {
        return email;
    }

    Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Applies create or update parameters as Stripe does: given fields replace, metadata merges key by key and
     * an empty value removes the key; an empty string for a scalar field clears it.
     */
    void apply(FormParams params) {
        if (params.has("name")) {
            name = emptyToNull(params.get("name"));
        }
        if (params.has("email")) {
            email = emptyToNull(params.get("email"));
        }
        if (params.has("description")) {
            description = emptyToNull(params.get("description"));
        }
        if (params.has("phone")) {
            phone = emptyToNull(params.get("phone"));
        }
        params.hash("address").forEach((key, value) -> putOrRemove(address, key, value));
        params.hash("metadata").forEach((key, value) -> putOrRemove(metadata, key, value));
    }

    private static void putOrRemove(Map<String, String> map, String key, String value) {
        if (value.isEmpty()) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** Stripe's customer object, with the fields the hub reads and the ones a client library expects to see. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("object", "customer");
        json.put("address", address.isEmpty() ? null : addressJson());
        json.put("balance", 0);
        json.put("created", created);
        json.put("currency", null);
        json.put("default_source", null);
        json.put("delinquent", false);
        json.put("description", description);
        json.put("discount", null);
        json.put("email", email);
        json.put("invoice_prefix", id.substring(4, Math.min(id.length(), 12)).toUpperCase());
        json.put("livemode", false);
        json.put("metadata", new LinkedHashMap<>(metadata));
        json.put("name", name);
        json.put("next_invoice_sequence", 1);
        json.put("phone", phone);
        json.put("preferred_locales", java.util.List.of());
        json.put("shipping", null);
        json.put("tax_exempt", "none");
        json.put("test_clock", null);
        return json;
    }

    private Map<String, Object> addressJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        for (String field : new String[] {"city", "country", "line1", "line2", "postal_code", "state"}) {
            json.put(field, address.get(field));
        }
        return json;
    }
}
