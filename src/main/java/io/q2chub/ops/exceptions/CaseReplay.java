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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
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
    /** Cases claimed and sent together by a bulk replay: bounds the payloads held in memory at once. */
    static final int BULK_CHUNK = 500;
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

    /**
     * Replays every open case of {@code ids} that has a source topic; answers how many were sent. Cases are claimed a
     * chunk at a time in one transaction and their records sent together, acknowledged at the end of the chunk: one
     * transaction and one synchronous send per case made a 500-case replay take seconds. Cases resolved, discarded or
     * parked from HTTP ingress meanwhile are not part of it.
     */
    int replayAll(List<Long> ids, String actor) throws SQLException, JsonProcessingException {
        int replayed = 0;
        for (int from = 0; from < ids.size(); from += BULK_CHUNK) {
            List<Parked> claimed = claimAll(ids.subList(from, Math.min(ids.size(), from + BULK_CHUNK)), actor);
            List<CompletableFuture<Exchange>> sending = new ArrayList<>();
            for (Parked parked : claimed) {
                sending.add(sendRestored(parked));
            }
            for (int i = 0; i < claimed.size(); i++) {
                Exception failure = sent(sending.get(i));
                if (failure == null) {
                    replayed++;
                } else {
                    reopen(claimed.get(i).id(), failure);
                    LOG.warnf("bulk replay of case %d could not be sent to %s: %s", claimed.get(i).id(),
                            claimed.get(i).topic(), failure.getMessage());
                }
            }
        }
        LOG.infof("bulk replay by %s: %d of %d case(s) sent", actor, replayed, ids.size());
        return replayed;
    }

    /** Marks the chunk's replayable cases REPLAYING with a REPLAYED history entry each, in one statement. */
    private List<Parked> claimAll(List<Long> ids, String actor) throws SQLException {
        List<Parked> claimed = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                WITH claimed AS (
                    UPDATE exception_case SET status = 'REPLAYING'
                     WHERE id = ANY (?) AND status = 'OPEN' AND source_topic IS NOT NULL
                    RETURNING id, status, capability, source_topic, event_type, business_key, payload, headers::text,
                              encrypted_pii::text
                ), audited AS (
                    INSERT INTO exception_case_history (case_id, actor, action, detail)
                    SELECT id, ?, 'REPLAYED', 'original payload to ' || source_topic FROM claimed
                )
                SELECT * FROM claimed ORDER BY id""")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            ps.setString(2, actor);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String encrypted = rs.getString(9);
                    claimed.add(new Parked(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getBytes(7), rs.getString(8),
                            encrypted == null ? Map.of() : readPii(encrypted)));
                }
            }
        }
        return claimed;
    }

    /** The case's record with its PII decrypted, on its way; a case whose PII cannot be read fails alone. */
    private CompletableFuture<Exchange> sendRestored(Parked parked) {
        try {
            return producer.asyncSend("kafka:" + parked.topic(), record(parked, restore(parked, parked.payload())));
        } catch (CaseRefused | JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Exception sent(CompletableFuture<Exchange> sending) {
        try {
            return sending.get().getException();
        } catch (ExecutionException e) {
            return e.getCause() instanceof Exception cause ? cause : e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
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
        Exchange sent = producer.send("kafka:" + parked.topic(), record(parked, payload));
        if (sent.getException() != null) {
            reopen(parked.id(), sent.getException());
            throw new IllegalStateException("case " + parked.id() + " could not be replayed to " + parked.topic(),
                    sent.getException());
        }
        LOG.infof("exception case %d replayed to %s (business key %s)", parked.id(), parked.topic(), parked.businessKey());
    }

    /** The parked record as it is sent again: original key and headers, minus credentials and Kafka's own. */
    private Processor record(Parked parked, byte[] payload) throws JsonProcessingException {
        Map<String, Object> headers = new HashMap<>();
        json.readValue(parked.headersJson(), HEADERS).forEach((name, value) -> {
            // Redacted credentials are not the original value and must not travel; transport headers are Kafka's.
            if (!Redaction.isSecretName(name) && !name.startsWith("kafka.")) {
                headers.put(name, value);
            }
        });
        headers.put(KafkaConstants.KEY, parked.businessKey());
        headers.put(REPLAYED_CASE, Long.toString(parked.id()));
        return exchange -> {
            exchange.getMessage().setHeaders(headers);
            exchange.getMessage().setBody(payload);
        };
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
