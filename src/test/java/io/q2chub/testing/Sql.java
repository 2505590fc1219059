package io.q2chub.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import javax.sql.DataSource;

/** One-parameter look-ups of what the hub stored, for assertions on the real database. */
public final class Sql {

    private Sql() {
    }

    /** The first column of the first row, if there is one. */
    public static Optional<String> first(DataSource db, String sql, Object param) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The number a {@code SELECT count(*) …} answers. */
    public static long count(DataSource db, String sql, Object param) {
        return Long.parseLong(first(db, sql, param).orElseThrow());
    }

    /** Runs one INSERT/UPDATE with its parameters in order. */
    public static int update(DataSource db, String sql, Object... params) {
        try (java.sql.Connection c = db.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
