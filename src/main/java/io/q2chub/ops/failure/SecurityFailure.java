package io.q2chub.ops.failure;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Authentication or signature failed; the payload is not kept. */
@RegisterForReflection
public class SecurityFailure extends IntegrationFailure {
    public SecurityFailure(String system, String errorCode, String message) {
        super(system, errorCode, message, null);
    }

    public SecurityFailure(String system, String errorCode, String message, Throwable cause) {
        super(system, errorCode, message, cause);
    }

    @Override
    public FailureClass failureClass() {
        return FailureClass.SECURITY;
    }
}
