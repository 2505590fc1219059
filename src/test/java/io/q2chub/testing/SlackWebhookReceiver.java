package io.q2chub.testing;

import io.q2chub.sandbox.SandboxSimulators;
import io.q2chub.sandbox.slack.SlackWebhookSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the Slack webhook simulator and points the hub's notifications at it. Init args are passed on as hub
 * settings, except {@code team-webhook:<team>}, which gives that team its own webhook (path /services/T00SANDBOX/
 * &lt;value&gt;/...). Tests receive the simulator in a field annotated {@link Receiver}.
 */
public class SlackWebhookReceiver implements QuarkusTestResourceLifecycleManager {

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Receiver {
    }

    private final Map<String, String> args = new HashMap<>();
    private SlackWebhookSimulator slack;

    @Override
    public void init(Map<String, String> initArgs) {
        args.putAll(initArgs);
    }

    @Override
    public Map<String, String> start() {
        slack = SlackWebhookSimulator.start();
        Map<String, String> config = new HashMap<>(SandboxSimulators.slack(slack));
        args.forEach((name, value) -> {
            if (name.startsWith("team-webhook:")) {
                config.put("q2c.notify.team." + name.substring("team-webhook:".length()) + ".webhook-url", slack.webhookUrl(value));
            } else {
                config.put(name, value);
            }
        });
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(slack, new TestInjector.AnnotatedAndMatchesType(Receiver.class, SlackWebhookSimulator.class));
    }

    @Override
    public void stop() {
        if (slack != null) {
            slack.close();
        }
    }
}
