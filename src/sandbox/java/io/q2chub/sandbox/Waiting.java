package io.q2chub.sandbox;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * How the demo waits for the hub: on state it can observe in the simulators, checked every quarter second, with a
 * deadline, never for a fixed time. (Tests use Awaitility; the sandbox ships without test libraries.)
 */
final class Waiting {

    private static final long POLL_MILLIS = 250;

    private Waiting() {
    }

    /** Returns once {@code condition} holds; throws naming {@code what} when it still does not after {@code patience}. */
    static void until(String what, Duration patience, BooleanSupplier condition) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("demo: " + what + " did not happen within " + patience.toSeconds() + " s");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("demo: interrupted while waiting for " + what, e);
            }
        }
    }
}
