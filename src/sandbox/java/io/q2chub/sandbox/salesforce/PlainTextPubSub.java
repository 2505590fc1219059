package io.q2chub.sandbox.salesforce;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.Service;
import org.apache.camel.component.salesforce.PubSubApiConsumer;
import org.apache.camel.support.LifecycleStrategySupport;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Lets the hub's Pub/Sub consumers talk plain-text gRPC to the simulator. The component insists on TLS unless the
 * consumer is told otherwise, and only code can tell it; a lifecycle strategy sees the consumer before it starts.
 * Sandbox only (the production build has no such switch), and only with q2c.sandbox.salesforce.plain-text-pub-sub.
 */
@ApplicationScoped
@Named("plainTextPubSub")
public class PlainTextPubSub extends LifecycleStrategySupport {

    private final boolean enabled;

    public PlainTextPubSub(@ConfigProperty(name = "q2c.sandbox.salesforce.plain-text-pub-sub", defaultValue = "false") boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public void onServiceAdd(CamelContext context, Service service, Route route) {
        if (enabled && service instanceof PubSubApiConsumer consumer) {
            consumer.setUsePlainTextConnection(true);
        }
    }
}
