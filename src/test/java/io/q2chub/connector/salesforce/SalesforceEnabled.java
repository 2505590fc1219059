package io.q2chub.connector.salesforce;

import io.q2chub.testing.SalesforceTestServices;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** A hub with Salesforce switched on the way an operator does it (config profile "salesforce"), on the simulator. */
public class SalesforceEnabled implements QuarkusTestProfile {

    @Override
    public String getConfigProfile() {
        return "test,salesforce";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        // The Pub/Sub client retries a refused subscription after this backoff; short, so tests see the retry.
        // Open re-sync requests are looked for every half second, so a test sees the re-sync within seconds.
        // Tracing on, into the in-memory exporter (io.q2chub.testing.InMemorySpans): SalesforceCrmTest shows the
        // Salesforce calls in the caller's trace without an application start of its own.
        return Map.of("camel.component.salesforce.backoff-increment", "500",
                "q2c.crm.salesforce.resync-period-ms", "500",
                "quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.bsp.schedule.delay", "PT0.1S");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SalesforceTestServices.class));
    }
}
