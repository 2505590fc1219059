package io.q2chub.ops.exceptions;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The decisions a person takes on a case without replaying it: who owns it, and giving it up with a reason. */
@ApplicationScoped
public class CaseTriage {

    private final AgroalDataSource dataSource;

    public CaseTriage(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    void discard(long id, String reason, String actor) throws SQLException {
        if (reason == null || reason.isBlank()) {
            throw CaseRefused.badRequest("a reason is required to discard a case");
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE exception_case SET status = 'DISCARDED', discard_reason = ?
                     WHERE id = ? AND status IN ('OPEN', 'REPLAYING')""")) {
                ps.setString(1, reason);
                ps.setLong(2, id);
                if (ps.executeUpdate() == 0) {
                    c.rollback();
                    throw CaseRefused.conflict("case " + id + " is " + statusOf(c, id) + ": only open cases can be discarded");
                }
            }
            CaseHistory.record(c, id, actor, "DISCARDED", reason);
            c.commit();
        }
    }

    void assign(long id, String owner, String actor) throws SQLException {
        if (owner == null || owner.isBlank()) {
            throw CaseRefused.badRequest("an owner (team or person) is required");
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE exception_case SET owner = ? WHERE id = ?")) {
                ps.setString(1, owner);
                ps.setLong(2, id);
                if (ps.executeUpdate() == 0) {
                    c.rollback();
                    throw CaseRefused.notFound(id);
                }
            }
            CaseHistory.record(c, id, actor, "ASSIGNED", owner);
            c.commit();
        }
    }

    /** The status of a case for a refusal message; 404 when there is no such case. */
    static String statusOf(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM exception_case WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw CaseRefused.notFound(id);
                }
                return rs.getString(1);
            }
        }
    }
}
