package io.q2chub.testing;

import io.q2chub.sandbox.SandboxSimulators;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the NetSuite and Stripe simulators for a test and points the hub's connectors at them over HTTP. Tests
 * receive the running simulators in fields annotated {@link Simulator}, to assert what the systems now hold.
 * Declared with {@code @WithTestResource(ErpAndBillingSimulators.class)}: consecutive test classes of the same
 * profile share one application and one pair of simulators (an application start costs ~10 s), so a test keys its
 * assertions on its own records; a class that needs simulators nobody else touched declares it with
 * restrictToAnnotatedClass = true and pays for its own start.
 */
public class ErpAndBillingSimulators implements QuarkusTestResourceLifecycleManager {

    /** Marks a test field that receives a running simulator (NetSuiteSimulator or StripeSimulator). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Simulator {
    }

    // The limit of the account is deliberately below the connector's budget (5): throttling answers must be absorbed.
    static final int NETSUITE_CONCURRENCY_LIMIT = 3;

    private NetSuiteSimulator netsuite;
    private StripeSimulator stripe;

    @Override
    public Map<String, String> start() {
        NetSuiteSimulator.Settings account = NetSuiteSimulator.Settings.sandbox().withConcurrencyLimit(NETSUITE_CONCURRENCY_LIMIT);
        netsuite = NetSuiteSimulator.start(account);
        stripe = StripeSimulator.start(SandboxSimulators.STRIPE_KEY, 1000);
        Map<String, String> config = new HashMap<>(SandboxSimulators.netsuite(netsuite, account));
        config.putAll(SandboxSimulators.stripe(stripe, SandboxSimulators.STRIPE_KEY));
        return config;
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
