package io.q2chub.sandbox.salesforce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The records of a type that publishes no change events (everything but Account, for now). */
final class RecordTable implements SObjectTable {

    private final SObjectType type;
    private final Map<String, Map<String, Object>> records = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    RecordTable(SObjectType type) {
        this.type = type;
    }

    @Override
    public SObjectType type() {
        return type;
    }

    @Override
    public String create(Map<String, ?> fields) {
        // 18 characters like every Salesforce id, the type's key prefix first.
        String id = type.keyPrefix() + String.format("%012d", nextId.getAndIncrement()) + "AAA";
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("Id", id);
        record.put("IsDeleted", false);
        fields.forEach(record::put);
        records.put(id, record);
        return id;
    }

    @Override
    public void update(String id, Map<String, ?> changes) {
        Map<String, Object> record = live(id).orElseThrow(() -> new IllegalArgumentException("no " + type.name() + " " + id));
        synchronized (record) {
            changes.forEach(record::put);
        }
    }

    @Override
    public void delete(String id) {
        live(id).orElseThrow(() -> new IllegalArgumentException("no " + type.name() + " " + id)).put("IsDeleted", true);
    }

    @Override
    public Optional<Map<String, Object>> live(String id) {
        Map<String, Object> record = records.get(id);
        return record == null || Boolean.TRUE.equals(record.get("IsDeleted")) ? Optional.empty() : Optional.of(record);
    }

    @Override
    public Optional<Map<String, Object>> any(String id) {
        return Optional.ofNullable(records.get(id));
    }

    @Override
    public List<String> matching(String field, Object value) {
        return records.values().stream()
                .filter(r -> !Boolean.TRUE.equals(r.get("IsDeleted")) && r.get(field) != null
                        && Objects.equals(String.valueOf(value), String.valueOf(r.get(field))))
                .map(r -> (String) r.get("Id")).sorted().toList();
    }

    @Override
    public List<Map<String, Object>> all() {
        List<Map<String, Object>> copy = new ArrayList<>();
        records.values().forEach(r -> copy.add(new LinkedHashMap<>(r)));
        return copy;
    }

    void clear() {
        records.clear();
    }
}
