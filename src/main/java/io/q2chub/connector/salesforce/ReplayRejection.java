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
 * to LATEST: it alerts (ERROR log and the counter {@code q2c.crm.replay.rejected}) and records a re-sync request.
 * The component keeps retrying the subscription with backoff, so the alert repeats until someone acts.
 */
final class ReplayRejection implements ExceptionHandler {

    private static final Logger LOG = Logger.getLogger(ReplayRejection.class);
    static final String COUNTER = "q2c.crm.replay.rejected";

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
                + "does not skip ahead to LATEST on its own.", rejected.getReplayId(), subscription);
        try {
            positions.requestResync(subscription, rejected.getReplayId(), "replay id rejected by Salesforce");
        } catch (RuntimeException e) {
            LOG.errorf(e, "the re-sync request for %s could not be recorded", subscription);
        }
    }
}
