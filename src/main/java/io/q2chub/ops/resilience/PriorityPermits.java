package io.q2chub.ops.resilience;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A budget of permits where a replay waits while any live caller waits. Two kinds: concurrent requests (a permit
 * comes back when the call ends) and requests per period (a permit comes back one period after it was taken).
 */
public final class PriorityPermits {

    private final int size;
    private final long periodNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** For a rate budget: when each taken permit becomes free again, oldest first. */
    private final ArrayDeque<Long> returning = new ArrayDeque<>();
    private int available;
    private int liveWaiting;
    private int waiting;

    private PriorityPermits(int size, Duration period) {
        if (size < 1) {
            throw new IllegalArgumentException("a budget needs at least one permit, not " + size);
        }
        this.size = size;
        this.available = size;
        this.periodNanos = period == null ? 0 : period.toNanos();
    }

    /** At most this many calls at once; {@link #release()} after each call. */
    public static PriorityPermits concurrent(int size) {
        return new PriorityPermits(size, null);
    }

    /** At most this many calls per period; no release needed. */
    public static PriorityPermits perPeriod(int size, Duration period) {
        return new PriorityPermits(size, period);
    }

    public void acquire(TrafficLane lane) throws InterruptedException {
        lock.lock();
        try {
            if (lane == TrafficLane.LIVE) {
                liveWaiting++;
            }
            try {
                while (!mayTake(lane)) {
                    waiting++;
                    try {
                        long untilReturn = nextReturnNanos();
                        if (untilReturn > 0) {
                            changed.awaitNanos(untilReturn);
                        } else {
                            changed.await();
                        }
                    } finally {
                        waiting--;
                    }
                }
                available--;
                if (periodNanos > 0) {
                    returning.addLast(System.nanoTime() + periodNanos);
                }
            } finally {
                if (lane == TrafficLane.LIVE) {
                    liveWaiting--;
                    // a replay may have been held back only by this live caller
                    changed.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Gives back a concurrency permit; a no-op for a rate budget (its permits come back with time). */
    public void release() {
        if (periodNanos > 0) {
            return;
        }
        lock.lock();
        try {
            available = Math.min(size, available + 1);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        return size;
    }

    /** Permits taken and not yet back (for the budget-in-use gauge). */
    public int inUse() {
        lock.lock();
        try {
            reclaimExpired();
            return size - available;
        } finally {
            lock.unlock();
        }
    }

    /** Callers waiting for a permit, live and replay together (the budget-waiting gauge). */
    public int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a live caller is waiting for a permit (replays are held back meanwhile). */
    public boolean liveCallersWaiting() {
        lock.lock();
        try {
            return liveWaiting > 0;
        } finally {
            lock.unlock();
        }
    }

    private boolean mayTake(TrafficLane lane) {
        reclaimExpired();
        return available > 0 && (lane == TrafficLane.LIVE || liveWaiting == 0);
    }

    private void reclaimExpired() {
        long now = System.nanoTime();
        while (!returning.isEmpty() && returning.peekFirst() - now <= 0) {
            returning.removeFirst();
            available++;
        }
    }

    private long nextReturnNanos() {
        if (returning.isEmpty()) {
            return 0;
        }
        return Math.max(TimeUnit.MILLISECONDS.toNanos(1), returning.peekFirst() - System.nanoTime());
    }
}
