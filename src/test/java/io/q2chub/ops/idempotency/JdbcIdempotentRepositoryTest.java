package io.q2chub.ops.idempotency;

import static io.q2chub.testing.CanonicalSamples.newId;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.q2chub.ops.idempotency.JdbcIdempotentRepository.Claim;
import io.q2chub.testing.HubTestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The shared idempotent repository against the real PostgreSQL, as several replicas would use it. */
@QuarkusTest
@QuarkusTestResource(HubTestServices.class)
class JdbcIdempotentRepositoryTest {

    @Inject
    JdbcIdempotentRepository repository;

    @Inject
    AgroalDataSource db;

    @Test
    void oneOfManyRacingClaimsWins() throws Exception {
        String key = newId("evt");
        int racers = 12;
        CyclicBarrier start = new CyclicBarrier(racers);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Claim>> claims = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                claims.add(pool.submit((Callable<Claim>) () -> {
                    start.await();
                    return repository.claim("invoice-posting", key);
                }));
            }
            List<Claim> outcomes = new ArrayList<>();
            for (Future<Claim> claim : claims) {
                outcomes.add(claim.get());
            }
            assertThat(outcomes).containsOnlyOnce(Claim.CLAIMED);
            assertThat(outcomes).filteredOn(c -> c != Claim.CLAIMED).containsOnly(Claim.IN_PROGRESS);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aProcessedKeyIsADuplicateForItsConsumerOnly() {
        String key = newId("evt");
        assertThat(repository.claim("invoice-posting", key)).isEqualTo(Claim.CLAIMED);
        markDone("invoice-posting", key);

        assertThat(repository.claim("invoice-posting", key)).isEqualTo(Claim.DONE);
        assertThat(repository.claim("payment-reconciliation", key)).isEqualTo(Claim.CLAIMED);
    }

    @Test
    void aReleasedKeyCanBeClaimedAgain() {
        String key = newId("evt");
        assertThat(repository.claim("invoice-posting", key)).isEqualTo(Claim.CLAIMED);
        assertThat(repository.release("invoice-posting", key)).isTrue();
        assertThat(repository.claim("invoice-posting", key)).isEqualTo(Claim.CLAIMED);
    }

    @Test
    void aKeyOrphanedByACrashIsTakenOverOnceItsLeaseHasEnded() throws Exception {
        String key = newId("evt");
        assertThat(repository.claim("invoice-posting", key)).isEqualTo(Claim.CLAIMED);
        // The claimant died: nobody confirms or releases. Within the lease the key is someone else's...
        assertThat(repository.claim("invoice-posting", key)).isEqualTo(Claim.IN_PROGRESS);
        // ...after it (the test profile's lease is 5 s; move the claim back instead of waiting) it is taken over.
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE idempotency_key SET claimed_at = now() - interval '1 minute' WHERE consumer = ? AND message_key = ?")) {
            ps.setString(1, "invoice-posting");
            ps.setString(2, key);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(repository.claim("invoice-posting", key)).isEqualTo(Claim.CLAIMED);
        assertThat(repository.claim("invoice-posting", key)).isEqualTo(Claim.IN_PROGRESS);
    }

    @Test
    void aDoneKeyIsNeverTakenOverHoweverOld() throws Exception {
        String key = newId("evt");
        repository.claim("invoice-posting", key);
        markDone("invoice-posting", key);
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE idempotency_key SET claimed_at = now() - interval '30 days' WHERE message_key = ?")) {
            ps.setString(1, key);
            ps.executeUpdate();
        }
        assertThat(repository.claim("invoice-posting", key)).isEqualTo(Claim.DONE);
    }

    private void markDone(String consumer, String key) {
        assertThat(repository.confirm(consumer, key)).isTrue();
    }

    /** A second delivery of a message another consumer holds answers that one's outcome (webhook fault case 1). */
    @Test
    void aWaiterSeesTheOtherClaimsOutcomeDoneReleasedOrStillRunning() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            String done = newId("evt");
            repository.claim("stripe-webhook-ingress", done);
            Future<Boolean> waitingForDone = pool.submit(() -> repository.awaitDone("stripe-webhook-ingress", done,
                    java.time.Duration.ofSeconds(30)));
            markDone("stripe-webhook-ingress", done);
            assertThat(waitingForDone.get()).isTrue();

            String failed = newId("evt");
            repository.claim("stripe-webhook-ingress", failed);
            Future<Boolean> waitingForFailed = pool.submit(() -> repository.awaitDone("stripe-webhook-ingress",
                    failed, java.time.Duration.ofSeconds(30)));
            repository.release("stripe-webhook-ingress", failed);
            assertThat(waitingForFailed.get()).isFalse();

            String running = newId("evt");
            repository.claim("stripe-webhook-ingress", running);
            assertThat(repository.awaitDone("stripe-webhook-ingress", running, java.time.Duration.ofMillis(50)))
                    .isFalse();
        } finally {
            pool.shutdownNow();
        }
    }
}
