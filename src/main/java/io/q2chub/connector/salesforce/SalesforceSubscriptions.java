package io.q2chub.connector.salesforce;

import com.salesforce.eventbus.protobuf.ReplayPreset;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.q2chub.ops.replay.ReplayPositions;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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

    /** Exchange property: ChangeEventHeader.commitTimestamp (epoch ms) of the event being consumed. */
    static final String COMMIT_TIMESTAMP = "q2c-crm-commit-timestamp";
    static final String REPLAY_LAG = "q2c.crm.replay.lag";

    private final ReplayPositions positions;
    private final MeterRegistry metrics;
    /** Per subscription: when Salesforce committed the event at the stored position (epoch ms). */
    private final Map<String, Long> positionCommittedAt = new ConcurrentHashMap<>();

    public SalesforceSubscriptions(ReplayPositions positions, MeterRegistry metrics) {
        this.positions = positions;
        this.metrics = metrics;
        // The registry can outlive this bean (a restart in one JVM, as in tests): replace an earlier start's gauges.
        metrics.find(REPLAY_LAG).meters().forEach(metrics::remove);
    }

    /** Called by the event mappers: remembers when Salesforce committed the change the exchange carries. */
    static void noteCommitTime(Exchange exchange, JsonNode changeEventHeader) {
        JsonNode committed = changeEventHeader.path("commitTimestamp");
        if (committed.canConvertToLong()) {
            exchange.setProperty(COMMIT_TIMESTAMP, committed.asLong());
        }
    }

    /**
     * Replay lag of a subscription: now minus the commit time of the event at its stored position, in seconds.
     * It grows while nothing is consumed, whether the stream is quiet or the hub is behind: what matters against
     * Salesforce's 72 h retention is how old the position is that a restart would resume from. Before the first
     * event after a start, the time the position was stored stands in for its commit time (a slightly lower age).
     * NaN while the subscription has no stored position.
     */
    double replayLagSeconds(String subscription) {
        Long committed = positionCommittedAt.get(subscription);
        return committed == null ? Double.NaN : Math.max(0, System.currentTimeMillis() - committed) / 1000.0;
    }

    private void watchLag(String subscription) {
        positions.storedAt(subscription).ifPresent(at -> positionCommittedAt.putIfAbsent(subscription, at.toEpochMilli()));
        if (metrics.find(REPLAY_LAG).tag("subscription", subscription).gauge() == null) {
            Gauge.builder(REPLAY_LAG, this, subscriptions -> subscriptions.replayLagSeconds(subscription))
                    .description("Seconds since Salesforce committed the event at the subscription's stored replay position")
                    .baseUnit("seconds").tag("subscription", subscription).register(metrics);
        }
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
            String subscription = subscriptionOf(exchange.getFromEndpoint());
            positions.store(subscription, replayId);
            Long committed = exchange.getProperty(COMMIT_TIMESTAMP, Long.class);
            positionCommittedAt.put(subscription, committed != null ? committed : System.currentTimeMillis());
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
        watchLag(subscription);
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
