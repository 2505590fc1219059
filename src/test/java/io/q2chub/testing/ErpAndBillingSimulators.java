package io.q2chub.testing;

import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * Starts the NetSuite and Stripe simulators for a test and points the hub's connectors at them over HTTP. Tests
 * receive the running simulators in fields annotated {@link Simulator}, to assert what the systems now hold.
 */
public class ErpAndBillingSimulators implements QuarkusTestResourceLifecycleManager {

    /** Marks a test field that receives a running simulator (NetSuiteSimulator or StripeSimulator). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Simulator {
    }

    public static final String STRIPE_KEY = "sk_test_q2chubSandboxKey0001";
    // The limit of the account is deliberately below the connector's budget (5): throttling answers must be absorbed.
    static final int NETSUITE_CONCURRENCY_LIMIT = 3;

    private NetSuiteSimulator netsuite;
    private StripeSimulator stripe;

    @Override
    public Map<String, String> start() {
        NetSuiteSimulator.Settings account = NetSuiteSimulator.Settings.sandbox().withConcurrencyLimit(NETSUITE_CONCURRENCY_LIMIT);
        netsuite = NetSuiteSimulator.start(account);
        stripe = StripeSimulator.start(STRIPE_KEY, 1000);
        return Map.ofEntries(
                Map.entry("q2c.netsuite.base-url", netsuite.baseUrl()),
                Map.entry("q2c.netsuite.account-id", account.accountId()),
                Map.entry("q2c.netsuite.consumer-key", account.consumerKey()),
                Map.entry("q2c.netsuite.consumer-secret", account.consumerSecret()),
                Map.entry("q2c.netsuite.token-id", account.tokenId()),
                Map.entry("q2c.netsuite.token-secret", account.tokenSecret()),
                Map.entry("q2c.netsuite.subsidiaries", "US01=1,DE01=2,JP01=3,KW01=4,GB01=5"),
                Map.entry("q2c.netsuite.currencies", "USD=1,GBP=2,CAD=3,EUR=4,JPY=5,KWD=6"),
                Map.entry("q2c.stripe.api-key", STRIPE_KEY),
                Map.entry("q2c.stripe.api-base", stripe.baseUrl()));
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(netsuite, new TestInjector.AnnotatedAndMatchesType(Simulator.class, NetSuiteSimulator.class));
        injector.injectIntoFields(stripe, new TestInjector.AnnotatedAndMatchesType(Simulator.class, StripeSimulator.class));
    }

    @Override
    public void stop() {
        if (netsuite != null) {
            netsuite.close();
        }
        if (stripe != null) {
            stripe.close();
        }
    }
}
