package io.q2chub.sandbox.stripe;

/**
 * One response of the simulated API. {@code saveable} is false for answers given before the endpoint began to
 * execute (parameter validation): Stripe saves no idempotent result for those.
 */
record Answer(int status, Object json, boolean saveable) {

    static Answer ok(Object json) {
        return new Answer(200, json, true);
    }

    static Answer error(StripeError error) {
        return new Answer(error.status(), error.body(), true);
    }

    static Answer rejected(StripeError error) {
        return new Answer(error.status(), error.body(), false);
    }
}
