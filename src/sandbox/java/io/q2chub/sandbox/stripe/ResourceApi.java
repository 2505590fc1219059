package io.q2chub.sandbox.stripe;

/**
 * A group of Stripe endpoints beyond customers (prices, subscriptions, ...): each recognises its own paths, so the
 * simulator registers one per resource and passes it the requests it claims, behind the same authentication,
 * rate limit, fault injection and idempotency keys as customers.
 */
interface ResourceApi {

    /** The operation of a request, e.g. {@code prices.create}, or null when the path is not this resource's. */
    Operation operation(String method, String path);

    /** Executes a recognised operation. */
    Answer call(Operation operation, FormParams params);

    /** A recognised request: its operation name (counted by the simulator) and the id in its path, if any. */
    record Operation(String name, String id) {
    }
}
