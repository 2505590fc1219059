package io.q2chub.ops.failure;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Retry later: the target was unavailable, slow or throttling. */
@RegisterForReflection
public class TransientFailure extends IntegrationFailure {
    public TransientFailure(String system, String errorCode, String message) {
        super(system, errorCode, message, null);
    }

    public TransientFailure(String system, String errorCode, String message, Throwable cause) {
        super(system, errorCode, message, cause);
    }

    @Override
    public FailureClass failureClass() {
        return FailureClass.TRANSIENT;
    }
}
