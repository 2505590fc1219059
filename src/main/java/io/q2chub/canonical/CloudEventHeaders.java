package io.q2chub.canonical;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * CloudEvents 1.0 attributes as Kafka headers, in <i>binary</i> content mode: the record value is the event data
 * alone (what the schema describes) and the envelope travels in {@code ce_*} headers. Binary mode lets routes
 * branch on {@code ce_type} without parsing the body, and keeps the body identical to what a schema validates.
 *
 * <p>{@code ce_correlationid} ties every event of one business flow together (the CRM booking, the invoice, the
 * payment); {@code ce_causationid} is the id of the event that directly caused this one. Both are extensions the
 * exception console and the ledger use to show a flow end to end.
 */
public final class CloudEventHeaders {
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String DATA_SCHEMA = "ce_dataschema";
    public static final String CORRELATION_ID = "ce_correlationid";
    public static final String CAUSATION_ID = "ce_causationid";
    /** In binary mode the CloudEvents {@code datacontenttype} is the plain Kafka {@code content-type} header. */
    public static final String CONTENT_TYPE = "content-type";

    public static final String SPEC_VERSION_VALUE = "1.0";
    public static final String JSON = "application/json";

    /**
     * The attributes CloudEvents 1.0 itself requires. Our extensions are not required of received events, so an
     * event from a producer outside the hub is not rejected for lacking them.
     */
    private static final List<String> REQUIRED = List.of(SPEC_VERSION, ID, SOURCE, TYPE);

    private CloudEventHeaders() {
    }

    /**
     * Headers for a new event.
     *
     * @param type a type from {@link EventTypes}
     * @param source URI-reference of the producer, e.g. "/q2c-hub/invoice-posting"
     * @param subject the business key the event is about, or null
     * @param correlationId the flow this event belongs to; null starts a new flow named after this event's id
     * @param causationId the id of the event that caused this one, or null
     */
    public static Map<String, Object> forNewEvent(
            String type, String source, String subject, String correlationId, String causationId) {
        Objects.requireNonNull(source, "source");
        String dataSchema = EventTypes.dataSchemaOf(type);
        String id = UUID.randomUUID().toString();
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(SPEC_VERSION, SPEC_VERSION_VALUE);
        headers.put(ID, id);
        headers.put(SOURCE, source);
        headers.put(TYPE, type);
        // Instant.toString() is RFC 3339 in UTC ("2025-01-31T09:15:00.123Z")
        headers.put(TIME, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        if (subject != null) {
            headers.put(SUBJECT, subject);
        }
        headers.put(DATA_SCHEMA, dataSchema);
        headers.put(CORRELATION_ID, correlationId != null ? correlationId : id);
        if (causationId != null) {
            headers.put(CAUSATION_ID, causationId);
        }
        headers.put(CONTENT_TYPE, JSON);
        return headers;
    }

    /** Header names a received event must carry. */
    public static List<String> required() {
        return REQUIRED;
    }

    /** The required headers absent (or empty) in {@code headers}; empty when the envelope is complete. */
    public static List<String> missingFrom(Map<String, ?> headers) {
        return REQUIRED.stream().filter(name -> isBlank(headers.get(name))).toList();
    }

    private static boolean isBlank(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes.length == 0;
        }
        return value == null || value.toString().isBlank();
    }
}
