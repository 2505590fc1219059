package io.q2chub.testing;

import io.q2chub.sandbox.salesforce.SalesforceSimulator;
import io.q2chub.sandbox.salesforce.Settings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * Starts the Salesforce simulator before the hub (the Salesforce consumers log in when Camel starts) and points
 * the hub's q2c.salesforce.* settings at it. Use it from a test profile that also activates the config profile
 * "salesforce"; tests get the simulator in a field annotated {@link Simulator}.
 */
public class SalesforceTestServices implements QuarkusTestResourceLifecycleManager {

    /** Marks the test field that receives the running simulator. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Simulator {
    }

    private SalesforceSimulator simulator;

    @Override
    public Map<String, String> start() {
        try {
            Settings settings = Settings.defaults();
            simulator = SalesforceSimulator.start(settings);
            return Map.of(
                    "q2c.salesforce.login-url", simulator.loginUrl(),
                    "q2c.salesforce.client-id", settings.clientId(),
                    "q2c.salesforce.client-secret", settings.clientSecret(),
                    "q2c.salesforce.pub-sub-host", simulator.pubSubHost(),
                    "q2c.salesforce.pub-sub-port", String.valueOf(simulator.pubSubPort()),
                    "q2c.sandbox.salesforce.plain-text-pub-sub", "true");
        } catch (Exception e) {
            throw new IllegalStateException("Salesforce simulator did not start", e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(simulator, new TestInjector.AnnotatedAndMatchesType(Simulator.class, SalesforceSimulator.class));
    }

    @Override
    public void stop() {
        try {
            if (simulator != null) {
                simulator.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
