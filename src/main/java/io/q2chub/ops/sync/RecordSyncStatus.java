package io.q2chub.ops.sync;

import io.agroal.api.AgroalDataSource;
import io.q2chub.ops.ledger.Ledger;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where one business record stands across the systems, found by any of its ids: the canonical id, the id each
 * system gave it (from the cross-reference), the ledger milestones of its events and its unsettled exception cases.
 * An id that is not in the cross-reference is still answered when the ledger or an exception case knows it as a
 * business key (a record that failed before any system had it).
 */
@ApplicationScoped
public class RecordSyncStatus {

    @RegisterForReflection
    public record SystemId(String system, String externalId, OffsetDateTime linkedAt) {
    }

    @RegisterForReflection
    public record OpenCase(long id, String status, String capability, String system, String failureClass,
            String errorCode, String errorMessage, int occurrences, OffsetDateTime lastSeen) {
    }

    @RegisterForReflection
    public record Record(String canonicalId, String objectType, List<SystemId> systems,
            List<Ledger.Milestone> milestones, List<OpenCase> openCases) {
    }

    /** Every record the id names; more than one only when the same text is an id of records of different types. */
    @RegisterForReflection
    public record Answer(String query, List<Record> records) {
    }

    private final AgroalDataSource dataSource;
    private final Ledger ledger;

    public RecordSyncStatus(AgroalDataSource dataSource, Ledger ledger) {
        this.dataSource = dataSource;
        this.ledger = ledger;
    }

    public Answer of(String anyId) throws SQLException {
        List<Record> records = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (String[] linked : linkedRecords(c, anyId)) {
                String canonicalId = linked[0];
                List<SystemId> systems = systemIds(c, canonicalId, linked[1]);
                Set<String> keys = new LinkedHashSet<>();
                keys.add(canonicalId);
                systems.forEach(s -> keys.add(s.externalId()));
                records.add(new Record(canonicalId, linked[1], systems, ledger.trace(canonicalId), openCases(c, keys)));
            }
            if (records.isEmpty()) {
                List<Ledger.Milestone> milestones = ledger.trace(anyId);
                List<OpenCase> cases = openCases(c, Set.of(anyId));
                if (!milestones.isEmpty() || !cases.isEmpty()) {
                    records.add(new Record(anyId, null, List.of(), milestones, cases));
                }
            }
        }
        return new Answer(anyId, records);
    }

    /** (canonical id, object type) of every record the id is the canonical id of, or a system's id of. */
    private static List<String[]> linkedRecords(Connection c, String anyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT DISTINCT canonical_id, object_type FROM xref WHERE canonical_id = ? OR external_id = ?
                 ORDER BY object_type, canonical_id""")) {
            ps.setString(1, anyId);
            ps.setString(2, anyId);
            List<String[]> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            return found;
        }
    }

    private static List<SystemId> systemIds(Connection c, String canonicalId, String objectType) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT system, external_id, created_at FROM xref WHERE canonical_id = ? AND object_type = ?
                 ORDER BY system""")) {
            ps.setString(1, canonicalId);
            ps.setString(2, objectType);
            List<SystemId> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new SystemId(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class)));
                }
            }
            return found;
        }
    }

    /** Cases not yet settled (open or being replayed) whose business key is any of the record's ids. */
    private static List<OpenCase> openCases(Connection c, Set<String> keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, status, capability, system, failure_class, error_code, error_message, occurrences, last_seen
                  FROM exception_case
                 WHERE status IN ('OPEN', 'REPLAYING') AND business_key = ANY (?)
                 ORDER BY last_seen DESC, id DESC""")) {
            ps.setArray(1, c.createArrayOf("text", keys.toArray()));
            List<OpenCase> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new OpenCase(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8),
                            rs.getObject(9, OffsetDateTime.class)));
                }
            }
            return found;
        }
    }
}
