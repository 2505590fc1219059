package io.q2chub.sandbox.stripe;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Saved results of POSTs that carried an {@code Idempotency-Key}, as Stripe keeps them: the first result for a
 * key is replayed for the same parameters and refused for different ones. Stripe prunes keys after 24 hours;
 * {@link #expireAll()} stands in for that pruning so a test can show what a late retry meets.
 */
final class IdempotencyKeys {

    static final Duration RETENTION = Duration.ofHours(24);

    /** A result as first answered, and what it answered: method, path and parameters. */
    record Saved(String fingerprint, int status, String body, Instant savedAt) {
    }

    private final Map<String, Saved> saved = new ConcurrentHashMap<>();
    // Keys whose first request is still running: Stripe answers a concurrent second request with 409.
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();

    Saved find(String key) {
        Saved result = saved.get(key);
        if (result != null && result.savedAt().plus(RETENTION).isBefore(Instant.now())) {
            saved.remove(key);
            return null;
        }
        return result;
    }

    boolean begin(String key) {
        return inFlight.putIfAbsent(key, Boolean.TRUE) == null;
    }

    void finish(String key) {
        inFlight.remove(key);
    }

    void save(String key, String fingerprint, int status, String body) {
        saved.putIfAbsent(key, new Saved(fingerprint, status, body, Instant.now()));
    }

    void expireAll() {
        saved.clear();
    }
}
