package io.q2chub.ops;

import static io.q2chub.testing.CanonicalSamples.customer;
import static io.q2chub.testing.CanonicalSamples.customerChangedHeaders;
import static io.q2chub.testing.CanonicalSamples.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.ThrottlingFailure;
import io.q2chub.ops.failure.TransientFailure;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.KafkaTestClient;
import io.q2chub.testing.Sql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The shared failure path on the real routes: transient failures retried, what outlives its retries parked, and a
 * dead-letter path that itself fails leaving the record uncommitted so it comes again. Faults are injected by
 * advising the real routes at their step ids, for the test's own events only; the profile keeps these advised
 * routes away from other tests.
 */
@QuarkusTest
@TestProfile(FailurePathTest.AdvisedRoutes.class)
// The dead-letter outage rewinds its partition to the last committed offset, so earlier records of the class
// come again (deduplicated or parked again, as they should). It runs last so that no attempt count is disturbed.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@QuarkusTestResource(HubTestServices.class)
class FailurePathTest {

    public static class AdvisedRoutes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // One consumer thread: no rebalance mid-test hands a record to a second thread, so attempts are exact.
            return Map.of("q2c.consumer.group-prefix", "q2c-failure-path", "q2c.ledger.consumers", "1");
        }
    }

    /** Per event id: what the n-th attempt (1-based) of a step throws, or null to pass. */
    private static final Map<String, IntFunction<RuntimeException>> PROCESSING_FAULTS = new ConcurrentHashMap<>();
    private static final Map<String, IntFunction<RuntimeException>> DEAD_LETTER_FAULTS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> PROCESSING_ATTEMPTS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> DEAD_LETTER_ATTEMPTS = new ConcurrentHashMap<>();
    private static volatile boolean advised;

    @Inject
    CamelContext camel;

    @Inject
    AgroalDataSource db;

    @BeforeEach
    void adviseOnce() throws Exception {
        if (advised) {
            return;
        }
        AdviceWith.adviceWith(camel, "transaction-ledger", route -> route.weaveById("record-milestone").before()
                .process(exchange -> inject(exchange, PROCESSING_FAULTS, PROCESSING_ATTEMPTS)));
        AdviceWith.adviceWith(camel, "dead-letter", route -> route.weaveById("write-dead-letter-topic").before()
                .process(exchange -> inject(exchange, DEAD_LETTER_FAULTS, DEAD_LETTER_ATTEMPTS)));
        advised = true;
    }

    private static void inject(Exchange exchange, Map<String, IntFunction<RuntimeException>> faults,
            Map<String, AtomicInteger> attempts) {
        // Other capabilities consume the same events (and reach the dead-letter route too); only the ledger's are faulted.
        if (!"transaction-ledger".equals(exchange.getFromRouteId())) {
            return;
        }
        String eventId = exchange.getMessage().getHeader("ce_id", String.class);
        IntFunction<RuntimeException> fault = eventId == null ? null : faults.get(eventId);
        if (fault != null) {
            RuntimeException failure = fault.apply(attempts.computeIfAbsent(eventId, k -> new AtomicInteger()).incrementAndGet());
            if (failure != null) {
                throw failure;
            }
        }
    }

    @Test
    void transientFailureIsRetriedWithBackoffAndNotParked() {
        String eventId = newId("evt");
        // The test profile allows 2 redeliveries: attempts 1 and 2 time out, attempt 3 gets through.
        PROCESSING_FAULTS.put(eventId, attempt -> attempt <= 2
                ? new TransientFailure("erp", "TIMEOUT", "read timed out") : null);
        send(eventId);

        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM ledger_milestone WHERE event_id = ?", eventId) == 1);
        assertThat(PROCESSING_ATTEMPTS.get(eventId)).hasValue(3);
        assertThat(count("SELECT count(*) FROM exception_case WHERE event_id = ? AND capability = 'transaction-ledger'", eventId)).isZero();
    }

    @Test
    void throttlingIsWaitedOutBeyondTheTransientRetryLimitAndNeverParked() {
        String eventId = newId("evt");
        // Six throttling answers: three times what a plain transient failure may have in this profile.
        PROCESSING_FAULTS.put(eventId, attempt -> attempt <= 6
                ? new ThrottlingFailure("erp", "SSS_REQUEST_LIMIT_EXCEEDED", "request blocked by the concurrency limit") : null);
        send(eventId);

        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM ledger_milestone WHERE event_id = ?", eventId) == 1);
        assertThat(PROCESSING_ATTEMPTS.get(eventId)).hasValue(7);
        assertThat(count("SELECT count(*) FROM exception_case WHERE event_id = ? AND capability = 'transaction-ledger'", eventId)).isZero();
    }

    @Test
    void transientFailureThatOutlivesItsRetriesIsParkedAsTransient() {
        String eventId = newId("evt");
        PROCESSING_FAULTS.put(eventId, attempt -> new TransientFailure("erp", "HTTP_503", "service unavailable"));
        send(eventId);

        ConsumerRecord<String, byte[]> dead = awaitDeadLetter(eventId);
        assertThat(KafkaTestClient.header(dead, "q2c-error-class")).isEqualTo("TRANSIENT");
        assertThat(KafkaTestClient.header(dead, "q2c-error-system")).isEqualTo("erp");
        assertThat(PROCESSING_ATTEMPTS.get(eventId)).hasValue(3);
        assertThat(count("SELECT count(*) FROM exception_case WHERE event_id = ? AND failure_class = 'TRANSIENT' AND capability = 'transaction-ledger'", eventId)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM ledger_milestone WHERE event_id = ?", eventId)).isZero();
    }

    @Test
    void businessFailureIsParkedAtOnceWithoutRetries() {
        String eventId = newId("evt");
        PROCESSING_FAULTS.put(eventId, attempt -> new BusinessFailure("erp", "UNKNOWN_ITEM", "item PLATFORM-X is not mapped"));
        send(eventId);

        ConsumerRecord<String, byte[]> dead = awaitDeadLetter(eventId);
        assertThat(KafkaTestClient.header(dead, "q2c-error-code")).isEqualTo("UNKNOWN_ITEM");
        assertThat(KafkaTestClient.header(dead, "q2c-error-message")).isEqualTo("item PLATFORM-X is not mapped");
        assertThat(PROCESSING_ATTEMPTS.get(eventId)).hasValue(1);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void recordWhoseDeadLetterWriteFailsIsNotLostAndIsProcessedOnceWhenItComesAgain() {
        String eventId = newId("evt");
        PROCESSING_FAULTS.put(eventId, attempt -> attempt == 1
                ? new BusinessFailure("hub", "TEST_FAILURE", "fails once, after the idempotency claim") : null);
        DEAD_LETTER_FAULTS.put(eventId, attempt -> attempt == 1 ? new IllegalStateException("dead-letter topic unavailable") : null);
        send(eventId);

        await().atMost(Duration.ofSeconds(45)).until(() -> count("SELECT count(*) FROM ledger_milestone WHERE event_id = ?", eventId) == 1);
        assertThat(PROCESSING_ATTEMPTS.get(eventId)).hasValue(2);
        assertThat(DEAD_LETTER_ATTEMPTS.get(eventId)).hasValue(1);
        // The key is marked DONE when the route completes, just after its ledger step has written the milestone.
        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("SELECT count(*) FROM idempotency_key WHERE message_key = ? AND status = 'DONE'", eventId) == 1);
        assertThat(KafkaTestClient.readAll("q2c.deadletter.v1"))
                .noneMatch(r -> eventId.equals(KafkaTestClient.header(r, "ce_id"))
                        && "transaction-ledger".equals(KafkaTestClient.header(r, "q2c-failed-consumer")));
    }

    private static void send(String eventId) {
        String customerId = newId("cust");
        KafkaTestClient.send("q2c.customer.v1", null, customerId, customer(customerId, "Stark Industries"),
                customerChangedHeaders(eventId, customerId));
    }

    private static ConsumerRecord<String, byte[]> awaitDeadLetter(String eventId) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> KafkaTestClient.readAll("q2c.deadletter.v1").stream()
                        .filter(r -> eventId.equals(KafkaTestClient.header(r, "ce_id")))
                        .filter(r -> "transaction-ledger".equals(KafkaTestClient.header(r, "q2c-failed-consumer"))).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    private long count(String sql, String param) {
        return Sql.count(db, sql, param);
    }
}
