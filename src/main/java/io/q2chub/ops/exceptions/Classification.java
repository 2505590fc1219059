package io.q2chub.ops.exceptions;

import io.q2chub.ops.failure.FailureClass;

/** What the hub concluded about one failure: its class, where it came from, and the target's own words. */
public record Classification(FailureClass failureClass, String system, String errorCode, String message) {
}
