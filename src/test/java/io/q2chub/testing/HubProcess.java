package io.q2chub.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged hub (target/quarkus-app) run as a real second JVM, as an operator runs it: for what only a real
 * process shows - start-up failures, route files edited on disk, kills and restarts.
 */
public final class HubProcess implements AutoCloseable {

    private static final Path APP = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private final Process process;
    private final Path log;
    public final int httpPort;
    public final int managementPort;

    private HubProcess(Process process, Path log, int httpPort, int managementPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    private static final String PII_KEY = randomKey();

    /** Starts the hub with the given environment and system properties; the sandbox provides broker and database. */
    public static HubProcess start(Map<String, String> env, Map<String, String> systemProperties) {
        return start(env, systemProperties, List.of());
    }

    /** As {@link #start(Map, Map)}, with JVM options before the system properties (heap, JFR, ...). */
    public static HubProcess start(Map<String, String> env, Map<String, String> systemProperties, List<String> jvmOptions) {
        if (!Files.exists(APP)) {
            throw new IllegalStateException(APP + " is missing: integration tests run after `package`");
        }
        try {
            int http = freePort();
            int management = freePort();
            Path log = Files.createTempFile("q2c-hub-process", ".log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(jvmOptions);
            command.addAll(List.of("-Dquarkus.http.port=" + http, "-Dquarkus.management.port=" + management));
            systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.addAll(List.of("-jar", APP.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("Q2C_"));
            // No identity provider in these runs: the ops API uses the embedded users unless a test says otherwise.
            builder.environment().put("Q2C_OIDC_ENABLED", "false");
            // A run with its own broker and database is not the embedded default, whose demo key it would otherwise get.
            builder.environment().put("Q2C_EXCEPTION_PII_KEY", PII_KEY);
            builder.environment().putAll(env);
            return new HubProcess(builder.start(), log, http, management);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("hub still running after " + atMost + ":\n" + output());
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no offset commit, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    public String url(String path) {
        return "http://localhost:" + httpPort + path;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The operating-system process id (for /proc/<pid>/status, jcmd). */
    public long pid() {
        return process.pid();
    }
}
