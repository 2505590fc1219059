package io.q2chub.connector.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.q2chub.canonical.CanonicalJson;
import io.q2chub.ops.failure.PoisonFailure;
import java.io.IOException;

/** The verified webhook body as JSON, for the beans that turn Stripe events into canonical ones. */
final class StripeEventJson {

    private static final ObjectMapper JSON = CanonicalJson.mapper();

    private StripeEventJson() {
    }

    /** A body that is not JSON cannot get better on a retry: poison. */
    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new PoisonFailure(StripeFailures.SYSTEM, "MALFORMED_EVENT", "Stripe event is not JSON", e);
        }
    }
}
