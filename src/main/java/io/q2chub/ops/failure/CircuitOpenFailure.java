package io.q2chub.ops.failure;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;

/**
 * The hub stopped calling a system because it kept failing (its circuit breaker is open). Nothing is wrong with
 * the message and nothing was sent: like throttling it is waited out, never parked, so an outage makes events
 * wait and drain afterwards instead of filling the exception inbox.
 */
@RegisterForReflection
public class CircuitOpenFailure extends ThrottlingFailure {
    public static final String CODE = "CIRCUIT_OPEN";

    public CircuitOpenFailure(String system, String message, Throwable cause, Duration retryAfter) {
        super(system, CODE, message, cause, retryAfter);
    }
}
