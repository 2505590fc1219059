package io.q2chub.connector.netsuite;

import static io.q2chub.connector.netsuite.SandboxAccount.customer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.q2chub.ops.failure.ThrottlingFailure;
import io.q2chub.ops.failure.TransientFailure;
import io.q2chub.sandbox.netsuite.CustomerRecord;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** NetSuite's concurrency governance, outages and timeouts, as the connector classifies and absorbs them. */
class NetSuiteThrottlingTest {

    private NetSuiteSimulator simulator;
    private final ExecutorService callers = Executors.newFixedThreadPool(10);

    @AfterEach
    void stop() {
        callers.shutdownNow();
        simulator.close();
    }

    @Test
    void aStormAboveTheAccountLimitIsAbsorbedAndEveryCustomerWrittenOnce() {
        simulator = NetSuiteSimulator.start(SandboxAccount.ACCOUNT.withConcurrencyLimit(2));
        simulator.latency(Duration.ofMillis(100));
        NetSuiteErp erp = new NetSuiteErp(SandboxAccount.settings(simulator, 5, Duration.ofSeconds(5),
                SandboxAccount.ACCOUNT.tokenSecret()));

        List<String> ids = upsertConcurrently(erp, 10);

        assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(simulator.customers()).hasSize(10).allSatisfy(record -> assertThat(record.writes()).isOne());
        // five callers against a limit of two: NetSuite did refuse some, and none of it reached the caller
        assertThat(simulator.counts().throttled()).isPositive();
    }

    @Test
    void aBudgetWithinTheAccountLimitIsNeverThrottled() {
        simulator = NetSuiteSimulator.start(SandboxAccount.ACCOUNT.withConcurrencyLimit(2));
        simulator.latency(Duration.ofMillis(50));
        NetSuiteErp erp = new NetSuiteErp(SandboxAccount.settings(simulator, 2, Duration.ofSeconds(5),
                SandboxAccount.ACCOUNT.tokenSecret()));

        upsertConcurrently(erp, 10);

        assertThat(simulator.customers()).hasSize(10).allSatisfy(record -> assertThat(record.writes()).isOne());
        assertThat(simulator.counts().throttled()).isZero();
        assertThat(simulator.counts().requests()).isEqualTo(10);
    }

    @Test
    void a429IsRetriedInsideTheConnector() {
        simulator = NetSuiteSimulator.start(SandboxAccount.ACCOUNT);
        NetSuiteErp erp = new NetSuiteErp(SandboxAccount.settings(simulator));
        simulator.failNext(2, 429);

        erp.upsertCustomer(customer("c-1", "Acme", "US01", "USD"), "US01");

        assertThat(simulator.counts()).isEqualTo(new NetSuiteSimulator.Counts(3, 2, 0));
        assertThat(simulator.customer("c-1")).hasValueSatisfying(record -> assertThat(record.writes()).isOne());
    }

    @Test
    void throttlingThatOutlastsTheAttemptsIsAThrottlingFailureAfterABoundedNumberOfRequests() {
        simulator = NetSuiteSimulator.start(SandboxAccount.ACCOUNT);
        NetSuiteErp erp = new NetSuiteErp(SandboxAccount.withThrottleAttempts(SandboxAccount.settings(simulator), 4));
        simulator.failNext(1_000, 429);

        // A ThrottlingFailure: the route waits it out for as long as it takes instead of parking the event.
        assertThatThrownBy(() -> erp.upsertCustomer(customer("c-1", "Acme", "US01", "USD"), "US01"))
                .isInstanceOfSatisfying(ThrottlingFailure.class,
                        failure -> assertThat(failure.errorCode()).isEqualTo("SSS_REQUEST_LIMIT_EXCEEDED"));
        assertThat(simulator.counts().requests()).isEqualTo(4);
    }

    @Test
    void a503IsThrownAsTransientOnceForTheRouteToRetry() {
        simulator = NetSuiteSimulator.start(SandboxAccount.ACCOUNT);
        NetSuiteErp erp = new NetSuiteErp(SandboxAccount.settings(simulator));
        simulator.failNext(3, 503);

        for (int call = 1; call <= 3; call++) {
            assertThatThrownBy(() -> erp.upsertCustomer(customer("c-1", "Acme", "US01", "USD"), "US01"))
                    .isInstanceOfSatisfying(TransientFailure.class, failure -> {
                        assertThat(failure.errorCode()).isEqualTo("SERVICE_UNAVAILABLE");
                        assertThat(failure.getMessage()).contains("503");
                    });
            // not retried by the connector: one request per call
            assertThat(simulator.counts().requests()).isEqualTo(call);
        }
        assertThat(simulator.customers()).isEmpty();

        erp.upsertCustomer(customer("c-1", "Acme", "US01", "USD"), "US01");
        assertThat(simulator.customer("c-1")).hasValueSatisfying(record -> assertThat(record.writes()).isOne());
    }

    @Test
    void aTimeoutIsTransientAndTheRetryUpdatesTheRecordTheTimedOutWriteCreated() {
        simulator = NetSuiteSimulator.start(SandboxAccount.ACCOUNT);
        NetSuiteErp erp = new NetSuiteErp(SandboxAccount.settings(simulator, 5, Duration.ofMillis(300),
                SandboxAccount.ACCOUNT.tokenSecret()));
        simulator.hangNext(1, Duration.ofSeconds(1));

        assertThatThrownBy(() -> erp.upsertCustomer(customer("c-1", "Acme", "US01", "USD"), "US01"))
                .isInstanceOfSatisfying(TransientFailure.class,
                        failure -> assertThat(failure.errorCode()).isEqualTo("NETSUITE_TIMEOUT"));
        // NetSuite finished the write the connector stopped waiting for
        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.customer("c-1").isPresent());

        erp.upsertCustomer(customer("c-1", "Acme", "US01", "USD"), "US01");

        assertThat(simulator.customers()).singleElement().extracting(CustomerRecord::writes).isEqualTo(2);
    }

    /** Ten different customers upserted at once from ten threads; returns their internal ids. */
    private List<String> upsertConcurrently(NetSuiteErp erp, int count) {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<String>> calls = IntStream.range(0, count)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(go);
                    return erp.upsertCustomer(customer("storm-" + i, "Customer " + i, "US01", "USD"), "US01");
                }, callers))
                .toList();
        go.countDown();
        return calls.stream().map(call -> call.orTimeout(30, TimeUnit.SECONDS).join()).toList();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
