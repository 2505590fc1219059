package io.q2chub.capability.onboarding;

import io.agroal.api.AgroalDataSource;
import io.q2chub.connector.ConnectorRoles;
import io.q2chub.connector.Crm.SyncStatus;
import io.q2chub.ops.failure.BusinessFailure;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sync outcomes on their way back to the CRM. They are queued durably in the same step that produced them and
 * sent in batches, because every CRM call counts against a daily budget: 100 onboarded accounts cost one call,
 * not 100. A failed send leaves the rows for the next flush.
 */
@ApplicationScoped
@Named("crmWriteBack")
@RegisterForReflection
public class CrmWriteBack {

    /** sObject Collections take 200 records per call. */
    static final int BATCH = 200;

    private final AgroalDataSource dataSource;
    private final ConnectorRoles roles;
    private final Duration maxWait;

    public CrmWriteBack(AgroalDataSource dataSource, ConnectorRoles roles,
            @ConfigProperty(name = "q2c.onboarding.write-back-max-wait") Duration maxWait) {
        this.dataSource = dataSource;
        this.roles = roles;
        this.maxWait = maxWait;
    }

    public void enqueue(SyncStatus status) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO crm_write_back (account_id, erp_id, billing_id, status, message) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (account_id) DO UPDATE SET erp_id = EXCLUDED.erp_id, billing_id = EXCLUDED.billing_id,
                    status = EXCLUDED.status, message = EXCLUDED.message, enqueued_at = clock_timestamp()""")) {
            ps.setString(1, status.accountId());
            ps.setString(2, status.erpId());
            ps.setString(3, status.billingId());
            ps.setString(4, status.status());
            ps.setString(5, status.message());
            ps.executeUpdate();
        }
    }

    /**
     * Sends what is queued, a batch per CRM call, once a full batch is waiting or the oldest outcome has waited
     * {@code maxWait}: under load calls carry full batches, when quiet an outcome still arrives within maxWait.
     * Returns how many outcomes were written back.
     */
    public int flush() throws SQLException {
        if (!due()) {
            return 0;
        }
        int sent = 0;
        List<Queued> batch;
        while (!(batch = oldest()).isEmpty()) {
            try {
                roles.crm().writeBack(batch.stream().map(Queued::status).toList());
            } catch (BusinessFailure refused) {
                // The CRM wrote the rest of the batch and named what it refused; the refused outcomes are parked
                // with that message, and must not block every later write-back at the head of the queue.
                remove(batch);
                throw refused;
            }
            remove(batch);
            sent += batch.size();
            if (batch.size() < BATCH) {
                break;
            }
        }
        return sent;
    }

    private boolean due() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT count(*) >= ? OR min(enqueued_at) <= clock_timestamp() - make_interval(secs => ?)
                  FROM crm_write_back""")) {
            ps.setInt(1, BATCH);
            ps.setDouble(2, maxWait.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private record Queued(SyncStatus status, Timestamp enqueuedAt) {
    }

    private List<Queued> oldest() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT account_id, erp_id, billing_id, status, message, enqueued_at
                  FROM crm_write_back ORDER BY enqueued_at LIMIT ?""")) {
            ps.setInt(1, BATCH);
            List<Queued> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Queued(new SyncStatus(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5)), rs.getTimestamp(6)));
                }
            }
            return rows;
        }
    }

    // Only rows not replaced by a newer outcome while the batch was in flight are removed.
    private void remove(List<Queued> sent) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                DELETE FROM crm_write_back q USING unnest(?::text[], ?::timestamptz[]) AS s(account_id, enqueued_at)
                 WHERE q.account_id = s.account_id AND q.enqueued_at = s.enqueued_at""")) {
            Array ids = c.createArrayOf("text", sent.stream().map(q -> q.status().accountId()).toArray());
            Array times = c.createArrayOf("timestamptz", sent.stream().map(Queued::enqueuedAt).toArray());
            ps.setArray(1, ids);
            ps.setArray(2, times);
            ps.executeUpdate();
        }
    }
}
