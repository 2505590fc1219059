package io.q2chub.sandbox;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;

/**
 * A real PostgreSQL server unpacked from a Maven jar and run as a child process, for the embedded default and
 * for tests on a machine with no database. Same dialect as production: there is no second one.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String USER = "postgres";
    // Trust authentication: the server ignores it, but the hub requires a password setting, as in production.
    public static final String PASSWORD = "sandbox";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedDatabase start() throws IOException {
        OrphanedPostgres.reap();
        return new EmbeddedDatabase(EmbeddedPostgres.builder()
                // The hub's own shutdown hook closes it after Quarkus has stopped using it.
                .setRegisterShutdownHook(false)
                .setServerConfig("max_connections", "200")
                .start());
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, "postgres");
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
