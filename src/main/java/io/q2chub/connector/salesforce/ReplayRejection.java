package io.q2chub.connector.salesforce;

import io.micrometer.core.instrument.MeterRegistry;
import io.q2chub.ops.replay.ReplayPositions;
import org.apache.camel.Exchange;
import org.apache.camel.component.salesforce.InvalidReplayIdException;
import org.apache.camel.spi.ExceptionHandler;
import org.jboss.logging.Logger;

/**
 * What the hub does when Salesforce refuses the stored replay id (expired after 72 hours, or corrupted): the
 * events since then can no longer be replayed, so the gap must be closed from the REST API. It never falls back
 * to LATEST on its own: it alerts (ERROR log and the counter {@code q2c.crm.replay.rejected}) and records a re-sync
 * request, and halts the subscription: retrying a refused id cannot succeed. {@link SalesforceAccountResync} publishes
 * the snapshot and then restarts the subscription at LATEST; if that fails, it restarts it as it was, so the refusal
 * (and the alert) comes again.
 */
final class ReplayRejection implements ExceptionHandler {

    private static final Logger LOG = Logger.getLogger(ReplayRejection.class);
    static final String COUNTER = "q2c.crm.replay.rejected";
    /** The reason of the re-sync requests raised here: the re-sync also moves the subscription on. */
    static final String REASON = "replay id rejected by Salesforce";

    private final String subscription;
    private final ReplayPositions positions;
    private final MeterRegistry metrics;
    private final ExceptionHandler others;

    ReplayRejection(String subscription, ReplayPositions positions, MeterRegistry metrics, ExceptionHandler others) {
        this.subscription = subscription;
        this.positions = positions;
        this.metrics = metrics;
        this.others = others;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (!(exception instanceof InvalidReplayIdException rejected)) {
            others.handleException(message, exchange, exception);
            return;
        }
        metrics.counter(COUNTER, "subscription", subscription).increment();
        LOG.errorf("Salesforce refused replay id %s of %s: events since then cannot be replayed. A re-sync of the "
                + "subscription's records from the REST API is requested (table crm_resync_request); the subscription "
                + "moves on to LATEST only after that snapshot is published.", rejected.getReplayId(), subscription);
        try {
            positions.requestResync(subscription, rejected.getReplayId(), REASON);
        } catch (RuntimeException e) {
            // Not recorded: let the component retry the refused id, so the refusal is seen (and recorded) again.
            LOG.errorf(e, "the re-sync request for %s could not be recorded", subscription);
            return;
        }
        // The component calls this handler from its gRPC observer and then re-subscribes with the same refused id,
        // forever. Throwing ends that loop (camel-salesforce 4.17 calls no retry after a throwing handler). Were it
        // left running, stopping the route for the re-sync would not end it either: the loop keeps re-subscribing
        // on the stopped client's closed channel. SalesforceAccountResync restarts the route once the gap is closed.
        throw new SubscriptionHalted(subscription);
    }

    /** Ends the component's re-subscribe loop on a refused replay id; gRPC logs it once as an executor warning. */
    static final class SubscriptionHalted extends RuntimeException {
        SubscriptionHalted(String subscription) {
            super(subscription + " halted on a refused replay id until its re-sync restarts it", null, false, false);
        }
    }
}
