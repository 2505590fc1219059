package io.q2chub.ops.resilience;

/**
 * Whose call it is: live traffic, or a replay/backfill that can wait. A downstream budget serves live callers
 * first, so replaying a thousand parked cases never holds up the customer who was just created in the CRM.
 * The lane of the call in progress is per thread, set when an exchange enters a route (TrafficLanes); a call made
 * outside any route is live.
 */
public enum TrafficLane {
    LIVE,
    REPLAY;

    private static final ThreadLocal<TrafficLane> CURRENT = new ThreadLocal<>();

    public static TrafficLane current() {
        TrafficLane lane = CURRENT.get();
        return lane == null ? LIVE : lane;
    }

    static void enter(TrafficLane lane) {
        CURRENT.set(lane);
    }

    static void leave() {
        CURRENT.remove();
    }
}
