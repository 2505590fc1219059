package io.q2chub.ops.failure;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A failure the hub has already classified. The error code and the target's own message travel with it so the
 * exception case shows what the target said, not our paraphrase.
 */
@RegisterForReflection
public abstract class IntegrationFailure extends RuntimeException {
    private final String system;
    private final String errorCode;

    protected IntegrationFailure(String system, String errorCode, String message, Throwable cause) {
        super(message, cause);
        this.system = system;
        this.errorCode = errorCode;
    }

    public abstract FailureClass failureClass();

    /** The system the failure came from (e.g. "erp", "netsuite", "hub"). */
    public String system() {
        return system;
    }

    public String errorCode() {
        return errorCode;
    }
}
