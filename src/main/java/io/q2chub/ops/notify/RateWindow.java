package io.q2chub.ops.notify;

import java.time.Duration;
import java.time.Instant;

/**
 * At most {@code limit} messages per window. What does not fit is counted, and the count of the window that ended
 * is handed back once, so it can be sent as one summary instead of being lost. Used by one thread only.
 */
final class RateWindow {

    private final int limit;
    private final Duration length;
    private Instant start;
    private int sent;
    private long heldBack;

    RateWindow(int limit, Duration length, Instant now) {
        if (limit < 1 || length.isZero() || length.isNegative()) {
            throw new IllegalArgumentException("the notification rate limit needs at least 1 message per positive window");
        }
        this.limit = limit;
        this.length = length;
        this.start = now;
    }

    /**
     * Starts a new window if the current one is over and answers how many messages the ended window held back
     * (0 if none, or if the window is still running).
     */
    long roll(Instant now) {
        if (now.isBefore(start.plus(length))) {
            return 0;
        }
        long ended = heldBack;
        start = now;
        sent = 0;
        heldBack = 0;
        return ended;
    }

    /** True if a message may go in the current window (roll first); otherwise it is counted as held back. */
    boolean admit() {
        if (sent < limit) {
            sent++;
            return true;
        }
        heldBack++;
        return false;
    }

    /** A summary takes a slot of the new window but is never held back itself. */
    void spend() {
        sent++;
    }

    /** When the current window ends: the worker wakes up then to send the summary even if nothing else comes. */
    Instant end() {
        return start.plus(length);
    }
}
