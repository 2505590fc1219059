package io.q2chub.sandbox;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;

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
        return start(java.util.Map.of());
    }

    /**
     * With extra server settings (postgresql.conf keys), e.g. the benchmark's
     * {@code shared_preload_libraries=pg_stat_statements} to count statements per event.
     */
    public static EmbeddedDatabase start(java.util.Map<String, String> serverConfig) throws IOException {
        OrphanedPostgres.reap();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        serverConfig.forEach(builder::setServerConfig);
        return new EmbeddedDatabase(builder
                // The data directory names the JVM that owns the server, so a later start can tell an orphan (its
                // owner is gone) from a server another live hub or test run on this machine still uses.
                .setDataDirectory(Files.createTempDirectory(OrphanedPostgres.DATA_DIR_PREFIX + ProcessHandle.current().pid() + "-"))
                .setCleanDataDirectory(true)
                // Binaries outside zonky's shared default directory: older sandbox code reaps every postmaster
                // started from there, including the ones of other live runs.
                .setOverrideWorkingDirectory(new File(System.getProperty("java.io.tmpdir"), "q2c-pg-bin"))
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
