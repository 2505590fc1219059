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
    private volatile Duration retryAfter;
    private final AtomicInteger writeHangsLeft = new AtomicInteger();
    private volatile Duration writeHang = Duration.ZERO;

    void failNext(int n, int status) {
        failNext(n, status, null);
    }

    void failNext(int n, int status, Duration retryAfter) {
        failureStatus = status;
        this.retryAfter = retryAfter;
        failuresLeft.set(n);
    }

    /** The Retry-After the injected failures carry, or null. */
    Duration retryAfter() {
        return retryAfter;
    }

    void hangNext(int n, Duration duration) {
        hang = duration;
        hangsLeft.set(n);
    }

    void hangNextWrites(int n, Duration duration) {
        writeHang = duration;
        writeHangsLeft.set(n);
    }

    /** A write (not a read) waits here before it is applied: the client gives up, the write lands anyway. */
    void delayWrite(String method) throws InterruptedException {
        if (!"GET".equals(method) && take(writeHangsLeft)) {
            Thread.sleep(writeHang.toMillis());
        }
    }

    void latency(Duration duration) {
        latency.set(duration);
    }

    void reset() {
        latency.set(Duration.ZERO);
        failuresLeft.set(0);
        hangsLeft.set(0);
        writeHangsLeft.set(0);
        retryAfter = null;
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
