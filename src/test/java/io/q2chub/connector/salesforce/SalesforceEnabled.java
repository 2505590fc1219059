package io.q2chub.connector.salesforce;

import io.q2chub.testing.SalesforceTestServices;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
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

    /**
     * Salesforce on, with the ERP and billing simulators in the test class: CRM write-backs leave within a second
     * instead of the production batch window (10 s), because these tests wait for an account's Sync_Status__c or
     * ERP_Id__c and would otherwise wait out the window every time. The batching itself is tested with its own,
     * longer window (SalesforceToErpAndBillingTest); tests that count the connector's own write-back calls
     * (SalesforceCrmTest) stay on the plain profile, where the hub's own write-backs wait 10 s and so do not land
     * among them.
     */
    public static class PromptWriteBack extends SalesforceEnabled {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("q2c.onboarding.write-back-period-ms", "200");
            overrides.put("q2c.onboarding.write-back-max-wait", "PT0.5S");
            return overrides;
        }
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SalesforceTestServices.class));
    }
}
