package io.q2chub.ops;

import static io.q2chub.testing.CanonicalSamples.customer;
import static io.q2chub.testing.CanonicalSamples.customerChangedHeaders;
import static io.q2chub.testing.CanonicalSamples.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;

/**
 * When the dead-letter path itself fails, the record must not be acknowledged: the consumer rewinds, the
 * idempotency key is released, and the record is processed when it comes again. Own profile: the routes are
 * advised, so they must not be shared with other tests.
 */
@QuarkusTest
@TestProfile(DeadLetterOutageTest.AdvisedRoutes.class)
@QuarkusTestResource(HubTestServices.class)
class DeadLetterOutageTest {

    public static class AdvisedRoutes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("q2c.consumer.group-prefix", "q2c-dlq-outage");
        }
    }

    @Inject
    CamelContext camel;

    @Inject
    AgroalDataSource db;

    @Test
    void recordWhoseDeadLetterWriteFailsIsNotLostAndIsProcessedOnceWhenRetried() throws Exception {
        String eventId = newId("evt");
        String customerId = newId("cust");
        AtomicInteger processingAttempts = new AtomicInteger();
        AtomicInteger deadLetterWrites = new AtomicInteger();

        AdviceWith.adviceWith(camel, "transaction-ledger", route -> route.weaveById("record-milestone").before()
                .process(exchange -> {
                    if (eventId.equals(exchange.getMessage().getHeader("ce_id"))
                            && processingAttempts.incrementAndGet() == 1) {
                        throw new BusinessFailure("hub", "TEST_FAILURE", "fails once, after the idempotency claim");
                    }
                }));
        AdviceWith.adviceWith(camel, "dead-letter", route -> route.weaveById("write-dead-letter-topic").before()
                .process(exchange -> {
                    if (eventId.equals(exchange.getMessage().getHeader("ce_id"))
                            && deadLetterWrites.incrementAndGet() == 1) {
                        throw new IllegalStateException("dead-letter topic unavailable");
                    }
                }));

        KafkaTestClient.send("q2c.customer.v1", null, customerId, customer(customerId, "Stark Industries"),
                customerChangedHeaders(eventId, customerId));

        await().atMost(Duration.ofSeconds(45)).until(() -> count("SELECT count(*) FROM ledger_milestone WHERE event_id = ?", eventId) == 1);
        assertThat(processingAttempts.get()).isEqualTo(2);
        assertThat(deadLetterWrites.get()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM idempotency_key WHERE message_key = ? AND status = 'DONE'", eventId)).isEqualTo(1);
        assertThat(KafkaTestClient.readAll("q2c.deadletter.v1"))
                .noneMatch(r -> eventId.equals(KafkaTestClient.header(r, "ce_id")));
    }

    private long count(String sql, String param) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
