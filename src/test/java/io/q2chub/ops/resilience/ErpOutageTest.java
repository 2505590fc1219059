package io.q2chub.ops.resilience;

import static io.q2chub.testing.CanonicalSamples.newId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.testing.CanonicalSamples;
import io.q2chub.testing.ErpAndBillingSimulators;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.KafkaTestClient;
import io.q2chub.testing.Sql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Done-when of issue 4: the ERP is down for 30 s while customer events flow through customer onboarding, on the
 * real broker, database and YAML routes against the NetSuite simulator over HTTP. The events wait (the NetSuite
 * circuit opens and calls fail fast instead of hammering the ERP), drain after recovery, nothing is parked, and
 * each customer exists exactly once in NetSuite, written once.
 *
 * <p>The profile keeps production retry semantics (attempts not counted, the per-system retry window decides) and
 * a production-like NetSuite circuit, with a shorter probe delay so the test takes about a minute.
 */
@QuarkusTest
@TestProfile(ErpOutageTest.ProductionRetries.class)
@QuarkusTestResource(HubTestServices.class)
@WithTestResource(ErpAndBillingSimulators.class)
class ErpOutageTest {

    private static final Logger LOG = Logger.getLogger(ErpOutageTest.class);
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final int CUSTOMERS = 10;

    public static class ProductionRetries implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "%test.q2c.retry.max-redeliveries", "-1",
                    "q2c.resilience.netsuite.circuit.request-volume", "4",
                    "q2c.resilience.netsuite.circuit.failure-ratio", "0.75",
                    "q2c.resilience.netsuite.circuit.delay", "PT3S",
                    // shorter than the outage: only waiting out the open circuit keeps the events from being parked
                    "q2c.resilience.netsuite.max-retry-duration", "PT20S");
        }
    }

    @ErpAndBillingSimulators.Simulator
    NetSuiteSimulator netsuite;

    @Inject
    SystemGuards guards;

    @Inject
    MeterRegistry registry;

    @Inject
    AgroalDataSource db;

    @TestHTTPResource(value = "health/ready", management = true)
    URL readiness;

    @Test
    void eventsWaitOutA30SecondErpOutageAndDrainAfterwardsWithNothingParkedAndEachCustomerPostedOnce() {
        SystemGuard erp = guards.forSystem("netsuite");
        List<String> customers = IntStream.range(0, CUSTOMERS).mapToObj(i -> newId("cust")).toList();

        long outageStart = System.nanoTime();
        netsuite.failNext(Integer.MAX_VALUE, 503);
        customers.forEach(id -> sendChange(id, "Outage Customer " + id));

        await().atMost(Duration.ofSeconds(20)).until(() -> erp.state() == CircuitBreakerState.OPEN);
        assertThat(circuitGauge()).isEqualTo(CircuitBreakerState.OPEN.ordinal());
        // a SaaS outage is health detail, never a reason to take the pod out of the Service
        given().get(readiness).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'downstream-systems' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'downstream-systems' }.data.netsuite", oneOf("open", "half-open"));
        // the 503s that opened it are timed as transient failures of NetSuite
        assertThat(registry.get("q2c.connector.call").tags("system", "netsuite", "outcome", "transient").timer().count())
                .isPositive();
        int requestsWhenOpened = netsuite.counts().requests();

        // the outage lasts its 30 s; meanwhile every event waits and nothing is parked
        await().atMost(OUTAGE.plusSeconds(10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> System.nanoTime() - outageStart >= OUTAGE.toNanos());
        assertThat(customers).allSatisfy(id -> assertThat(netsuite.customer(id)).isEmpty());
        assertThat(parkedCases(customers)).isZero();

        netsuite.failNext(0, 503);
        long recovered = System.nanoTime();
        int requestsWhileOpen = netsuite.counts().requests() - requestsWhenOpened;

        await().atMost(Duration.ofSeconds(30)).until(() -> customers.stream().allMatch(id -> netsuite.customer(id).isPresent()));
        Duration drain = Duration.ofNanos(System.nanoTime() - recovered);

        assertThat(erp.state()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(parkedCases(customers)).isZero();
        assertThat(customers).allSatisfy(id -> {
            assertThat(netsuite.customers()).filteredOn(c -> id.equals(c.externalId())).hasSize(1);
            assertThat(netsuite.customer(id).orElseThrow().writes()).isEqualTo(1);
        });
        assertThat(prevented()).isPositive();
        // fail-fast is the point: while open only the breaker's probes reach the ERP, not every event's retries
        assertThat(requestsWhileOpen).isLessThan(CUSTOMERS * 2);
        LOG.infof("ERP outage of %ds: circuit opened after %d requests, %d requests reached NetSuite while it was open"
                + " (%.0f calls refused without sending), %d customers drained in %d ms after recovery, 0 parked",
                OUTAGE.toSeconds(), requestsWhenOpened, requestsWhileOpen, prevented(), CUSTOMERS, drain.toMillis());
    }

    private double circuitGauge() {
        return registry.get("q2c.connector.circuit.state").tag("system", "netsuite").gauge().value();
    }

    private double prevented() {
        return registry.get("q2c.connector.circuit.prevented").tag("system", "netsuite").counter().count();
    }

    private long parkedCases(List<String> customers) {
        return customers.stream().mapToLong(id -> Sql.count(db,
                "SELECT count(*) FROM exception_case WHERE business_key = ?", id)).sum();
    }

    /** A customer.changed event as the CRM ingress publishes it. */
    private static void sendChange(String customerId, String name) {
        String json = "{\"id\":\"" + customerId + "\",\"name\":\"" + name + "\",\"billingCountry\":\"US\","
                + "\"currency\":\"USD\",\"taxId\":\"12-3456789\",\"email\":\"ap@example.com\",\"status\":\"ACTIVE\","
                + "\"externalIds\":{\"crm\":\"001" + customerId.substring(5, 17) + "\"}}";
        Map<String, String> headers = new LinkedHashMap<>(CanonicalSamples.customerChangedHeaders(newId("evt"), customerId));
        headers.put("q2c-change-type", "CREATE");
        headers.put("q2c-source-role", "crm");
        KafkaTestClient.send("q2c.customer.v1", null, customerId, json.getBytes(StandardCharsets.UTF_8), headers);
    }
}
