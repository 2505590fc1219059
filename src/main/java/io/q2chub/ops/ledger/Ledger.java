package io.q2chub.ops.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.q2chub.canonical.CanonicalJson;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Body;
import org.apache.camel.Header;

/**
 * The transaction ledger: one milestone per canonical event, grouped by the correlation id that every event of
 * one quote-to-cash chain carries (QuoteToCashChain), plus the ledger's own "payment applied" milestone. It answers
 * "where is this order/invoice/payment in its journey?" (TransactionChain) and, as each milestone is recorded, feeds
 * the time of the stage it closes to the quote-to-cash histograms (QuoteToCashTimes).
 */
@ApplicationScoped
@Named("ledger")
@RegisterForReflection
public class Ledger {

    static final String APPLIED_SOURCE = "/q2c-hub/payment-application";

    private final AgroalDataSource dataSource;
    private final QuoteToCashTimes times;
    private final ObjectMapper json = CanonicalJson.mapper();

    public Ledger(AgroalDataSource dataSource, QuoteToCashTimes times) {
        this.dataSource = dataSource;
        this.times = times;
    }

    public record Milestone(String transactionKey, String milestone, String businessKey, String eventId,
            String source, OffsetDateTime occurredAt) {
    }

    /** Records the milestone a canonical event marks; the CloudEvents headers say everything needed. */
    public void record(@Header("ce_correlationid") String correlationId, @Header("ce_type") String type,
            @Header("ce_subject") String subject, @Header("ce_id") String eventId,
            @Header("ce_source") String source, @Header("ce_time") String time, @Body byte[] data)
            throws SQLException {
        Milestone m = new Milestone(correlationId != null ? correlationId : eventId, type, subject, eventId, source,
                time != null ? OffsetDateTime.parse(time) : OffsetDateTime.now());
        if (insert(m, customerOf(data))) {
            observeStage(m);
        }
    }

    /** The customer the event names (customerId in contracts, subscriptions, invoices, payments), or null. */
    private String customerOf(byte[] data) {
        if (data == null || data.length == 0) {
            return null;
        }
        try {
            JsonNode customer = json.readTree(data).path("customerId");
            return customer.isTextual() ? customer.asText() : null;
        } catch (IOException e) {
            return null; // the schema check before this step has accepted the data; nothing to learn here
        }
    }

    /**
     * The ERP applied a payment to its invoice: no canonical event says so, so the payment-application route records
     * it here, in the payment's chain, once per payment event. The payment event's own time is when it was paid.
     */
    public void recordPaymentApplied(@Header("ce_correlationid") String correlationId,
            @Header("ce_subject") String paymentId, @Header("ce_id") String paymentEventId,
            @Header("ce_time") String paidTime) throws SQLException {
        Milestone applied = new Milestone(correlationId != null ? correlationId : paymentEventId,
                QuoteToCashStage.PAYMENT_APPLIED, paymentId, "applied-" + paymentEventId, APPLIED_SOURCE,
                OffsetDateTime.now());
        if (insert(applied, null)) {
            if (paidTime != null) {
                times.stage(QuoteToCashStage.APPLIED, OffsetDateTime.parse(paidTime), applied.occurredAt());
            }
            observeQuoteToCash(applied);
        }
    }

    /** Once per event (a redelivery records nothing); each stage the milestone closes is observed then. */
    public void record(Milestone m) throws SQLException {
        if (insert(m, null)) {
            observeStage(m);
        }
    }

    private boolean insert(Milestone m, String customerId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO ledger_milestone (transaction_key, milestone, business_key, event_id, source, occurred_at,
                                              customer_id)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING""")) {
            ps.setString(7, customerId);
            ps.setString(1, m.transactionKey());
            ps.setString(2, m.milestone());
            ps.setString(3, m.businessKey());
            ps.setString(4, m.eventId());
            ps.setString(5, m.source());
            ps.setObject(6, m.occurredAt());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * A stage is observed when the second of its two milestones is recorded, in whichever order the ledger reads
     * them. Its opening is the latest milestone of the previous stage not after the closing one (a posting: of the
     * same invoice); when the opening is later than the closing (Stripe finalizes a subscription's first invoice as
     * it creates the subscription, before the hub announces it), both happened in one step and the stage took 0 s.
     */
    private void observeStage(Milestone m) throws SQLException {
        QuoteToCashStage stage = QuoteToCashStage.of(m.milestone()).orElse(null);
        if (stage == null) {
            return;
        }
        if (stage.previous().isPresent() && stage != QuoteToCashStage.APPLIED) {
            QuoteToCashStage opening = stage.previous().get();
            String document = sameDocument(stage) ? m.businessKey() : null;
            Optional<OffsetDateTime> opened = latest(m.transactionKey(), opening.milestone(), document, m.occurredAt());
            if (opened.isEmpty()) {
                opened = earliest(m.transactionKey(), opening.milestone(), document);
            }
            if (opened.isPresent()) {
                times.stage(stage, min(opened.get(), m.occurredAt()), m.occurredAt());
            }
        }
        Optional<QuoteToCashStage> next = stage.next().filter(n -> n != QuoteToCashStage.APPLIED);
        if (next.isPresent()) {
            // The closing milestone was read first: it found no opening then, so it is observed now.
            String document = sameDocument(next.get()) ? m.businessKey() : null;
            if (document == null && count(m.transactionKey(), m.milestone()) != 1) {
                return; // a renewal's closing milestone already paired with the earlier opening
            }
            Optional<OffsetDateTime> closed = earliest(m.transactionKey(), next.get().milestone(), document);
            if (closed.isPresent()) {
                times.stage(next.get(), min(m.occurredAt(), closed.get()), closed.get());
            }
        }
    }

    private static boolean sameDocument(QuoteToCashStage closing) {
        return closing == QuoteToCashStage.POSTED || closing == QuoteToCashStage.APPLIED;
    }

    private static OffsetDateTime min(OffsetDateTime a, OffsetDateTime b) {
        return a.isBefore(b) ? a : b;
    }

    private Optional<OffsetDateTime> earliest(String transactionKey, String milestone, String businessKey)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT min(occurred_at) FROM ledger_milestone
                 WHERE transaction_key = ? AND milestone = ? AND (CAST(? AS TEXT) IS NULL OR business_key = ?)""")) {
            ps.setString(1, transactionKey);
            ps.setString(2, milestone);
            ps.setString(3, businessKey);
            ps.setString(4, businessKey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.ofNullable(rs.getObject(1, OffsetDateTime.class));
            }
        }
    }

    /** Quote-to-cash completes when the chain's first payment is applied; later payments of renewals do not count. */
    private void observeQuoteToCash(Milestone applied) throws SQLException {
        if (count(applied.transactionKey(), QuoteToCashStage.PAYMENT_APPLIED) != 1) {
            return;
        }
        Optional<OffsetDateTime> booked = latest(applied.transactionKey(), QuoteToCashStage.BOOKED.milestone(), null,
                applied.occurredAt());
        if (booked.isPresent()) {
            times.quoteToCash(booked.get(), applied.occurredAt());
        }
    }

    private Optional<OffsetDateTime> latest(String transactionKey, String milestone, String businessKey,
            OffsetDateTime notAfter) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT max(occurred_at) FROM ledger_milestone
                 WHERE transaction_key = ? AND milestone = ? AND occurred_at <= ?
                   AND (CAST(? AS TEXT) IS NULL OR business_key = ?)""")) {
            ps.setString(1, transactionKey);
            ps.setString(2, milestone);
            ps.setObject(3, notAfter);
            ps.setString(4, businessKey);
            ps.setString(5, businessKey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.ofNullable(rs.getObject(1, OffsetDateTime.class));
            }
        }
    }

    private int count(String transactionKey, String milestone) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM ledger_milestone WHERE transaction_key = ? AND milestone = ?")) {
            ps.setString(1, transactionKey);
            ps.setString(2, milestone);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Every milestone of the transaction the given key belongs to (a correlation id or any business key). */
    public List<Milestone> trace(String key) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT transaction_key, milestone, business_key, event_id, source, occurred_at
                  FROM ledger_milestone
                 WHERE transaction_key IN (SELECT transaction_key FROM ledger_milestone
                                            WHERE transaction_key = ? OR business_key = ? OR event_id = ?)
                 ORDER BY occurred_at, id""")) {
            ps.setString(1, key);
            ps.setString(2, key);
            ps.setString(3, key);
            List<Milestone> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new Milestone(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getObject(6, OffsetDateTime.class)));
                }
            }
            return found;
        }
    }
}
