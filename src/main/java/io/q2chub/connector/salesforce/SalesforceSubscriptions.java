package io.q2chub.connector.salesforce;

import com.salesforce.eventbus.protobuf.ReplayPreset;
import io.micrometer.core.instrument.MeterRegistry;
import io.q2chub.ops.replay.ReplayPositions;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.Service;
import org.apache.camel.component.salesforce.PubSubApiConsumer;
import org.apache.camel.component.salesforce.SalesforceEndpoint;
import org.apache.camel.component.salesforce.internal.OperationName;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.LoggingExceptionHandler;
import org.jboss.logging.Logger;

/**
 * Makes every Salesforce Pub/Sub subscription resume where the hub left it. Camel main registers lifecycle
 * strategies found in the registry; this one sees each endpoint before its consumer is built and turns a stored
 * position into replayPreset=CUSTOM + pubSubReplayId, so a route file does not have to know the replay id (it
 * lives in PostgreSQL, not in configuration). Without a stored position the preset of the route applies.
 *
 * <p>It also gives each Pub/Sub consumer the exception handler that turns a refused replay id into an alert and a
 * re-sync request: the component reports that case only to the consumer's exception handler.
 */
@ApplicationScoped
@Named("salesforceSubscriptions")
@RegisterForReflection
public class SalesforceSubscriptions extends LifecycleStrategySupport {

    private static final Logger LOG = Logger.getLogger(SalesforceSubscriptions.class);
    static final String SUBSCRIPTION_PREFIX = "salesforce:";

    private final ReplayPositions positions;
    private final MeterRegistry metrics;

    public SalesforceSubscriptions(ReplayPositions positions, MeterRegistry metrics) {
        this.positions = positions;
        this.metrics = metrics;
    }

    /** The key of a subscription in crm_replay_position: one position per Salesforce topic. */
    public static String subscriptionOf(Endpoint endpoint) {
        return SUBSCRIPTION_PREFIX + ((SalesforceEndpoint) endpoint).getTopicName();
    }

    /**
     * Makes the next consumer built on this endpoint (at the next start of its route) subscribe at LATEST. Only for
     * the re-sync, after it published its snapshot: the stored position has been refused and discarded.
     */
    static void startFromLatest(Endpoint endpoint) {
        SalesforceEndpoint salesforce = (SalesforceEndpoint) endpoint;
        salesforce.getConfiguration().setReplayPreset(ReplayPreset.LATEST);
        salesforce.setPubSubReplayId(null);
    }

    /**
     * Route step, after the event is on the bus: a restart of the hub resumes after this event. The running
     * consumer is told too, so that stopping and starting the route in this JVM resumes here as well (it keeps the
     * replay id it was built with otherwise); that works once the subscription runs with replayPreset=CUSTOM.
     */
    public void storePosition(Exchange exchange) {
        String replayId = exchange.getMessage().getHeader("CamelSalesforcePubSubReplayId", String.class);
        if (replayId != null) {
            positions.store(subscriptionOf(exchange.getFromEndpoint()), replayId);
            Route route = exchange.getContext().getRoute(exchange.getFromRouteId());
            if (route != null && route.getConsumer() instanceof PubSubApiConsumer consumer && isCustom(consumer.getEndpoint())) {
                consumer.updateInitialReplayId(replayId);
            }
        }
    }

    @Override
    public void onEndpointAdd(Endpoint endpoint) {
        if (!isSubscription(endpoint)) {
            return;
        }
        SalesforceEndpoint salesforce = (SalesforceEndpoint) endpoint;
        String subscription = subscriptionOf(endpoint);
        Optional<String> stored = positions.position(subscription);
        if (stored.isPresent()) {
            salesforce.getConfiguration().setReplayPreset(ReplayPreset.CUSTOM);
            salesforce.setPubSubReplayId(stored.get());
            LOG.infof("%s resumes after stored replay id %s", subscription, stored.get());
        } else {
            LOG.infof("%s has no stored position: starting at %s", subscription, salesforce.getConfiguration().getReplayPreset());
        }
        // Falling back to LATEST would silently skip every event between the stored id and now.
        salesforce.getConfiguration().setFallbackToLatestReplayId(false);
    }

    @Override
    public void onServiceAdd(CamelContext context, Service service, Route route) {
        if (service instanceof PubSubApiConsumer consumer) {
            // A route reloaded from its file gets a new consumer on the cached endpoint: resume from the stored
            // position, not from the one the endpoint was created with.
            if (isCustom(consumer.getEndpoint())) {
                positions.position(subscriptionOf(consumer.getEndpoint())).ifPresent(consumer::updateInitialReplayId);
            }
            ExceptionHandler others = consumer.getExceptionHandler() != null ? consumer.getExceptionHandler()
                    : new LoggingExceptionHandler(context, PubSubApiConsumer.class);
            consumer.setExceptionHandler(new ReplayRejection(subscriptionOf(consumer.getEndpoint()), positions, metrics, others));
        }
    }

    private static boolean isCustom(Endpoint endpoint) {
        return ((SalesforceEndpoint) endpoint).getConfiguration().getReplayPreset() == ReplayPreset.CUSTOM;
    }

    static boolean isSubscription(Endpoint endpoint) {
        return endpoint instanceof SalesforceEndpoint salesforce
                && salesforce.getOperationName() == OperationName.PUBSUB_SUBSCRIBE;
    }
}
