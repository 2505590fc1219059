package io.q2chub.sandbox.stripe;

import java.util.Map;

/** What the simulator holds for one customer, for tests asserting on what "Stripe" actually has. */
public record StoredCustomer(String id, String name, String email, String country, Map<String, String> metadata) {

    public StoredCustomer {
        metadata = Map.copyOf(metadata);
    }
}
