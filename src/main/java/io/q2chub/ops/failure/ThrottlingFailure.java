package io.q2chub.ops.failure;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;

/**
 * The target refused for lack of capacity (NetSuite SSS_REQUEST_LIMIT_EXCEEDED, HTTP 429): nothing is wrong with
 * the message, it only has to wait. The shared error handler backs off and retries it without a limit on the
 * number of attempts, so throttling never parks a message.
 */
@RegisterForReflection
public class ThrottlingFailure extends TransientFailure {
    public ThrottlingFailure(String system, String errorCode, String message) {
        super(system, errorCode, message);
    }

    public ThrottlingFailure(String system, String errorCode, String message, Throwable cause, Duration retryAfter) {
        super(system, errorCode, message, cause, retryAfter);
    }
}
