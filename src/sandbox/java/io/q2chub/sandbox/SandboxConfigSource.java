package io.q2chub.sandbox;

import io.quarkus.runtime.ExecutionMode;
import io.quarkus.runtime.LaunchMode;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Points the hub at the sandbox when nothing else does. It must be a config source: Agroal, Flyway and Camel
 * read their settings before any startup observer runs, so the embedded services have to be up by the time the
 * first of these keys is read.
 *
 * <p>It stays out of the way at build time, in tests (they start their own services) and whenever an operator
 * configured a broker or database, or set {@code Q2C_SANDBOX=false}. The production build does not contain it.
 */
public class SandboxConfigSource implements ConfigSource {

    /** Reading any of these starts the sandbox; the simulators' settings come along with them. */
    static final Set<String> KEYS = Set.of("q2c.kafka.bootstrap-servers", "q2c.db.url", "q2c.db.username", "q2c.db.password");

    // Above application.properties (250), below environment variables (300) and system properties (400).
    private static final int ORDINAL = 260;

    @Override
    public Set<String> getPropertyNames() {
        return active() ? Sandbox.settings().keySet() : Set.of();
    }

    @Override
    public Map<String, String> getProperties() {
        return active() ? Sandbox.settings() : Map.of();
    }

    @Override
    public String getValue(String name) {
        return active() ? Sandbox.settings().get(name) : null;
    }

    @Override
    public String getName() {
        return "q2c-sandbox";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }

    static boolean active() {
        if (ExecutionMode.current() == ExecutionMode.UNSET || LaunchMode.current() == LaunchMode.TEST) {
            return false;
        }
        if ("false".equalsIgnoreCase(setting("Q2C_SANDBOX", "q2c.sandbox"))) {
            return false;
        }
        return Sandbox.started() || (isBlank(setting("Q2C_KAFKA_BOOTSTRAP_SERVERS", "q2c.kafka.bootstrap-servers"))
                && isBlank(setting("Q2C_DB_URL", "q2c.db.url")));
    }

    private static String setting(String env, String property) {
        String value = System.getProperty(property);
        return value != null ? value : System.getenv(env);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
