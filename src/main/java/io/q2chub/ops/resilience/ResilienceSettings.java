package io.q2chub.ops.resilience;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.Config;

/**
 * How the hub treats one downstream system ({@code q2c.resilience.<system>.*}, falling back to
 * {@code q2c.resilience.default.*}): when its circuit opens and for how long, how long an ordinary transient
 * failure is retried before the record is parked, and its shared call budget (any of concurrent calls, calls per
 * second, calls per UTC day; none means unlimited).
 */
public record ResilienceSettings(String system, int circuitRequestVolume, double circuitFailureRatio,
        Duration circuitDelay, int circuitSuccessThreshold, Duration maxRetryDuration, OptionalInt maxConcurrent,
        OptionalInt requestsPerSecond, OptionalInt dailyCalls, double replayShareOfDailyCalls) {

    static final String PREFIX = "q2c.resilience.";

    public static ResilienceSettings of(Config config, String system) {
        return new ResilienceSettings(system,
                value(config, system, "circuit.request-volume", Integer.class).orElse(5),
                value(config, system, "circuit.failure-ratio", Double.class).orElse(0.6),
                value(config, system, "circuit.delay", Duration.class).orElse(Duration.ofSeconds(30)),
                value(config, system, "circuit.success-threshold", Integer.class).orElse(1),
                value(config, system, "max-retry-duration", Duration.class).orElse(Duration.ofMinutes(5)),
                optionalInt(config, system, "max-concurrent"),
                optionalInt(config, system, "requests-per-second"),
                optionalInt(config, system, "daily-calls"),
                value(config, system, "replay-share-of-daily-calls", Double.class).orElse(0.8));
    }

    private static <T> Optional<T> value(Config config, String system, String key, Class<T> type) {
        Optional<T> own = config.getOptionalValue(PREFIX + system + "." + key, type);
        return own.isPresent() ? own : config.getOptionalValue(PREFIX + "default." + key, type);
    }

    /** Budgets are per system only: a default budget would mean nothing across vendors with different units. */
    private static OptionalInt optionalInt(Config config, String system, String key) {
        return config.getOptionalValue(PREFIX + system + "." + key, Integer.class).filter(n -> n > 0)
                .map(OptionalInt::of).orElse(OptionalInt.empty());
    }
}
