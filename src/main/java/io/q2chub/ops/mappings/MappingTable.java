package io.q2chub.ops.mappings;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The table {@code value_mapping} and its audit trail. Every write is one statement that changes the mapping and
 * records the change together, so the history never misses a change nor shows one that did not happen.
 */
@ApplicationScoped
class MappingTable {

    static final String CONFIG = "config";

    private final AgroalDataSource dataSource;

    MappingTable(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** code → target of the mappings in force (operator removals excluded). */
    Map<String, String> active(String system, String kind) throws SQLException {
        Map<String, String> active = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT code, target FROM value_mapping WHERE system = ? AND kind = ? AND target IS NOT NULL")) {
            ps.setString(1, system);
            ps.setString(2, kind);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    active.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return active;
    }

    List<Mapping> list(String system, String kind) throws SQLException {
        List<Mapping> mappings = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT system, kind, code, target, origin, updated_at, updated_by FROM value_mapping
                 WHERE target IS NOT NULL AND (?::text IS NULL OR system = ?) AND (?::text IS NULL OR kind = ?)
                 ORDER BY system, kind, code""")) {
            ps.setString(1, system);
            ps.setString(2, system);
            ps.setString(3, kind);
            ps.setString(4, kind);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    mappings.add(new Mapping(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getObject(6, OffsetDateTime.class), rs.getString(7)));
                }
            }
        }
        return mappings;
    }

    List<MappingChange> history(String system, String kind, String code) throws SQLException {
        List<MappingChange> changes = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT at, actor, action, old_target, new_target FROM value_mapping_history
                 WHERE system = ? AND kind = ? AND code = ? ORDER BY at, id""")) {
            ps.setString(1, system);
            ps.setString(2, kind);
            ps.setString(3, code);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    changes.add(new MappingChange(rs.getObject(1, OffsetDateTime.class), rs.getString(2),
                            rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        return changes;
    }

    /**
     * Writes the configured values: new codes are inserted and rows that came from configuration follow it; a row an
     * operator set or removed is left alone. Answers how many rows changed.
     */
    int seed(String system, String kind, Map<String, String> configured) throws SQLException {
        int changed = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                WITH seeded AS (
                    INSERT INTO value_mapping AS v (system, kind, code, target, origin, updated_by)
                    VALUES (?, ?, ?, ?, 'config', 'config')
                    ON CONFLICT (system, kind, code) DO UPDATE SET target = EXCLUDED.target, updated_at = now()
                        WHERE v.origin = 'config' AND v.target IS DISTINCT FROM EXCLUDED.target
                    RETURNING system, kind, code, target
                )
                INSERT INTO value_mapping_history (system, kind, code, actor, action, new_target)
                SELECT system, kind, code, 'config', 'SEEDED', target FROM seeded""")) {
            for (Map.Entry<String, String> entry : configured.entrySet()) {
                ps.setString(1, system);
                ps.setString(2, kind);
                ps.setString(3, entry.getKey());
                ps.setString(4, entry.getValue());
                changed += ps.executeUpdate();
            }
        }
        return changed;
    }

    /** Sets the mapping (new or changed) as the operator's, recording the previous target. */
    Mapping set(String system, String kind, String code, String target, String actor) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                WITH previous AS (
                    SELECT target FROM value_mapping WHERE system = ? AND kind = ? AND code = ? FOR UPDATE
                ), written AS (
                    INSERT INTO value_mapping AS v (system, kind, code, target, origin, updated_by)
                    VALUES (?, ?, ?, ?, 'operator', ?)
                    ON CONFLICT (system, kind, code) DO UPDATE
                        SET target = EXCLUDED.target, origin = 'operator', updated_at = now(), updated_by = EXCLUDED.updated_by
                    RETURNING updated_at
                ), audited AS (
                    INSERT INTO value_mapping_history (system, kind, code, actor, action, old_target, new_target)
                    VALUES (?, ?, ?, ?, 'SET', (SELECT target FROM previous), ?)
                )
                SELECT updated_at FROM written""")) {
            int i = 0;
            for (String value : new String[] {system, kind, code, system, kind, code, target, actor,
                    system, kind, code, actor, target}) {
                ps.setString(++i, value);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Mapping(system, kind, code, target, "operator", rs.getObject(1, OffsetDateTime.class), actor);
            }
        }
    }

    /** Removes a mapping in force; the row stays as the operator's removal. Empty when nothing was mapped. */
    Optional<String> remove(String system, String kind, String code, String actor) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                WITH previous AS (
                    SELECT target FROM value_mapping
                     WHERE system = ? AND kind = ? AND code = ? AND target IS NOT NULL FOR UPDATE
                ), removed AS (
                    UPDATE value_mapping v SET target = NULL, origin = 'operator', updated_at = now(), updated_by = ?
                      FROM previous WHERE v.system = ? AND v.kind = ? AND v.code = ?
                    RETURNING previous.target
                )
                INSERT INTO value_mapping_history (system, kind, code, actor, action, old_target)
                SELECT ?, ?, ?, ?, 'REMOVED', target FROM removed
                RETURNING old_target""")) {
            int i = 0;
            for (String value : new String[] {system, kind, code, actor, system, kind, code, system, kind, code, actor}) {
                ps.setString(++i, value);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
