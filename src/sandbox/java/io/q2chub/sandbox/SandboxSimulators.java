package io.q2chub.sandbox;

import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.stripe.StripeSimulator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The vendor simulators of the embedded default, and the settings that point the hub's connectors at them. Tests
 * that start their own simulators use the same settings methods, so both wire the connectors the same way.
 */
public final class SandboxSimulators {

    public static final String STRIPE_KEY = "sk_test_q2chubSandboxKey0001";

    private SandboxSimulators() {
    }

    static Map<String, String> start(List<AutoCloseable> running) {
        NetSuiteSimulator.Settings account = NetSuiteSimulator.Settings.sandbox();
        NetSuiteSimulator netsuite = NetSuiteSimulator.start(account);
        running.add(netsuite);
        StripeSimulator stripe = StripeSimulator.start(STRIPE_KEY, StripeSimulator.TEST_MODE_OPS_PER_SECOND);
        running.add(stripe);
        Map<String, String> settings = new LinkedHashMap<>(netsuite(netsuite, account));
        settings.putAll(stripe(stripe, STRIPE_KEY));
        return settings;
    }

    /** Connector settings for a running NetSuite simulator (its sandbox account's subsidiaries and currencies). */
    public static Map<String, String> netsuite(NetSuiteSimulator simulator, NetSuiteSimulator.Settings account) {
        return Map.of(
                "q2c.netsuite.base-url", simulator.baseUrl(),
                "q2c.netsuite.account-id", account.accountId(),
                "q2c.netsuite.consumer-key", account.consumerKey(),
                "q2c.netsuite.consumer-secret", account.consumerSecret(),
                "q2c.netsuite.token-id", account.tokenId(),
                "q2c.netsuite.token-secret", account.tokenSecret(),
                "q2c.netsuite.subsidiaries", "US01=1,DE01=2,JP01=3,KW01=4,GB01=5",
                "q2c.netsuite.currencies", "USD=1,GBP=2,CAD=3,EUR=4,JPY=5,KWD=6");
    }

    /** Connector settings for a running Stripe simulator. */
    public static Map<String, String> stripe(StripeSimulator simulator, String apiKey) {
        return Map.of("q2c.stripe.api-key", apiKey, "q2c.stripe.api-base", simulator.baseUrl());
    }
}
