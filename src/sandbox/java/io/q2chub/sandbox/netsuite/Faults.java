package io.q2chub.sandbox.netsuite;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** What a test asked the simulator to do wrong: answer errors, answer slowly, or not answer in time. */
final class Faults {

    private final AtomicReference<Duration> latency = new AtomicReference<>(Duration.ZERO);
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failureStatus;
    private final AtomicInteger hangsLeft = new AtomicInteger();
    private volatile Duration hang = Duration.ZERO;

    void failNext(int n, int status) {
        failureStatus = status;
        failuresLeft.set(n);
    }

    void hangNext(int n, Duration duration) {
        hang = duration;
        hangsLeft.set(n);
    }

    void latency(Duration duration) {
        latency.set(duration);
    }

    void reset() {
        latency.set(Duration.ZERO);
        failuresLeft.set(0);
        hangsLeft.set(0);
    }

    /** The status to answer instead of processing, or 0 to process normally. */
    int takeFailure() {
        return take(failuresLeft) ? failureStatus : 0;
    }

    /** Waits as a slow or hanging NetSuite would; the request is then processed (a timed-out write may still land). */
    void delay() throws InterruptedException {
        Duration wait = latency.get();
        if (take(hangsLeft)) {
            wait = wait.plus(hang);
        }
        if (!wait.isZero()) {
            Thread.sleep(wait.toMillis());
        }
    }

    private static boolean take(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
}
