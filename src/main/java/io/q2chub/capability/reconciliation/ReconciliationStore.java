package io.q2chub.capability.reconciliation;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reconciliation runs and their discrepancies in PostgreSQL (V10), as the report API serves them. */
@ApplicationScoped
public class ReconciliationStore {

    private final AgroalDataSource dataSource;

    public ReconciliationStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    long started(Instant from, Instant to, String trigger, boolean heal) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO reconciliation_run (window_from, window_to, trigger, heal, status)
                VALUES (?, ?, ?, ?, 'RUNNING') RETURNING id""")) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            ps.setString(3, trigger);
            ps.setBoolean(4, heal);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The run's outcome and its discrepancies, in one transaction: a report is never half written. */
    void completed(long runId, int billing, int erp, int crm, int healed, List<Discrepancy> found) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO reconciliation_discrepancy (run_id, kind, document_id, billing_id, erp_id, crm_id,
                        currency, billing_amount_minor, erp_amount_minor, billing_status, erp_status, detail, healed,
                        exception_case_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (Discrepancy d : found) {
                    ps.setLong(1, runId);
                    ps.setString(2, d.kind().name());
                    ps.setString(3, d.documentId());
                    ps.setString(4, d.billingId());
                    ps.setString(5, d.erpId());
                    ps.setString(6, d.crmId());
                    ps.setString(7, d.currency());
                    ps.setObject(8, d.billingAmountMinor(), Types.BIGINT);
                    ps.setObject(9, d.erpAmountMinor(), Types.BIGINT);
                    ps.setString(10, d.billingStatus());
                    ps.setString(11, d.erpStatus());
                    ps.setString(12, d.detail());
                    ps.setBoolean(13, d.healed());
                    ps.setObject(14, d.exceptionCaseId(), Types.BIGINT);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE reconciliation_run SET status = 'COMPLETED', billing_count = ?, erp_count = ?, crm_count = ?,
                           healed = ?, finished_at = now() WHERE id = ?""")) {
                ps.setInt(1, billing);
                ps.setInt(2, erp);
                ps.setInt(3, crm);
                ps.setInt(4, healed);
                ps.setLong(5, runId);
                ps.executeUpdate();
            }
            c.commit();
        }
    }

    void failed(long runId, String message) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE reconciliation_run SET status = 'FAILED', message = ?, finished_at = now() WHERE id = ?")) {
            ps.setString(1, message);
            ps.setLong(2, runId);
            ps.executeUpdate();
        }
    }

    Optional<Instant> lastCompleted() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT max(finished_at) FROM reconciliation_run WHERE status = 'COMPLETED'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            Timestamp t = rs.getTimestamp(1);
            return Optional.ofNullable(t).map(Timestamp::toInstant);
        }
    }

    /** Newest first, with counts per kind and without items. */
    public List<ReconciliationReport> list(int limit) throws SQLException {
        List<ReconciliationReport> reports = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM reconciliation_run ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reports.add(report(c, rs, false));
                }
            }
        }
        return reports;
    }

    public Optional<ReconciliationReport> find(long id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM reconciliation_run WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(report(c, rs, true)) : Optional.empty();
            }
        }
    }

    private static ReconciliationReport report(Connection c, ResultSet run, boolean withItems) throws SQLException {
        long id = run.getLong("id");
        Map<DiscrepancyKind, Integer> counts = new EnumMap<>(DiscrepancyKind.class);
        for (DiscrepancyKind kind : DiscrepancyKind.values()) {
            counts.put(kind, 0);
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT kind, count(*) FROM reconciliation_discrepancy WHERE run_id = ? GROUP BY kind")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(DiscrepancyKind.valueOf(rs.getString(1)), rs.getInt(2));
                }
            }
        }
        List<Discrepancy> items = new ArrayList<>();
        if (withItems) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM reconciliation_discrepancy WHERE run_id = ? ORDER BY id")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(new Discrepancy(DiscrepancyKind.valueOf(rs.getString("kind")),
                                rs.getString("document_id"), rs.getString("billing_id"), rs.getString("erp_id"),
                                rs.getString("crm_id"), rs.getString("currency"),
                                rs.getObject("billing_amount_minor", Long.class),
                                rs.getObject("erp_amount_minor", Long.class), rs.getString("billing_status"),
                                rs.getString("erp_status"), rs.getString("detail"), rs.getBoolean("healed"),
                                rs.getObject("exception_case_id", Long.class)));
                    }
                }
            }
        }
        Timestamp finished = run.getTimestamp("finished_at");
        return new ReconciliationReport(id, run.getTimestamp("window_from").toInstant(),
                run.getTimestamp("window_to").toInstant(), run.getString("trigger"), run.getBoolean("heal"),
                run.getString("status"), run.getInt("billing_count"), run.getInt("erp_count"), run.getInt("crm_count"),
                run.getInt("healed"), run.getString("message"), run.getTimestamp("started_at").toInstant(),
                finished == null ? null : finished.toInstant(), counts, items);
    }
}
