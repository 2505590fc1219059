package io.q2chub.ops.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A shared budget serves live callers before replays, and a rate budget hands its permits back with time. */
class PriorityPermitsTest {

    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    @Test
    void aReplayWaitsWhileALiveCallerWaitsEvenIfItAskedFirst() throws Exception {
        PriorityPermits budget = PriorityPermits.concurrent(1);
        budget.acquire(TrafficLane.LIVE); // the budget is in use
        List<String> served = new CopyOnWriteArrayList<>();

        callers.submit(() -> take(budget, TrafficLane.REPLAY, "replay", served));
        await().atMost(Duration.ofSeconds(5)).until(() -> budget.waiting() == 1);
        callers.submit(() -> take(budget, TrafficLane.LIVE, "live", served));
        await().atMost(Duration.ofSeconds(5)).until(() -> budget.waiting() == 2 && budget.liveCallersWaiting());

        budget.release();
        await().atMost(Duration.ofSeconds(5)).until(() -> served.size() == 1);
        assertThat(served).containsExactly("live");
        budget.release();
        await().atMost(Duration.ofSeconds(5)).until(() -> served.size() == 2);
        assertThat(served).containsExactly("live", "replay");
    }

    @Test
    void aReplayIsServedAtOnceWhenNoLiveCallerWaits() throws Exception {
        PriorityPermits budget = PriorityPermits.concurrent(2);
        budget.acquire(TrafficLane.REPLAY);
        budget.acquire(TrafficLane.REPLAY);
        assertThat(budget.inUse()).isEqualTo(2);
    }

    @Test
    void aRateBudgetGivesItsPermitsBackAfterThePeriod() throws Exception {
        PriorityPermits budget = PriorityPermits.perPeriod(2, Duration.ofMillis(300));
        List<String> served = new CopyOnWriteArrayList<>();
        budget.acquire(TrafficLane.LIVE);
        budget.acquire(TrafficLane.LIVE);
        callers.submit(() -> take(budget, TrafficLane.LIVE, "third", served));
        // no release: the third call goes once the first permit's period is over
        await().atMost(Duration.ofSeconds(5)).until(() -> served.contains("third"));
        assertThat(budget.inUse()).isLessThanOrEqualTo(2);
    }

    private static void take(PriorityPermits budget, TrafficLane lane, String name, List<String> served) {
        try {
            budget.acquire(lane);
            served.add(name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
