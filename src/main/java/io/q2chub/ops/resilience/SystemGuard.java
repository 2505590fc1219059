package io.q2chub.ops.resilience;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.q2chub.ops.failure.CircuitOpenFailure;
import io.q2chub.ops.failure.IntegrationFailure;
import io.q2chub.ops.failure.ThrottlingFailure;
import io.q2chub.ops.failure.TransientFailure;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * Everything that stands between the hub and one downstream system, shared by every capability that calls it:
 * its call budget (live callers first), and its circuit breaker (SmallRye Fault Tolerance). The breaker counts
 * only ordinary transient failures (timeouts, refused connections, 5xx): a business error means the system is up
 * and said no, and throttling means it is up and busy. While it is open, calls fail at once with a
 * CircuitOpenFailure, which the dead-letter channel waits out without parking; a transient failure that opened
 * (or re-opened) the circuit is reported the same way, so the record that discovered the outage waits too.
 */
public final class SystemGuard {

    private static final Duration[] CALL_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final String system;
    private final Guard circuit;
    private final Duration circuitDelay;
    private final PriorityPermits permits;
    private final DailyQuota quota;
    private final Counter throttled;
    private final Counter prevented;
    private final MeterRegistry registry;
    private volatile CircuitBreakerState state = CircuitBreakerState.CLOSED;
    private volatile long openedAtNanos;

    SystemGuard(ResilienceSettings settings, PriorityPermits permits, DailyQuota quota, MeterRegistry registry) {
        this.system = settings.system();
        this.circuitDelay = settings.circuitDelay();
        this.permits = permits;
        this.quota = quota;
        this.circuit = Guard.create()
                .withDescription(system + " circuit breaker")
                .withCircuitBreaker()
                .requestVolumeThreshold(settings.circuitRequestVolume())
                .failureRatio(settings.circuitFailureRatio())
                .delay(settings.circuitDelay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(settings.circuitSuccessThreshold())
                .when(SystemGuard::meansSystemDown)
                .onStateChange(this::changed)
                .done()
                .build();
        Tags tags = Tags.of("system", system);
        this.registry = registry;
        this.throttled = registry.counter("q2c.connector.throttled", tags);
        this.prevented = registry.counter("q2c.connector.circuit.prevented", tags);
        registry.gauge("q2c.connector.circuit.state", tags, this, guard -> guard.state().ordinal());
        if (permits != null) {
            registry.gauge("q2c.connector.budget.in.use", tags, permits, PriorityPermits::inUse);
            registry.gauge("q2c.connector.budget.size", tags, permits, PriorityPermits::size);
            registry.gauge("q2c.connector.budget.waiting", tags, permits, PriorityPermits::waiting);
        }
        if (quota != null) {
            registry.gauge("q2c.connector.daily.calls.used", tags, quota, DailyQuota::used);
            registry.gauge("q2c.connector.daily.calls.limit", tags, quota, DailyQuota::limit);
        }
    }

    /** A guard with only a concurrency budget, for a connector built by hand (plain tests, tools). */
    public static SystemGuard budgetOnly(String system, int maxConcurrent) {
        return new SystemGuard(system, PriorityPermits.concurrent(maxConcurrent));
    }

    private SystemGuard(String system, PriorityPermits permits) {
        this.system = system;
        this.circuit = null;
        this.circuitDelay = Duration.ZERO;
        this.permits = permits;
        this.quota = null;
        SimpleMeterRegistry unpublished = new SimpleMeterRegistry();
        this.registry = unpublished;
        this.throttled = unpublished.counter("throttled");
        this.prevented = unpublished.counter("prevented");
    }

    public String system() {
        return system;
    }

    /** Callers waiting for this system's budget (0 without a budget). */
    public int waiting() {
        return permits == null ? 0 : permits.waiting();
    }

    public CircuitBreakerState state() {
        return state;
    }

    /**
     * Runs one call to the system within its budget and circuit breaker.
     *
     * @throws CircuitOpenFailure when the circuit is open (the call was not made) or this call's failure opened it
     */
    public <T> T call(String operation, Supplier<T> call) {
        TrafficLane lane = TrafficLane.current();
        acquire(lane, operation);
        long started = 0;
        String outcome = "error";
        try {
            if (quota != null) {
                quota.take(lane);
            }
            // Timed from here: the wait for a permit is the hub's own queue, not the system's latency.
            started = System.nanoTime();
            T result = circuit == null ? call.get() : throughCircuit(operation, call);
            outcome = "success";
            return result;
        } catch (CircuitOpenFailure open) {
            outcome = "circuit-open";
            throw open;
        } catch (ThrottlingFailure busy) {
            outcome = "throttled";
            throttled.increment();
            throw busy;
        } catch (RuntimeException failure) {
            outcome = outcomeOf(failure);
            throw failure;
        } finally {
            if (started != 0) {
                timer(outcome).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
            if (permits != null) {
                permits.release();
            }
        }
    }

    /** The kind of answer, as the failure classes name it (a business refusal means the system answered). */
    private static String outcomeOf(RuntimeException failure) {
        if (failure instanceof TransientFailure) {
            return "transient";
        }
        if (failure instanceof IntegrationFailure integration) {
            return integration.failureClass().name().toLowerCase(java.util.Locale.ROOT);
        }
        return "error";
    }

    private Timer timer(String outcome) {
        // Micrometer hands back the registered timer; one per system and outcome.
        return Timer.builder("q2c.connector.call")
                .description("Calls to a downstream system through its guard, by outcome")
                .tags("system", system, "outcome", outcome)
                // A few fixed buckets (not Micrometer's ~70 percentile buckets) are enough for a p95 per system.
                .serviceLevelObjectives(CALL_BUCKETS)
                .register(registry);
    }

    private <T> T throughCircuit(String operation, Supplier<T> call) {
        try {
            Supplier<Object> untyped = call::get;
            @SuppressWarnings("unchecked")
            T result = (T) circuit.get(untyped, Object.class);
            return result;
        } catch (CircuitBreakerOpenException e) {
            prevented.increment();
            throw new CircuitOpenFailure(system, system + " is failing, its circuit is open: " + operation
                    + " not sent", null, untilProbe());
        } catch (TransientFailure failure) {
            if (meansSystemDown(failure) && state != CircuitBreakerState.CLOSED) {
                throw new CircuitOpenFailure(system, system + " is failing, its circuit opened: "
                        + failure.getMessage(), failure, untilProbe());
            }
            throw failure;
        }
    }

    private void acquire(TrafficLane lane, String operation) {
        if (permits == null) {
            return;
        }
        try {
            permits.acquire(lane);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure(system, "INTERRUPTED", "interrupted waiting for a " + system + " slot: "
                    + operation, e);
        }
    }

    /** Until the breaker lets a probe through, plus a little jitter so waiting consumers do not probe in step. */
    Duration untilProbe() {
        long delay = circuitDelay.toMillis();
        long left = delay - Duration.ofNanos(System.nanoTime() - openedAtNanos).toMillis();
        long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, delay / 10));
        return Duration.ofMillis(Math.max(100, left) + jitter);
    }

    private void changed(CircuitBreakerState next) {
        if (next == CircuitBreakerState.OPEN) {
            openedAtNanos = System.nanoTime();
        }
        state = next;
    }

    private static boolean meansSystemDown(Throwable failure) {
        return failure instanceof TransientFailure && !(failure instanceof ThrottlingFailure);
    }
}
