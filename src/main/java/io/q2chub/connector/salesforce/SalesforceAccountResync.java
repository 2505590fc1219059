package io.q2chub.connector.salesforce;

import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.replay.ReplayPositions;
import io.q2chub.ops.replay.ReplayPositions.ResyncRequest;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.q2chub.ops.tracing.TraceContext;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Closes the gap a re-sync request (crm_resync_request) stands for: every live Account is read through the REST
 * API and published as customer.changed, exactly as the ingress publishes a change; the onboarding pipeline is
 * idempotent (ERP upsert by external id, billing update), so unchanged accounts cost nothing but calls.
 *
 * <p>When the request comes from a refused replay id, the subscription is also moved on, in this order:
 * <ol>
 * <li>stop the routes consuming the subscription: their consumer retries the refused id forever otherwise;</li>
 * <li>read the snapshot and publish it;</li>
 * <li>only then forget the refused position and start the routes at LATEST. The order keeps the bus in time order
 * (no snapshot copy of an account published after a newer live change of it) and makes a crash before step 3
 * harmless: the request is still OPEN and the refused position still stored, so the next run starts over.</li>
 * </ol>
 * Changes made between the snapshot query and the new subscription are not seen until the account changes again:
 * the window is the time the snapshot takes to read and publish.
 *
 * <p>How the subscription restarts at LATEST: camel-salesforce 4.17 builds a new PubSubApiConsumer each time its
 * route starts (RouteService resets its set-up on stop), and the consumer takes replayPreset and pubSubReplayId from
 * the endpoint when it is built. So: stop the route, set the endpoint to LATEST without replay id, start the route.
 * Re-subscribing through the running consumer is not possible: its preset is final and its PubSubApiClient keeps
 * re-subscribing with the id it failed on.
 */
@ApplicationScoped
@Named("salesforceAccountResync")
@RegisterForReflection
public class SalesforceAccountResync {

    private static final Logger LOG = Logger.getLogger(SalesforceAccountResync.class);
    /** The change type the re-published accounts carry: consumers see why the event came. */
    public static final String RESYNC = "RESYNC";

    private final SalesforceCrm crm;
    private final SalesforceAccountEvents accounts;
    private final ReplayPositions positions;
    private final ProducerTemplate producer;
    private final CamelContext camel;
    private final String accountSubscription;

    public SalesforceAccountResync(SalesforceCrm crm, SalesforceAccountEvents accounts, ReplayPositions positions,
            ProducerTemplate producer, CamelContext camel,
            @ConfigProperty(name = "q2c.crm.salesforce.account-topic") String accountTopic) {
        this.accountSubscription = SalesforceSubscriptions.SUBSCRIPTION_PREFIX + accountTopic;
        this.crm = crm;
        this.accounts = accounts;
        this.positions = positions;
        this.producer = producer;
        this.camel = camel;
    }

    /** Route step (timer): carries out every open re-sync request; returns how many it completed. */
    public int runOpenRequests() {
        int done = 0;
        for (ResyncRequest request : positions.openResyncRequests()) {
            if (!request.subscription().equals(accountSubscription)) {
                // Another object's subscription: an Account snapshot would not close its gap.
                continue;
            }
            try {
                resync(request, routesConsuming(request.subscription()));
                done++;
            } catch (Exception e) {
                // Salesforce unavailable, budget spent, bus down: the next run tries again; one failure per request
                // is noted on it rather than parked once per attempt.
                LOG.errorf(e, "re-sync %d of %s failed; it stays open and is retried", request.id(), request.subscription());
                positions.resyncFailed(request.id(), String.valueOf(e.getMessage()));
            }
        }
        return done;
    }

    private void resync(ResyncRequest request, List<Route> consumers) throws Exception {
        boolean refused = request.reason().contains(ReplayRejection.REASON);
        if (refused) {
            for (Route route : consumers) {
                camel.getRouteController().stopRoute(route.getRouteId());
            }
        }
        int published;
        try {
            published = publishSnapshot(request);
        } catch (RuntimeException | SQLException e) {
            if (refused) {
                // Back as it was: the refusal keeps alerting and the request stays open for the next run.
                startAll(consumers);
            }
            throw e;
        }
        if (refused) {
            positions.discard(request.subscription());
            for (Route route : consumers) {
                SalesforceSubscriptions.startFromLatest(route.getEndpoint());
            }
            startAll(consumers);
        }
        positions.completeResync(request.id(), published);
        LOG.warnf("re-sync %d of %s done: %d account(s) re-published%s", request.id(), request.subscription(), published,
                refused ? "; the subscription continues from LATEST" : "");
    }

    private int publishSnapshot(ResyncRequest request) throws SQLException {
        List<Map<String, Object>> snapshot = crm.listAccounts(SalesforceAccountEvents.ACCOUNT_FIELDS);
        int published = 0;
        for (Map<String, Object> account : snapshot) {
            String accountId = String.valueOf(account.get("Id"));
            byte[] customer;
            try {
                customer = accounts.customerOf(account);
            } catch (BusinessFailure e) {
                // The ingress would park this account's change too; one bad record must not hold back the others.
                LOG.errorf("re-sync %d: Account %s not published: %s", request.id(), accountId, e.getMessage());
                continue;
            }
            Map<String, Object> headers = new HashMap<>();
            headers.put("ce_type", "q2c.customer.changed.v1");
            // Stable per request and account: a re-run of the same request is deduplicated downstream.
            headers.put("ce_id", "sf-resync-" + request.id() + "-" + accountId);
            headers.put(SalesforceAccountEvents.CHANGE_TYPE, RESYNC);
            Exchange done = producer.request("direct:publish-canonical-event", e -> {
                e.getMessage().setBody(customer);
                e.getMessage().getHeaders().putAll(headers);
                // the re-sync run's trace goes on through the bus, as an ingress event's does
                TraceContext.continueIn(e);
            });
            if (done.getException() != null) {
                // a failed publication must fail the run, leaving the request open
                throw CamelExecutionException.wrapCamelExecutionException(done, done.getException());
            }
            published++;
        }
        return published;
    }

    private void startAll(List<Route> routes) throws Exception {
        for (Route route : routes) {
            camel.getRouteController().startRoute(route.getRouteId());
        }
    }

    private List<Route> routesConsuming(String subscription) {
        return camel.getRoutes().stream()
                .filter(r -> SalesforceSubscriptions.isSubscription(r.getEndpoint()))
                .filter(r -> SalesforceSubscriptions.subscriptionOf(r.getEndpoint()).equals(subscription))
                .toList();
    }
}
