package io.q2chub.ops.failure;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The message itself is unusable (unparseable or schema-invalid); it is parked with its raw bytes. */
@RegisterForReflection
public class PoisonFailure extends IntegrationFailure {
    public PoisonFailure(String system, String errorCode, String message) {
        super(system, errorCode, message, null);
    }

    public PoisonFailure(String system, String errorCode, String message, Throwable cause) {
        super(system, errorCode, message, cause);
    }

    @Override
    public FailureClass failureClass() {
        return FailureClass.POISON;
    }
}
