package io.q2chub.capability.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole onboarding loop on simulators of all three systems: an account changes in Salesforce, arrives over
 * the Pub/Sub API, becomes exactly one NetSuite and one Stripe customer, and their ids are written back to the
 * Salesforce account in batches.
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

    @Inject
    AgroalDataSource db;

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

    @Test
    void missingTaxIdIsParkedAndTheFixInSalesforceOnboardsTheCustomerAndResolvesTheCase() {
        String account = salesforce.createAccount(Map.of("Name", "No Tax Id Inc " + UUID.randomUUID(),
                "BillingCountry", "US", "CurrencyIsoCode", "USD", "Type", "Customer"));
        await().atMost(Duration.ofSeconds(30)).until(() -> caseOf(account, "OPEN").isPresent());
        assertThat(caseOf(account, "OPEN").orElseThrow()).contains("taxId missing (required for US)");
        assertThat(netsuite.customer(canonicalId(account))).isEmpty();

        salesforce.updateAccount(account, Map.of("Tax_Id__c", "11-2233445"));

        await().atMost(Duration.ofSeconds(30)).until(() -> netsuite.customer(canonicalId(account)).isPresent());
        await().atMost(Duration.ofSeconds(30)).until(() -> caseOf(account, "RESOLVED").isPresent());
        await().atMost(Duration.ofSeconds(30)).until(() -> "Synced".equals(field(account, "Sync_Status__c")));
    }

    @Test
    void mergedAwayAccountIsInactiveDownstreamWhileTheSurvivorStaysActive() {
        String survivor = salesforce.createAccount(Map.of("Name", "Survivor " + UUID.randomUUID(), "BillingCountry", "DE",
                "CurrencyIsoCode", "EUR", "Tax_Id__c", "DE123456789"));
        String duplicate = salesforce.createAccount(Map.of("Name", "Duplicate " + UUID.randomUUID(), "BillingCountry", "DE",
                "CurrencyIsoCode", "EUR", "Tax_Id__c", "DE123456789"));
        await().atMost(Duration.ofSeconds(30)).until(() -> field(survivor, "ERP_Id__c") != null && field(duplicate, "ERP_Id__c") != null);

        salesforce.mergeAccounts(survivor, duplicate);

        String gone = canonicalId(duplicate);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                netsuite.customer(gone).map(c -> c.fields().path("isInactive").asBoolean()).orElse(false));
        await().atMost(Duration.ofSeconds(30)).until(() -> stripe.customers().stream()
                .anyMatch(c -> gone.equals(c.metadata().get("canonical_id")) && "inactive".equals(c.metadata().get("status"))));
        assertThat(netsuite.customer(canonicalId(survivor)).orElseThrow().fields().path("isInactive").asBoolean()).isFalse();
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

    private Optional<String> caseOf(String account, String status) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT error_message FROM exception_case
                 WHERE capability = 'customer-onboarding' AND business_key = ? AND status = ?""")) {
            ps.setString(1, xref.canonicalId("salesforce", "Account", account).orElse("-"));
            ps.setString(2, status);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
