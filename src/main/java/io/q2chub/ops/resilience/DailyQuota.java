package io.q2chub.ops.resilience;

import io.q2chub.ops.failure.ThrottlingFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A system's allowance of API calls per UTC day (Salesforce counts calls per rolling 24 h per org, shared with
 * every other integration; this hub keeps to its configured share). When the share is spent a call is refused as
 * throttling until the next day, so events wait instead of being parked or eating the org's remaining calls.
 * Replays stop earlier, at {@code replayShare} of the quota, so live traffic keeps the last part of the day.
 */
public final class DailyQuota {

    private final String system;
    private final long limit;
    private final long replayLimit;
    private final Clock clock;
    private LocalDate day;
    private long used;

    public DailyQuota(String system, long limit, double replayShare, Clock clock) {
        this.system = system;
        this.limit = limit;
        this.replayLimit = (long) Math.floor(limit * replayShare);
        this.clock = clock;
        this.day = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /** Counts one call, or refuses it as throttling (with Retry-After until UTC midnight) when the share is spent. */
    public synchronized void take(TrafficLane lane) {
        rollOver();
        long ceiling = lane == TrafficLane.LIVE ? limit : replayLimit;
        if (used >= ceiling) {
            Instant midnight = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            throw new ThrottlingFailure(system, "DAILY_API_BUDGET_SPENT", "the hub's daily share of " + system
                    + " API calls is spent (" + used + " of " + limit + (lane == TrafficLane.REPLAY
                    ? ", replays stop at " + replayLimit : "") + "); waiting until " + midnight,
                    null, Duration.between(clock.instant(), midnight));
        }
        used++;
    }

    public synchronized long used() {
        rollOver();
        return used;
    }

    public long limit() {
        return limit;
    }

    private void rollOver() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        if (!today.equals(day)) {
            day = today;
            used = 0;
        }
    }
}
