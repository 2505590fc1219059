package io.q2chub.ops.exceptions;

/**
 * Fired (CDI event, synchronously) each time the dead-letter path parks a record, so that a capability can count
 * its own failed outcomes without the exception machinery knowing any capability.
 *
 * @param capability the route id the record came in through
 * @param failureClass TRANSIENT, BUSINESS, POISON or SECURITY
 */
public record RecordParked(String capability, String failureClass, String errorCode) {
}
