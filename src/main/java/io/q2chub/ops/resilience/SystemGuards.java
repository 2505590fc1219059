package io.q2chub.ops.resilience;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.Config;

/**
 * One SystemGuard per downstream system for the whole hub, so every capability that calls NetSuite shares
 * NetSuite's circuit and budget. Connectors ask for theirs by system name; settings come from
 * {@code q2c.resilience.<system>.*}.
 */
@ApplicationScoped
public class SystemGuards {

    private final Config config;
    private final MeterRegistry registry;
    private final Map<String, SystemGuard> guards = new ConcurrentHashMap<>();

    public SystemGuards(Config config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    public SystemGuard forSystem(String system) {
        return guards.computeIfAbsent(system, this::create);
    }

    /** Every guard created so far (a system appears once a connector asked for it), by system. */
    public Map<String, SystemGuard> all() {
        return Map.copyOf(guards);
    }

    /** How long an ordinary transient failure of this system is retried before the record is parked. */
    public Duration maxRetryDuration(String system) {
        return settings(system).maxRetryDuration();
    }

    /** A guard outside the shared set, for tests of the guard itself (its metrics are not published). */
    public static SystemGuard standalone(ResilienceSettings settings) {
        return new SystemGuard(settings, permits(settings), quota(settings),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    private SystemGuard create(String system) {
        ResilienceSettings settings = settings(system);
        return new SystemGuard(settings, permits(settings), quota(settings), registry);
    }

    private ResilienceSettings settings(String system) {
        return ResilienceSettings.of(config, system);
    }

    private static PriorityPermits permits(ResilienceSettings settings) {
        if (settings.maxConcurrent().isPresent()) {
            return PriorityPermits.concurrent(settings.maxConcurrent().getAsInt());
        }
        if (settings.requestsPerSecond().isPresent()) {
            return PriorityPermits.perPeriod(settings.requestsPerSecond().getAsInt(), Duration.ofSeconds(1));
        }
        return null;
    }

    private static DailyQuota quota(ResilienceSettings settings) {
        return settings.dailyCalls().isPresent() ? new DailyQuota(settings.system(),
                settings.dailyCalls().getAsInt(), settings.replayShareOfDailyCalls(), Clock.systemUTC()) : null;
    }
}
