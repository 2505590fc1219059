package io.q2chub.sandbox.stripe;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Stripe's per-account request rate limit (about 25 operations/s in test mode, 100 in live mode), as a sliding
 * one-second window: a request is admitted while fewer than {@code opsPerSecond} were admitted in the last second.
 * Refused requests do not use up the budget.
 */
final class OperationRate {

    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final int opsPerSecond;
    private final Deque<Long> admitted = new ArrayDeque<>();

    OperationRate(int opsPerSecond) {
        if (opsPerSecond < 1) {
            throw new IllegalArgumentException("opsPerSecond must be at least 1, was " + opsPerSecond);
        }
        this.opsPerSecond = opsPerSecond;
    }

    synchronized boolean tryAdmit() {
        long now = System.nanoTime();
        while (!admitted.isEmpty() && now - admitted.peekFirst() >= WINDOW_NANOS) {
            admitted.pollFirst();
        }
        if (admitted.size() >= opsPerSecond) {
            return false;
        }
        admitted.addLast(now);
        return true;
    }

    synchronized void reset() {
        admitted.clear();
    }
}
