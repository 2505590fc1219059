package io.q2chub.ops.xref;

import io.agroal.api.AgroalDataSource;
import io.q2chub.ops.failure.BusinessFailure;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Which record in which system is which canonical object. IDs are looked up here, never guessed; a link is
 * unique both ways, so one ERP customer can never be linked to two canonical customers.
 */
@ApplicationScoped
@Named("crossReference")
@RegisterForReflection
public class CrossReference {

    private final AgroalDataSource dataSource;

    public CrossReference(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Links an external record to a canonical id, idempotently: linking the same pair again is a no-op; linking
     * either side to something else is a business failure naming both links.
     */
    public void link(String system, String objectType, String externalId, String canonicalId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO xref (system, object_type, external_id, canonical_id) VALUES (?, ?, ?, ?)
                ON CONFLICT DO NOTHING""")) {
            ps.setString(1, system);
            ps.setString(2, objectType);
            ps.setString(3, externalId);
            ps.setString(4, canonicalId);
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        Optional<String> linkedCanonical = canonicalId(system, objectType, externalId);
        Optional<String> linkedExternal = externalId(system, objectType, canonicalId);
        if (!linkedCanonical.equals(Optional.of(canonicalId)) || !linkedExternal.equals(Optional.of(externalId))) {
            throw new BusinessFailure("hub", "XREF_CONFLICT", String.format(
                    "%s %s %s cannot be linked to %s: already linked as %s -> %s and %s -> %s", system, objectType,
                    externalId, canonicalId, externalId, linkedCanonical.orElse("-"), canonicalId,
                    linkedExternal.orElse("-")));
        }
    }

    public Optional<String> canonicalId(String system, String objectType, String externalId) throws SQLException {
        return lookup("SELECT canonical_id FROM xref WHERE system = ? AND object_type = ? AND external_id = ?",
                system, objectType, externalId);
    }

    public Optional<String> externalId(String system, String objectType, String canonicalId) throws SQLException {
        return lookup("SELECT external_id FROM xref WHERE system = ? AND object_type = ? AND canonical_id = ?",
                system, objectType, canonicalId);
    }

    /**
     * Every link of one system and object type, external id → canonical id, in one query: a reconciliation of
     * thousands of documents matches them in memory instead of one lookup each.
     */
    public java.util.Map<String, String> links(String system, String objectType) throws SQLException {
        java.util.Map<String, String> links = new java.util.HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT external_id, canonical_id FROM xref WHERE system = ? AND object_type = ?")) {
            ps.setString(1, system);
            ps.setString(2, objectType);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    links.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return links;
    }

    private Optional<String> lookup(String sql, String system, String objectType, String id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, system);
            ps.setString(2, objectType);
            ps.setString(3, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
