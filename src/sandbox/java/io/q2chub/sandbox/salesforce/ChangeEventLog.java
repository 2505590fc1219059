package io.q2chub.sandbox.salesforce;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * The retained change events of the org, in commit order, as the event bus holds them. Replay ids are opaque to
 * subscribers; here they are the 8-byte big-endian sequence number, so the simulator can tell an unknown or
 * expired one from a valid one.
 */
final class ChangeEventLog {

    /** One retained event: what the Pub/Sub API hands out. */
    record StoredEvent(long sequence, String id, byte[] payload) {
        byte[] replayId() {
            return ByteBuffer.allocate(Long.BYTES).putLong(sequence).array();
        }
    }

    private final String entity;
    private final org.apache.avro.Schema schema;
    private final List<String> fieldNames;
    private final List<StoredEvent> events = new CopyOnWriteArrayList<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong commitNumber = new AtomicLong();
    private volatile long firstRetained = 1;
    private final AtomicLong nextSequence = new AtomicLong(1);

    /** The log of AccountChangeEvent. */
    ChangeEventLog() {
        this("Account", AccountChangeEventSchema.SCHEMA, AccountChangeEventSchema.FIELDS);
    }

    /** The log of one entity's change events (e.g. Order), encoded with that entity's change event schema. */
    ChangeEventLog(String entity, org.apache.avro.Schema schema, List<String> fieldNames) {
        this.entity = entity;
        this.schema = schema;
        this.fieldNames = fieldNames;
    }

    /** Appends a change event and wakes every subscription waiting for events. */
    StoredEvent append(String changeType, List<String> recordIds, Map<String, String> fields,
            List<String> changedFields) {
        GenericRecord header = new GenericData.Record(schema.getField("ChangeEventHeader").schema());
        header.put("entityName", entity);
        header.put("recordIds", recordIds);
        header.put("changeType", new GenericData.EnumSymbol(header.getSchema().getField("changeType").schema(), changeType));
        header.put("changeOrigin", "com/salesforce/api/rest/60.0;client=q2c-sim");
        header.put("transactionKey", UUID.randomUUID().toString());
        header.put("sequenceNumber", 1);
        header.put("commitTimestamp", System.currentTimeMillis());
        header.put("commitNumber", commitNumber.incrementAndGet());
        header.put("commitUser", "005000000000001AAA");
        header.put("nulledFields", List.of());
        header.put("diffFields", List.of());
        header.put("changedFields", changedFields);
        GenericRecord event = new GenericData.Record(schema);
        event.put("ChangeEventHeader", header);
        fields.forEach((name, value) -> {
            if (fieldNames.contains(name)) {
                event.put(name, value);
            }
        });
        return add(UUID.randomUUID().toString(), encode(event));
    }

    /** Re-appends an event under its old id (a redelivery, as at-least-once delivery allows). */
    StoredEvent redeliver(StoredEvent original) {
        return add(original.id(), original.payload());
    }

    /**
     * Subscriptions are woken outside the lock: they lock themselves and read the log, and a subscriber starting
     * up reads the log while holding its own lock.
     */
    private StoredEvent add(String id, byte[] payload) {
        StoredEvent stored;
        synchronized (this) {
            stored = new StoredEvent(nextSequence.getAndIncrement(), id, payload);
            events.add(stored);
        }
        listeners.forEach(Runnable::run);
        return stored;
    }

    /** Events with a sequence at or after {@code from}, at most {@code max}. */
    List<StoredEvent> from(long from, int max) {
        List<StoredEvent> batch = new ArrayList<>();
        for (StoredEvent e : events) {
            if (e.sequence() >= from && e.sequence() >= firstRetained && batch.size() < max) {
                batch.add(e);
            }
        }
        return batch;
    }

    /** The sequence after the given replay id, or empty when the id is not one this bus retains. */
    Optional<Long> after(byte[] replayId) {
        if (replayId.length != Long.BYTES) {
            return Optional.empty();
        }
        long sequence = ByteBuffer.wrap(replayId).getLong();
        if (sequence < firstRetained - 1 || sequence >= nextSequence()) {
            return Optional.empty();
        }
        return Optional.of(sequence + 1);
    }

    long nextSequence() {
        return nextSequence.get();
    }

    long firstRetained() {
        return firstRetained;
    }

    /** Drops every event up to and including this sequence, as the 72-hour retention does. */
    void expireUpTo(long sequence) {
        firstRetained = Math.max(firstRetained, sequence + 1);
    }

    List<StoredEvent> all() {
        return List.copyOf(events);
    }

    void onAppend(Runnable listener) {
        listeners.add(listener);
    }

    void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    synchronized void clear() {
        events.clear();
        firstRetained = nextSequence.get();
    }

    private static byte[] encode(GenericRecord event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(event.getSchema()).write(event, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
