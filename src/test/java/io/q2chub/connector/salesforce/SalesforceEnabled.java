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
        // CRM write-backs leave within a second instead of the production batch window (10 s): tests that wait for
        // an account's Sync_Status__c/ERP_Id__c would otherwise wait out the window every time. The batching itself
        // is tested with its own, longer window (SalesforceToErpAndBillingTest).
        return Map.of("camel.component.salesforce.backoff-increment", "500",
                "q2c.crm.salesforce.resync-period-ms", "500",
                "q2c.onboarding.write-back-period-ms", "200",
                "q2c.onboarding.write-back-max-wait", "PT0.5S");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SalesforceTestServices.class));
    }
}
