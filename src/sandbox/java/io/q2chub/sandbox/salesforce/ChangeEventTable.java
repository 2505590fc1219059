package io.q2chub.sandbox.salesforce;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Records of a type with Change Data Capture enabled (Order, Opportunity): every change publishes its change event,
 * CREATE with the fields set, UPDATE with only the fields whose value really changed (so the hub's own write-back is
 * visible as such).
 */
final class ChangeEventTable implements SObjectTable {

    private final RecordTable records;
    private final ChangeEventLog events;

    ChangeEventTable(SObjectType type, ChangeEventLog events) {
        this.records = new RecordTable(type);
        this.events = events;
    }

    @Override
    public SObjectType type() {
        return records.type();
    }

    @Override
    public String create(Map<String, ?> fields) {
        String id = records.create(fields);
        events.append("CREATE", List.of(id), strings(fields), List.of());
        return id;
    }

    @Override
    public void update(String id, Map<String, ?> changes) {
        Map<String, Object> order = records.live(id).orElseThrow(() -> new IllegalArgumentException("no " + type().name() + " " + id));
        Map<String, Object> changed = new LinkedHashMap<>();
        synchronized (order) {
            changes.forEach((field, value) -> {
                if (!Objects.equals(order.get(field), value)) {
                    changed.put(field, value);
                }
            });
        }
        records.update(id, changed);
        if (!changed.isEmpty()) {
            events.append("UPDATE", List.of(id), strings(changed), List.copyOf(changed.keySet()));
        }
    }

    @Override
    public void delete(String id) {
        records.delete(id);
        events.append("DELETE", List.of(id), Map.of(), List.of());
    }

    @Override
    public Optional<Map<String, Object>> live(String id) {
        return records.live(id);
    }

    @Override
    public Optional<Map<String, Object>> any(String id) {
        return records.any(id);
    }

    @Override
    public List<String> matching(String field, Object value) {
        return records.matching(field, value);
    }

    @Override
    public List<Map<String, Object>> all() {
        return records.all();
    }

    void clear() {
        records.clear();
    }

    private static Map<String, String> strings(Map<String, ?> fields) {
        Map<String, String> values = new LinkedHashMap<>();
        fields.forEach((k, v) -> values.put(k, v == null ? null : String.valueOf(v)));
        return values;
    }
}
