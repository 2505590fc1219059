package io.q2chub.ops.exceptions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The audit trail of an exception case: one row per state change, with who made it. */
final class CaseHistory {

    /** The actor of what the hub does on its own (parking a failure, resolving a case that went through). */
    static final String HUB = "q2c-hub";

    private CaseHistory() {
    }

    static void record(Connection c, long caseId, String actor, String action, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO exception_case_history (case_id, actor, action, detail) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, caseId);
            ps.setString(2, actor);
            ps.setString(3, action);
            ps.setString(4, detail);
            ps.executeUpdate();
        }
    }
}
