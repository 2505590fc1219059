package io.q2chub.ops.resilience;

import static io.q2chub.testing.CanonicalSamples.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.testing.CanonicalSamples;
import io.q2chub.testing.ErpAndBillingSimulators;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.KafkaTestClient;
import io.q2chub.testing.Sql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An ordinary transient failure that outlives its retries is parked, with the ERP's code and words, and the
 * original record goes to the dead-letter topic; it does not open the (test profile's lenient) circuit.
 */
@QuarkusTest
@QuarkusTestResource(HubTestServices.class)
@WithTestResource(ErpAndBillingSimulators.class)
class RetryWindowTest {

    @ErpAndBillingSimulators.Simulator
    NetSuiteSimulator netsuite;

    @Inject
    AgroalDataSource db;

    @Test
    void aTransientErpFailureThatOutlivesItsRetriesIsParkedWithTheOriginalRecord() {
        String customerId = newId("cust");
        // first attempt plus the test profile's two redeliveries
        netsuite.failNext(3, 503);
        String json = "{\"id\":\"" + customerId + "\",\"name\":\"Retry Window Inc\",\"billingCountry\":\"US\","
                + "\"currency\":\"USD\",\"taxId\":\"12-3456789\",\"email\":\"ap@example.com\",\"status\":\"ACTIVE\","
                + "\"externalIds\":{\"crm\":\"001" + customerId.substring(5, 17) + "\"}}";
        Map<String, String> headers = new LinkedHashMap<>(CanonicalSamples.customerChangedHeaders(newId("evt"), customerId));
        headers.put("q2c-change-type", "CREATE");
        headers.put("q2c-source-role", "crm");
        KafkaTestClient.send("q2c.customer.v1", null, customerId, json.getBytes(StandardCharsets.UTF_8), headers);

        await().atMost(Duration.ofSeconds(30)).until(() -> Sql.count(db, """
                SELECT count(*) FROM exception_case WHERE business_key = ? AND failure_class = 'TRANSIENT'
                   AND system = 'netsuite' AND error_code = 'SERVICE_UNAVAILABLE'""", customerId) == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> KafkaTestClient.readAll("q2c.deadletter.v1").stream()
                .anyMatch(r -> customerId.equals(r.key()) && new String(r.value(), StandardCharsets.UTF_8).equals(json)));
        assertThat(netsuite.customer(customerId)).isEmpty();
    }
}
