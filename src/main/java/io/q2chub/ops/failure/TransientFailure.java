package io.q2chub.ops.failure;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.util.Optional;

/** Retry later: the target was unavailable, slow or throttling. */
@RegisterForReflection
public class TransientFailure extends IntegrationFailure {
    private final Duration retryAfter;

    public TransientFailure(String system, String errorCode, String message) {
        this(system, errorCode, message, null, null);
    }

    public TransientFailure(String system, String errorCode, String message, Throwable cause) {
        this(system, errorCode, message, cause, null);
    }

    /** @param retryAfter how long the target asked us to wait (its Retry-After), or null when it did not say */
    public TransientFailure(String system, String errorCode, String message, Throwable cause, Duration retryAfter) {
        super(system, errorCode, message, cause);
        this.retryAfter = retryAfter;
    }

    /** The target's own Retry-After: the next redelivery waits exactly this long instead of the backoff. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public FailureClass failureClass() {
        return FailureClass.TRANSIENT;
    }
}
