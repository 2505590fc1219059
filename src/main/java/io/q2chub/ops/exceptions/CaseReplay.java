package io.q2chub.ops.exceptions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.q2chub.canonical.SchemaRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.jboss.logging.Logger;

/**
 * Sends a parked record back to the topic it came from, with its original key and headers, so the same idempotent
 * capability route processes it again; that route's resolve step closes the case on success. A case parked from
 * HTTP ingress has no topic to go back to: its caller was told and must resend.
 */
@ApplicationScoped
public class CaseReplay {

    /** Marks a replayed record, so the topic shows which case it came from. */
    public static final String REPLAYED_CASE = "q2c-replayed-case";

    private static final Logger LOG = Logger.getLogger(CaseReplay.class);
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final SchemaRegistry schemas;
    private final ProducerTemplate producer;
    private final PayloadProtection protection;

    public CaseReplay(AgroalDataSource dataSource, ObjectMapper json, SchemaRegistry schemas, ProducerTemplate producer,
            PayloadProtection protection) {
        this.dataSource = dataSource;
        this.json = json;
        this.schemas = schemas;
        this.producer = producer;
        this.protection = protection;
    }

    private record Parked(long id, String status, String capability, String topic, String eventType,
            String businessKey, byte[] payload, String headersJson, Map<String, String> encryptedPii) {
    }

    /** Replays one case, with {@code edited} (validated against the event type's schema) instead of its payload. */
    void replay(long id, JsonNode edited, String actor) throws SQLException, JsonProcessingException {
        Parked parked = load(id);
        if (parked.status().equals("RESOLVED") || parked.status().equals("DISCARDED")) {
            throw CaseRefused.conflict("case " + id + " is " + parked.status() + " and cannot be replayed");
        }
        if (parked.topic() == null) {
            throw CaseRefused.conflict("case " + id + " was parked from HTTP ingress (" + parked.capability()
                    + ") and has no source topic to replay to: its caller was answered with the error and must resend");
        }
        // The stored payload has its PII masked; what goes back to the capability carries the original values.
        // An edited payload built from the masked view gets them too, wherever the operator left the mask.
        byte[] payload = restore(parked, edited == null ? parked.payload() : json.writeValueAsBytes(edited));
        if (edited != null) {
            List<String> violations = schemas.violations(parked.eventType(), payload);
            if (!violations.isEmpty()) {
                throw CaseRefused.badRequest("the edited payload violates the schema of " + parked.eventType(), violations);
            }
        }
        // The audit trail keeps the edit with secrets redacted and PII masked, like the case itself.
        claim(parked, edited == null ? null : protection.forAudit(payload), actor);
        send(parked, payload);
    }

    /** Replays every open case matching the filter that has a source topic; answers how many were sent. */
    int replayAll(List<Long> ids, String actor) throws SQLException, JsonProcessingException {
        int replayed = 0;
        for (long id : ids) {
            try {
                replay(id, null, actor);
                replayed++;
            } catch (CaseRefused refused) {
                // HTTP-ingress cases, or a case someone else resolved or discarded meanwhile: not part of this replay.
                LOG.debugf("bulk replay skipped case %d: %s", id, refused.getMessage());
            }
        }
        return replayed;
    }

    private Parked load(long id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT status, capability, source_topic, event_type, business_key, payload, headers::text,
                       encrypted_pii::text
                  FROM exception_case WHERE id = ?""")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw CaseRefused.notFound(id);
                }
                String encrypted = rs.getString(8);
                return new Parked(id, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getBytes(6), rs.getString(7),
                        encrypted == null ? Map.of() : readPii(encrypted));
            }
        }
    }

    private Map<String, String> readPii(String encrypted) {
        try {
            return json.readValue(encrypted, HEADERS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the encrypted PII of a case is not a JSON object", e);
        }
    }

    private byte[] restore(Parked parked, byte[] payload) {
        try {
            return protection.restore(payload, parked.encryptedPii());
        } catch (PiiCipher.PiiUnreadable e) {
            throw CaseRefused.conflict("case " + parked.id() + " cannot be replayed: " + e.getMessage());
        }
    }

    /**
     * Marks the case REPLAYING and writes the history before anything is sent: the capability may resolve the case
     * before this method returns, and its RESOLVED must come after REPLAYED. The conditional update also keeps a
     * concurrent discard or resolution from being overwritten.
     */
    private void claim(Parked parked, String editedPayload, String actor) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE exception_case SET status = 'REPLAYING' WHERE id = ? AND status IN ('OPEN', 'REPLAYING')""")) {
                ps.setLong(1, parked.id());
                if (ps.executeUpdate() == 0) {
                    c.rollback();
                    throw CaseRefused.conflict("case " + parked.id() + " is " + CaseTriage.statusOf(c, parked.id())
                            + " and cannot be replayed");
                }
            }
            if (editedPayload != null) {
                CaseHistory.record(c, parked.id(), actor, "EDITED", editedPayload);
            }
            CaseHistory.record(c, parked.id(), actor, "REPLAYED",
                    (editedPayload == null ? "original" : "edited") + " payload to " + parked.topic());
            c.commit();
        }
    }

    private void send(Parked parked, byte[] payload) throws SQLException, JsonProcessingException {
        Map<String, Object> headers = new HashMap<>();
        json.readValue(parked.headersJson(), HEADERS).forEach((name, value) -> {
            // Redacted credentials are not the original value and must not travel; transport headers are Kafka's.
            if (!Redaction.isSecretName(name) && !name.startsWith("kafka.")) {
                headers.put(name, value);
            }
        });
        headers.put(KafkaConstants.KEY, parked.businessKey());
        headers.put(REPLAYED_CASE, Long.toString(parked.id()));
        Exchange sent = producer.send("kafka:" + parked.topic(), exchange -> {
            exchange.getMessage().setHeaders(headers);
            exchange.getMessage().setBody(payload);
        });
        if (sent.getException() != null) {
            reopen(parked.id(), sent.getException());
            throw new IllegalStateException("case " + parked.id() + " could not be replayed to " + parked.topic(),
                    sent.getException());
        }
        LOG.infof("exception case %d replayed to %s (business key %s)", parked.id(), parked.topic(), parked.businessKey());
    }

    /** Nothing reached the topic: the case is open again, and the history says why. */
    private void reopen(long id, Exception cause) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE exception_case SET status = 'OPEN' WHERE id = ? AND status = 'REPLAYING'")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            CaseHistory.record(c, id, CaseHistory.HUB, "PARKED", "replay could not be sent: " + cause.getMessage());
            c.commit();
        }
    }
}
