package io.q2chub.ops.ledger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long quote-to-cash takes, as histograms: {@code q2c_quote_to_cash_seconds} (order booked → first payment of
 * the chain applied in the ERP) and {@code q2c_stage_seconds{stage}} per stage (booked_to_subscribed,
 * subscribed_to_invoiced, invoiced_to_posted, posted_to_paid, paid_to_applied). Times are business times: the
 * {@code ce_time} of the events, not when the ledger happened to read them.
 *
 * <p>Buckets span seconds to a quarter: a chain in the sandbox takes seconds, a real one days (invoice terms).
 */
@ApplicationScoped
public class QuoteToCashTimes {

    static final String QUOTE_TO_CASH = "q2c_quote_to_cash";
    static final String STAGE = "q2c_stage";
    private static final Duration[] BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6),
        Duration.ofDays(1), Duration.ofDays(3), Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(90)};

    private final MeterRegistry registry;
    private final Map<String, Timer> stages = new ConcurrentHashMap<>();
    private final Timer quoteToCash;

    public QuoteToCashTimes(MeterRegistry registry) {
        this.registry = registry;
        this.quoteToCash = Timer.builder(QUOTE_TO_CASH)
                .description("Order booked to its first payment applied in the ERP, per quote-to-cash chain")
                .serviceLevelObjectives(BUCKETS).register(registry);
        for (QuoteToCashStage stage : QuoteToCashStage.values()) {
            if (stage.stageFromPrevious() != null) {
                stage(stage.stageFromPrevious());
            }
        }
    }

    public void stage(QuoteToCashStage closed, OffsetDateTime from, OffsetDateTime to) {
        observe(stage(closed.stageFromPrevious()), from, to);
    }

    public void quoteToCash(OffsetDateTime booked, OffsetDateTime applied) {
        observe(quoteToCash, booked, applied);
    }

    /** Clocks of different systems stamp the events: a negative span says nothing about the stage, so it is skipped. */
    private static void observe(Timer timer, OffsetDateTime from, OffsetDateTime to) {
        Duration span = Duration.between(from, to);
        if (!span.isNegative()) {
            timer.record(span);
        }
    }

    private Timer stage(String name) {
        return stages.computeIfAbsent(name, n -> Timer.builder(STAGE).tag("stage", n)
                .description("Time a quote-to-cash chain spent in one stage, from one milestone to the next")
                .serviceLevelObjectives(BUCKETS).register(registry));
    }
}
