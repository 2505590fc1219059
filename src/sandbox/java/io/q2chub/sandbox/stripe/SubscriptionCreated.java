package io.q2chub.sandbox.stripe;

import java.util.Map;

/**
 * Called when the simulator creates a subscription, inside the create request, with the subscription as answered.
 * Stripe opens and finalizes the first invoice of a subscription at this moment: invoice support plugs in here
 * (and may return the invoice id, which becomes the subscription's {@code latest_invoice}).
 */
@FunctionalInterface
public interface SubscriptionCreated {

    /** @return the id of the first invoice created for the subscription, or null when none was */
    String created(Map<String, Object> subscription);
}
