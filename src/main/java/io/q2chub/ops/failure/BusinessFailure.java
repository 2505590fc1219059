package io.q2chub.ops.failure;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The data cannot be processed until someone fixes it (validation, missing mapping, rejected by the target). */
@RegisterForReflection
public class BusinessFailure extends IntegrationFailure {
    public BusinessFailure(String system, String errorCode, String message) {
        super(system, errorCode, message, null);
    }

    public BusinessFailure(String system, String errorCode, String message, Throwable cause) {
        super(system, errorCode, message, cause);
    }

    @Override
    public FailureClass failureClass() {
        return FailureClass.BUSINESS;
    }
}
