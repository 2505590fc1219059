package io.q2chub.capability.invoicing;

import io.micrometer.core.instrument.MeterRegistry;
import io.q2chub.ops.exceptions.RecordParked;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Counts how each billing document that invoice posting takes on ends: posted to the ERP, or parked as an exception
 * case. posted / (posted + parked) is the exact posting success rate; the route's exchange count is not, because
 * it also reads the invoice.posted records it skips. A parked document that is replayed and then posts counts once
 * in each outcome: the rate is one of posting attempts that ended, not of distinct documents.
 */
@ApplicationScoped
public class PostingOutcomes {

    /** The route id of invoice-posting.camel.yaml: what the dead-letter path names as capability. */
    static final String CAPABILITY = "invoice-posting";
    static final String METER = "q2c.invoice.postings";

    private final MeterRegistry metrics;

    public PostingOutcomes(MeterRegistry metrics) {
        this.metrics = metrics;
        // Both series exist from the start, so a rate over them is defined before the first failure.
        metrics.counter(METER, "outcome", "posted");
        metrics.counter(METER, "outcome", "parked");
    }

    void posted() {
        metrics.counter(METER, "outcome", "posted").increment();
    }

    void parked(@Observes RecordParked parked) {
        if (CAPABILITY.equals(parked.capability())) {
            metrics.counter(METER, "outcome", "parked").increment();
        }
    }
}
