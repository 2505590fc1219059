package io.q2chub.ops.notify;

/**
 * What a notification may say about a new exception case: where it failed and how, never the payload or the
 * error message (both may carry customer data). The business key is a system identifier (account id, invoice
 * number) that lets a person find the record; q2c.notify.include-business-key=false leaves it out.
 */
public record NewCase(long id, String failureClass, String capability, String system, String errorCode, String team,
        String businessKey) {
}
