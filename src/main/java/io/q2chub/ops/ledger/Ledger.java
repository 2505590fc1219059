package io.q2chub.ops.ledger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Header;

/**
 * The transaction ledger: one milestone per canonical event, grouped by the correlation id that every event of
 * one quote-to-cash chain carries. It answers "where is this order/invoice/payment in its journey?".
 */
@ApplicationScoped
@Named("ledger")
@RegisterForReflection
public class Ledger {

    private final AgroalDataSource dataSource;

    public Ledger(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record Milestone(String transactionKey, String milestone, String businessKey, String eventId,
            String source, OffsetDateTime occurredAt) {
    }

    /** Records the milestone a canonical event marks; the CloudEvents headers say everything needed. */
    public void record(@Header("ce_correlationid") String correlationId, @Header("ce_type") String type,
            @Header("ce_subject") String subject, @Header("ce_id") String eventId,
            @Header("ce_source") String source, @Header("ce_time") String time) throws SQLException {
        record(new Milestone(correlationId != null ? correlationId : eventId, type, subject, eventId, source,
                time != null ? OffsetDateTime.parse(time) : OffsetDateTime.now()));
    }

    public void record(Milestone m) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO ledger_milestone (transaction_key, milestone, business_key, event_id, source, occurred_at)
                VALUES (?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, m.transactionKey());
            ps.setString(2, m.milestone());
            ps.setString(3, m.businessKey());
            ps.setString(4, m.eventId());
            ps.setString(5, m.source());
            ps.setObject(6, m.occurredAt());
            ps.executeUpdate();
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
