package io.q2chub.ops.failure;

/** The four ways a failure can be treated; every failure leaving a capability is exactly one of them. */
public enum FailureClass {
    /** Timeouts, 5xx, 429, circuit open: wait and retry, never parked as a business error. */
    TRANSIENT,
    /** Validation, missing mapping, target rejected the data: parked until remediated. */
    BUSINESS,
    /** Unparseable or schema-invalid: parked with the raw bytes. */
    POISON,
    /** Bad signature or auth: rejected at the edge, counted, payload not kept. */
    SECURITY
}
