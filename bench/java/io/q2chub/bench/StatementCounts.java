package io.q2chub.bench;

import io.q2chub.sandbox.EmbeddedDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Database round trips counted by PostgreSQL itself: pg_stat_statements (loaded at server start by the bench)
 * counts every statement the hub executed, so "round trips per event for idempotency" is the calls of the
 * statements on idempotency_key divided by the events, not an estimate.
 */
final class StatementCounts {

    record Row(String query, long calls) {
    }

    private final EmbeddedDatabase db;

    StatementCounts(EmbeddedDatabase db) throws Exception {
        this.db = db;
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        }
    }

    void reset() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /** Statements with their calls since the reset, most called first (the bench's own queries left out). */
    List<Row> rows() throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT query, calls FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat%'"
                     + " AND query NOT ILIKE '%bench_baseline%' AND query NOT ILIKE '%FROM xref%' ORDER BY calls DESC")) {
            while (r.next()) {
                rows.add(new Row(r.getString(1).replaceAll("\\s+", " ").trim(), r.getLong(2)));
            }
        }
        return rows;
    }

    long commits() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
            r.next();
            return r.getLong(1);
        }
    }

    Connection connect() throws Exception {
        return DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.USER, EmbeddedDatabase.PASSWORD);
    }
}
