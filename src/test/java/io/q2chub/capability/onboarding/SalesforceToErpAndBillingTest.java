package io.q2chub.capability.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.q2chub.ops.xref.CrossReference;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.salesforce.SalesforceSimulator;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.q2chub.testing.ErpAndBillingSimulators;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.SalesforceTestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole onboarding loop on simulators of all three systems: an account changes in Salesforce, arrives over
 * the Pub/Sub API, becomes exactly one NetSuite and one Stripe customer, and their ids are written back to the
 * Salesforce account in batches. This class has the production-like batch window the batching needs; what an
 * account's later changes do downstream is in SalesforceAccountLifecycleTest, on the short window of
 * SalesforceEnabled.PromptWriteBack.
 */
@QuarkusTest
@TestProfile(SalesforceToErpAndBillingTest.AllThreeSystems.class)
@QuarkusTestResource(HubTestServices.class)
class SalesforceToErpAndBillingTest {

    public static class AllThreeSystems implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "test,salesforce";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // A wave of 100 accounts takes 10-40 s here; outcomes wait up to 20 s for a fuller batch.
            return Map.of("q2c.onboarding.write-back-max-wait", "PT20S");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SalesforceTestServices.class),
                    new TestResourceEntry(ErpAndBillingSimulators.class));
        }
    }

    @SalesforceTestServices.Simulator
    SalesforceSimulator salesforce;

    @ErpAndBillingSimulators.Simulator
    NetSuiteSimulator netsuite;

    @ErpAndBillingSimulators.Simulator
    StripeSimulator stripe;

    @Inject
    CrossReference xref;

    @BeforeEach
    void subscribed() {
        await().atMost(Duration.ofSeconds(30)).until(() -> salesforce.activeSubscriptions() > 0);
    }

    @Test
    void hundredNewAccountsAreOnboardedOnceAndWrittenBackInAtMostFourSalesforceCalls() {
        long writeBacksBefore = writeBackCalls();
        List<String> accounts = IntStream.range(0, 100).mapToObj(i -> salesforce.createAccount(Map.of(
                "Name", "Wave " + i + " " + UUID.randomUUID(), "BillingCountry", "US", "CurrencyIsoCode", "USD",
                "Tax_Id__c", "12-3456789", "Type", "Customer"))).toList();

        await().atMost(Duration.ofSeconds(150)).until(() -> accounts.stream().allMatch(id ->
                "Synced".equals(field(id, "Sync_Status__c")) && field(id, "ERP_Id__c") != null && field(id, "Billing_Id__c") != null));

        assertThat(writeBackCalls() - writeBacksBefore).isBetween(1L, 4L);
        assertThat(accounts).allSatisfy(account -> {
            String customer = canonicalId(account);
            assertThat(netsuite.customers()).filteredOn(c -> customer.equals(c.externalId())).singleElement()
                    .satisfies(c -> assertThat(c.internalId()).isEqualTo(field(account, "ERP_Id__c")));
            assertThat(stripe.customers()).filteredOn(c -> customer.equals(c.metadata().get("canonical_id"))).singleElement()
                    .satisfies(c -> assertThat(c.id()).isEqualTo(field(account, "Billing_Id__c")));
        });
    }

    private long writeBackCalls() {
        return salesforce.requests().stream().filter(r -> r.contains("PATCH") && r.contains("/composite/sobjects")).count();
    }

    private String field(String account, String name) {
        return salesforce.account(account).map(a -> a.get(name)).map(String::valueOf).orElse(null);
    }

    private String canonicalId(String account) {
        try {
            return xref.canonicalId("salesforce", "Account", account).orElseThrow();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
