package io.q2chub.ops.exceptions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.q2chub.ops.notify.CaseNotifier;
import io.q2chub.ops.notify.NewCase;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.jboss.logging.Logger;

/**
 * Records what reached the dead-letter path as an exception case, so it is visible, counted and replayable.
 * The same failure of the same business key while the case is open bumps its count instead of adding a case.
 */
@ApplicationScoped
@Named("exceptionCases")
@RegisterForReflection
public class ExceptionCases {

    public static final String CASE_ID = "q2c-exception-case-id";
    public static final String ERROR_CLASS = "q2c-error-class";
    public static final String ERROR_CODE = "q2c-error-code";
    public static final String ERROR_SYSTEM = "q2c-error-system";
    public static final String ERROR_MESSAGE = "q2c-error-message";
    public static final String FAILED_CONSUMER = "q2c-failed-consumer";
    public static final String SOURCE_TOPIC = "q2c-source-topic";
    public static final String SOURCE_PARTITION = "q2c-source-partition";
    public static final String SOURCE_OFFSET = "q2c-source-offset";

    private static final Logger LOG = Logger.getLogger(ExceptionCases.class);
    private static final int MAX_MESSAGE = 4000;

    // A case that failed again while being replayed goes back to OPEN. The status it had before is returned so
    // that the history shows a new case or a failed replay, not every repeat of the same open failure.
    static final String UPSERT = """
            WITH before AS (
                SELECT status FROM exception_case WHERE fingerprint = ? AND status IN ('OPEN', 'REPLAYING')
            ), parked AS (
                INSERT INTO exception_case AS c (fingerprint, capability, system, business_key, event_id, event_type,
                    failure_class, error_code, error_message, payload, headers, source_topic, source_partition, source_offset,
                    team, encrypted_pii)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (fingerprint) WHERE status IN ('OPEN', 'REPLAYING') DO UPDATE
                    SET occurrences = c.occurrences + 1, last_seen = now(), error_message = EXCLUDED.error_message,
                        payload = EXCLUDED.payload, encrypted_pii = EXCLUDED.encrypted_pii,
                        headers = EXCLUDED.headers, event_id = EXCLUDED.event_id,
                        source_topic = EXCLUDED.source_topic, source_partition = EXCLUDED.source_partition,
                        source_offset = EXCLUDED.source_offset, status = 'OPEN'
                RETURNING id
            )
            SELECT parked.id, (SELECT status FROM before) FROM parked
            """;

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final PayloadProtection protection;
    private final OwnerTeams teams;
    private final CaseNotifier notifier;
    private final Event<RecordParked> parkedRecords;

    public ExceptionCases(AgroalDataSource dataSource, ObjectMapper json, MeterRegistry metrics,
            PayloadProtection protection, OwnerTeams teams, CaseNotifier notifier, Event<RecordParked> parkedRecords) {
        this.dataSource = dataSource;
        this.json = json;
        this.metrics = metrics;
        this.protection = protection;
        this.teams = teams;
        this.notifier = notifier;
        this.parkedRecords = parkedRecords;
    }

    /** Called by the dead-letter route with the original message; leaves the error headers on it for the DLQ. */
    public void park(Exchange exchange) throws SQLException, JsonProcessingException {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Classification classification = FailureClassifier.classify(failure);
        Message in = exchange.getMessage();
        String capability = exchange.getFromRouteId();
        String eventId = attribute(in, "id");
        String businessKey = firstOf(attribute(in, "subject"), in.getHeader("kafka.KEY", String.class));
        String message = truncate(Redaction.text(classification.message()));
        Map<String, String> headers = Redaction.headers(in.getHeaders());

        byte[] payload = in.getBody(byte[].class);
        // Without any key, only identical payloads count as the same case: different ones must not overwrite it.
        String caseKey = firstOf(firstOf(businessKey, eventId), "payload:" + sha256(payload));
        PayloadProtection.Protected kept = protection.protect(payload);
        String team = teams.teamFor(classification, capability);
        Parked parked = upsert(new ParkedFailure(fingerprint(capability, caseKey, classification.errorCode()),
                capability, classification, businessKey, eventId, attribute(in, "type"), message,
                kept.payload(), kept.encryptedPii().isEmpty() ? null : json.writeValueAsString(kept.encryptedPii()),
                json.writeValueAsString(headers), team,
                in.getHeader("kafka.TOPIC", String.class), in.getHeader("kafka.PARTITION", Integer.class),
                in.getHeader("kafka.OFFSET", Long.class)));
        long id = parked.id();
        if (parked.isNew()) {
            notifier.newCase(new NewCase(id, classification.failureClass().name(), capability, classification.system(),
                    classification.errorCode(), team, businessKey));
        }

        metrics.counter("q2c.exceptions.parked", "class", classification.failureClass().name(),
                "capability", String.valueOf(capability)).increment();
        parkedRecords.fire(new RecordParked(capability, classification.failureClass().name(),
                classification.errorCode()));
        LOG.warnf("parked %s failure in %s as case %d: %s %s (business key %s)", classification.failureClass(),
                capability, id, classification.errorCode(), message, businessKey);

        in.setHeader(CASE_ID, Long.toString(id));
        in.setHeader(ERROR_CLASS, classification.failureClass().name());
        in.setHeader(ERROR_CODE, classification.errorCode());
        in.setHeader(ERROR_SYSTEM, classification.system());
        in.setHeader(ERROR_MESSAGE, message);
        in.setHeader(FAILED_CONSUMER, capability);
        copy(in, "kafka.TOPIC", SOURCE_TOPIC);
        copy(in, "kafka.PARTITION", SOURCE_PARTITION);
        copy(in, "kafka.OFFSET", SOURCE_OFFSET);
        // Credentials never travel on to the dead-letter topic.
        in.getHeaders().keySet().removeIf(Redaction::isSecretName);
    }

    /**
     * Parks a finding that is not a failed message, e.g. a reconciliation discrepancy: a BUSINESS case keyed by
     * capability, business key and code, so the same finding found again is the same open case with one more
     * occurrence. {@code payload} is what an operator needs to judge it (no secrets).
     *
     * @return the case id
     */
    public long parkFinding(String capability, String system, String code, String businessKey, String message,
            byte[] payload) throws SQLException {
        Classification classification = new Classification(io.q2chub.ops.failure.FailureClass.BUSINESS, system, code,
                truncate(Redaction.text(message)));
        PayloadProtection.Protected kept = protection.protect(payload);
        String team = teams.teamFor(classification, capability);
        String encrypted;
        try {
            encrypted = kept.encryptedPii().isEmpty() ? null : json.writeValueAsString(kept.encryptedPii());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Parked parked = upsert(new ParkedFailure(fingerprint(capability, businessKey, code), capability, classification,
                businessKey, null, null, classification.message(), kept.payload(), encrypted, "{}", team, null, null,
                null));
        if (parked.isNew()) {
            notifier.newCase(new NewCase(parked.id(), classification.failureClass().name(), capability, system, code,
                    team, businessKey));
            metrics.counter("q2c.exceptions.parked", "class", classification.failureClass().name(),
                    "capability", capability).increment();
        }
        return parked.id();
    }

    /**
     * Open cases of the capability for these business keys are resolved (with a history entry): a record that went
     * through, or documents a reconciliation compared and found consistent this time.
     *
     * @return how many cases were resolved
     */
    public int resolveFindings(String capability, Collection<String> businessKeys, String detail)
            throws SQLException {
        if (businessKeys.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                WITH resolved AS (
                    UPDATE exception_case SET status = 'RESOLVED', last_seen = now()
                     WHERE capability = ? AND business_key = ANY (?) AND status IN ('OPEN', 'REPLAYING')
                    RETURNING id
                )
                INSERT INTO exception_case_history (case_id, actor, action, detail)
                SELECT id, ?, 'RESOLVED', ? FROM resolved""")) {
            ps.setString(1, capability);
            ps.setArray(2, c.createArrayOf("text", businessKeys.toArray()));
            ps.setString(3, CaseHistory.HUB);
            ps.setString(4, detail);
            return ps.executeUpdate();
        }
    }

    /**
     * The business key went through its capability: cases still open for it there are resolved, e.g. when the
     * fix made in the source system arrives as a new event.
     */
    public void resolveOpenCases(Exchange exchange) throws SQLException {
        String businessKey = attribute(exchange.getMessage(), "subject");
        if (businessKey == null) {
            return;
        }
        String capability = exchange.getFromRouteId();
        int resolved = resolveFindings(capability, List.of(businessKey),
                "event " + attribute(exchange.getMessage(), "id") + " went through");
        if (resolved > 0) {
            LOG.infof("%s went through %s: %d open case(s) resolved", businessKey, capability, resolved);
        }
    }

    /** What an HTTP caller whose request was parked is told: the class decides the status, never the payload. */
    public void describeForCaller(Exchange exchange) throws JsonProcessingException {
        Message in = exchange.getMessage();
        String failureClass = in.getHeader(ERROR_CLASS, String.class);
        int status = switch (failureClass) {
            case "TRANSIENT" -> 503;
            case "SECURITY" -> 401;
            default -> 400;
        };
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setBody(json.writeValueAsString(Map.of(
                "error", failureClass,
                "code", in.getHeader(ERROR_CODE, String.class),
                "message", in.getHeader(ERROR_MESSAGE, String.class),
                "exceptionCase", in.getHeader(CASE_ID, String.class))));
    }

    private record Parked(long id, boolean isNew) {
    }

    private Parked upsert(ParkedFailure f) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setString(1, f.fingerprint());
            ps.setString(2, f.fingerprint());
            ps.setString(3, f.capability());
            ps.setString(4, f.classification().system());
            ps.setString(5, f.businessKey());
            ps.setString(6, f.eventId());
            ps.setString(7, f.eventType());
            ps.setString(8, f.classification().failureClass().name());
            ps.setString(9, f.classification().errorCode());
            ps.setString(10, f.message());
            ps.setBytes(11, f.payload());
            ps.setString(12, f.headersJson());
            ps.setString(13, f.topic());
            setNullable(ps, 14, f.partition(), Types.INTEGER);
            setNullable(ps, 15, f.offset(), Types.BIGINT);
            ps.setString(16, f.team());
            ps.setString(17, f.encryptedPiiJson());
            long id;
            String before;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
                before = rs.getString(2);
            }
            if (before == null || before.equals("REPLAYING")) {
                String detail = f.classification().failureClass() + " " + f.classification().errorCode()
                        + (before == null ? "" : " (the replay failed again)");
                CaseHistory.record(c, id, CaseHistory.HUB, "PARKED", detail);
            }
            return new Parked(id, before == null);
        }
    }

    private record ParkedFailure(String fingerprint, String capability, Classification classification,
            String businessKey, String eventId, String eventType, String message, byte[] payload,
            String encryptedPiiJson, String headersJson, String team, String topic, Integer partition, Long offset) {
    }

    private static void setNullable(PreparedStatement ps, int index, Object value, int sqlType) throws SQLException {
        if (value == null) {
            ps.setNull(index, sqlType);
        } else {
            ps.setObject(index, value, sqlType);
        }
    }

    /** A CloudEvents attribute in Kafka binary mode (ce_x) or, for a parked HTTP request, HTTP binary mode (ce-x). */
    private static String attribute(Message in, String name) {
        return firstOf(in.getHeader("ce_" + name, String.class), in.getHeader("ce-" + name, String.class));
    }

    private static void copy(Message in, String from, String to) {
        Object value = in.getHeader(from);
        if (value != null) {
            in.setHeader(to, value.toString());
        }
    }

    static String fingerprint(String capability, String key, String errorCode) {
        return sha256((capability + '\n' + key + '\n' + errorCode).getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes == null ? new byte[0] : bytes);
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstOf(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    private static String truncate(String s) {
        return s == null ? "" : s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "…";
    }
}
