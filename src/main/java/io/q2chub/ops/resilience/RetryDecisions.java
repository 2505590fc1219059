package io.q2chub.ops.resilience;

import io.q2chub.ops.failure.IntegrationFailure;
import io.q2chub.ops.failure.ThrottlingFailure;
import io.q2chub.ops.failure.TransientFailure;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The dead-letter channel's retryWhile decisions (routes/error-handling.camel.yaml). Throttling and an open
 * circuit are waited out; an ordinary transient failure is retried until the failing system's maximum retry
 * duration ({@code q2c.resilience.<system>.max-retry-duration}) or the attempt limit is spent, then parked. When
 * the target said how long to wait (Retry-After), the next redelivery waits exactly that long: Camel's
 * RedeliveryErrorHandler takes the delay from the {@code CamelRedeliveryDelay} header when one is set, and this
 * decision runs just before the delay is determined.
 */
@ApplicationScoped
@Named("retryDecisions")
@RegisterForReflection
public class RetryDecisions {

    static final String TRANSIENT_SINCE = "q2c-transient-since";
    static final String TRANSIENT_ATTEMPTS = "q2c-transient-attempts";
    static final String WAITS = "q2c-throttled-attempts";

    private final SystemGuards guards;
    private final int maxRedeliveries;
    private final int throttledMaxRedeliveries;
    private final Duration maxRetryAfter;

    public RetryDecisions(SystemGuards guards,
            @ConfigProperty(name = "q2c.retry.max-redeliveries") int maxRedeliveries,
            @ConfigProperty(name = "q2c.retry.throttled-max-redeliveries") int throttledMaxRedeliveries,
            @ConfigProperty(name = "q2c.resilience.max-retry-after") Duration maxRetryAfter) {
        this.guards = guards;
        this.maxRedeliveries = maxRedeliveries;
        this.throttledMaxRedeliveries = throttledMaxRedeliveries;
        this.maxRetryAfter = maxRetryAfter;
    }

    /** Throttling or an open circuit: the system is busy or known down, the message is fine. Wait. */
    public boolean waitOut(Exchange exchange) {
        Optional<IntegrationFailure> failure = failure(exchange);
        if (failure.isPresent() && !(failure.get() instanceof ThrottlingFailure)) {
            return retryTransient(exchange);
        }
        // time spent waiting out an outage is not the ordinary retry window: that starts afresh afterwards
        exchange.removeProperty(TRANSIENT_SINCE);
        exchange.removeProperty(TRANSIENT_ATTEMPTS);
        int waits = increment(exchange, WAITS);
        honourRetryAfter(exchange, failure);
        return throttledMaxRedeliveries < 0 || waits <= throttledMaxRedeliveries;
    }

    /** An ordinary transient failure: retried while both the attempts and the system's retry duration last. */
    public boolean retryTransient(Exchange exchange) {
        if (failure(exchange).filter(ThrottlingFailure.class::isInstance).isPresent()) {
            // Camel matches onException from the innermost cause up, so a CircuitOpenFailure caused by a 503 lands
            // here; the decision follows what was thrown, not which clause matched
            return waitOut(exchange);
        }
        long now = System.currentTimeMillis();
        long since = exchange.getProperty(TRANSIENT_SINCE, now, Long.class);
        exchange.setProperty(TRANSIENT_SINCE, since);
        int attempts = increment(exchange, TRANSIENT_ATTEMPTS);
        Optional<IntegrationFailure> failure = failure(exchange);
        Duration window = guards.maxRetryDuration(failure.map(IntegrationFailure::system).orElse("default"));
        boolean retry = (maxRedeliveries < 0 || attempts <= maxRedeliveries) && now - since < window.toMillis();
        if (retry) {
            honourRetryAfter(exchange, failure);
        }
        return retry;
    }

    private void honourRetryAfter(Exchange exchange, Optional<IntegrationFailure> failure) {
        Optional<Duration> asked = failure.filter(TransientFailure.class::isInstance).map(TransientFailure.class::cast)
                .flatMap(TransientFailure::retryAfter);
        if (asked.isPresent()) {
            // capped so a consumer never sleeps past its Kafka max.poll.interval.ms; it asks again afterwards
            Duration wait = asked.get().compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked.get();
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, Math.max(0, wait.toMillis()));
        } else {
            // a delay from an earlier failure must not stick: back to the policy's exponential backoff
            exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        }
    }

    private static int increment(Exchange exchange, String property) {
        int next = exchange.getProperty(property, 0, Integer.class) + 1;
        exchange.setProperty(property, next);
        return next;
    }

    private static Optional<IntegrationFailure> failure(Exchange exchange) {
        return causes(exchange).filter(IntegrationFailure.class::isInstance).map(IntegrationFailure.class::cast)
                .findFirst();
    }

    /** The exchange's failure (thrown, or caught by the error handler) and its causes, outermost first. */
    private static java.util.stream.Stream<Throwable> causes(Exchange exchange) {
        Throwable failure = exchange.getException();
        if (failure == null) {
            failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        return java.util.stream.Stream.iterate(failure, java.util.Objects::nonNull, Throwable::getCause);
    }

    /**
     * The hub's own database is unreachable (refused or cut connection, server shutting down, no connection to be
     * had from the pool): the message is fine and must wait, never be parked for it (fault case 18). Code that
     * wraps this in a TransientFailure (the idempotent repository) gets the same retry; this covers the SQL
     * exceptions that reach the dead-letter channel bare (cross-reference, outbox, ledger). Other SQL errors
     * (constraints, syntax) are defects and are parked as before.
     */
    public boolean databaseUnavailable(Exchange exchange) {
        return causes(exchange).anyMatch(t -> t instanceof java.sql.SQLException sql && connectionLost(sql));
    }

    private static boolean connectionLost(java.sql.SQLException e) {
        String state = e.getSQLState();
        // 08: connection exception; 57P01..03: administrator shutdown, crash shutdown, cannot connect now
        return e instanceof java.sql.SQLTransientConnectionException
                || state != null && (state.startsWith("08") || state.startsWith("57P"))
                || e.getCause() instanceof java.io.IOException
                // Agroal: the pool could not open or hand out a connection in time
                || String.valueOf(e.getMessage()).startsWith("Acquisition timeout");
    }
}
