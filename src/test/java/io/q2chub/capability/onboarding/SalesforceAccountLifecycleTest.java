package io.q2chub.capability.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.q2chub.connector.salesforce.SalesforceEnabled;
import io.q2chub.ops.xref.CrossReference;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.salesforce.SalesforceSimulator;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.q2chub.testing.ErpAndBillingSimulators;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.SalesforceTestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An account's later life in Salesforce on simulators of all three systems: the fix of what onboarding parked,
 * and a merge, reach NetSuite and Stripe, and the outcome is written back to the Salesforce account. Runs in the
 * application of the other SalesforceEnabled.PromptWriteBack tests (no start of its own), whose CRM write-back
 * window is short; the batching itself is SalesforceToErpAndBillingTest's.
 */
@QuarkusTest
@TestProfile(SalesforceEnabled.PromptWriteBack.class)
@QuarkusTestResource(HubTestServices.class)
@WithTestResource(ErpAndBillingSimulators.class)
class SalesforceAccountLifecycleTest {

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
