package io.q2chub.ops.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.CircuitOpenFailure;
import io.q2chub.ops.failure.ThrottlingFailure;
import io.q2chub.ops.failure.TransientFailure;
import io.q2chub.testing.HubTestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

/**
 * The per-system guard: its circuit opens on transient failures only, fails fast while open, probes after the
 * delay and closes on a successful probe. A QuarkusTest because SmallRye's Guard is built by the CDI container;
 * each test builds its own guard, so the hub's shared ones are untouched.
 */
@QuarkusTest
@QuarkusTestResource(HubTestServices.class)
class SystemGuardTest {

    private static final Duration DELAY = Duration.ofMillis(500);

    @Inject
    CamelContext camel;

    @Inject
    SystemGuards guards;

    private static SystemGuard guard() {
        return SystemGuards.standalone(new ResilienceSettings("erp-under-test", 4, 0.75, DELAY, 1, Duration.ofMinutes(1),
                OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), 0.8));
    }

    @Test
    void opensAfterTransientFailuresAndThenFailsFastWithoutCallingTheSystem() {
        SystemGuard guard = guard();
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            catchThrowableOfType(TransientFailure.class, () -> guard.call("PUT", () -> fail(calls)));
            assertThat(guard.state()).isEqualTo(CircuitBreakerState.CLOSED);
        }
        // the fourth failure fills the window: the circuit opens and this caller is told so
        CircuitOpenFailure opened = catchThrowableOfType(CircuitOpenFailure.class, () -> guard.call("PUT", () -> fail(calls)));
        assertThat(guard.state()).isEqualTo(CircuitBreakerState.OPEN);
        assertThat(opened.getCause()).isInstanceOf(TransientFailure.class);
        assertThat(opened.retryAfter()).hasValueSatisfying(wait -> assertThat(wait).isPositive());

        CircuitOpenFailure fast = catchThrowableOfType(CircuitOpenFailure.class, () -> guard.call("PUT", () -> "ok"));
        assertThat(fast).isInstanceOf(ThrottlingFailure.class);
        assertThat(fast.errorCode()).isEqualTo("CIRCUIT_OPEN");
        assertThat(calls).hasValue(4);
    }

    @Test
    void businessFailuresAndThrottlingNeverOpenIt() {
        SystemGuard guard = guard();
        for (int i = 0; i < 10; i++) {
            catchThrowableOfType(BusinessFailure.class, () -> guard.call("PUT", () -> {
                throw new BusinessFailure("erp-under-test", "USER_ERROR", "invalid subsidiary");
            }));
            catchThrowableOfType(ThrottlingFailure.class, () -> guard.call("PUT", () -> {
                throw new ThrottlingFailure("erp-under-test", "SSS_REQUEST_LIMIT_EXCEEDED", "busy");
            }));
        }
        assertThat(guard.state()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(guard.call("GET", () -> "answered")).isEqualTo("answered");
    }

    @Test
    void afterTheDelayOneProbeGoesThroughAndItsSuccessClosesTheCircuit() {
        SystemGuard guard = guard();
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            catchThrowableOfType(TransientFailure.class, () -> guard.call("PUT", () -> fail(calls)));
        }
        assertThat(guard.state()).isEqualTo(CircuitBreakerState.OPEN);

        String answer = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .ignoreException(CircuitOpenFailure.class)
                .until(() -> guard.call("GET", () -> "back"), "back"::equals);

        assertThat(answer).isEqualTo("back");
        assertThat(guard.state()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(calls).hasValue(4);
    }

    @Test
    void aFailedProbeOpensItAgainAndItsCallerWaitsToo() {
        SystemGuard guard = guard();
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            catchThrowableOfType(TransientFailure.class, () -> guard.call("PUT", () -> fail(calls)));
        }
        CircuitOpenFailure probe = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> catchThrowableOfType(CircuitOpenFailure.class, () -> guard.call("PUT", () -> fail(calls))),
                        f -> f.getCause() != null);
        assertThat(probe.getCause()).isInstanceOf(TransientFailure.class);
        assertThat(calls).hasValue(5);
        assertThat(guard.state()).isEqualTo(CircuitBreakerState.OPEN);
    }

    @Test
    void aReplayWaitsForTheSystemsBudgetWhileLiveTrafficWaits() throws Exception {
        SystemGuard guard = SystemGuards.standalone(new ResilienceSettings("erp-budget", 50, 0.9, DELAY, 1,
                Duration.ofMinutes(1), OptionalInt.of(1), OptionalInt.empty(), OptionalInt.empty(), 0.8));
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            List<String> served = new CopyOnWriteArrayList<>();
            callers.submit(() -> guard.call("live call in progress", () -> {
                busy.countDown();
                return awaitLatch(finish);
            }));
            assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
            callers.submit(() -> inLane(TrafficLane.REPLAY, () -> guard.call("replayed case", () -> served.add("replay"))));
            await().atMost(Duration.ofSeconds(5)).until(() -> guard.waiting() == 1);
            callers.submit(() -> inLane(TrafficLane.LIVE, () -> guard.call("live event", () -> served.add("live"))));
            await().atMost(Duration.ofSeconds(5)).until(() -> guard.waiting() == 2);

            finish.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> served.size() == 2);
            assertThat(served).containsExactly("live", "replay");
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void everyRouteCarriesTheTrafficLanePolicyAndEachSystemHasOneSharedGuard() {
        assertThat(camel.getRoutePolicyFactories()).anyMatch(TrafficLanes.class::isInstance);
        assertThat(guards.forSystem("netsuite")).isSameAs(guards.forSystem("netsuite"));
        assertThat(guards.maxRetryDuration("netsuite")).isEqualTo(Duration.ofSeconds(30));
    }

    private static <T> T inLane(TrafficLane lane, java.util.function.Supplier<T> call) {
        TrafficLane.enter(lane);
        try {
            return call.get();
        } finally {
            TrafficLane.leave();
        }
    }

    private static boolean awaitLatch(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String fail(AtomicInteger calls) {
        calls.incrementAndGet();
        throw new TransientFailure("erp-under-test", "HTTP_503", "Service Unavailable");
    }
}
