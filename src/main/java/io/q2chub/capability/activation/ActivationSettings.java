package io.q2chub.capability.activation;

import io.smallrye.config.ConfigMapping;
import java.util.List;

/**
 * What subscription activation checks before it starts billing.
 *
 * <pre>
 * q2c.activation.currencies=USD,EUR,GBP,JPY,KWD
 * </pre>
 */
@ConfigMapping(prefix = "q2c.activation")
public interface ActivationSettings {

    /**
     * Currencies the billing platform account is set up to charge in. A booked contract carries no legal entity,
     * so this is the one currency gate before billing; the customer's legal entity was checked at onboarding.
     */
    List<String> currencies();
}
