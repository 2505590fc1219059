package io.q2chub.connector.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.q2chub.canonical.Customer;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.IntegrationFailure;
import io.q2chub.ops.failure.SecurityFailure;
import io.q2chub.ops.failure.TransientFailure;
import io.q2chub.sandbox.stripe.StoredCustomer;
import io.q2chub.sandbox.stripe.StripeSimulator;
import java.time.Duration;
import java.util.Currency;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** StripeBilling against the Stripe simulator over real HTTP: what ends up in "Stripe" and what fails how. */
class StripeBillingTest {

    private static final String KEY = "sk_test_connectorKey5678";

    private static StripeSimulator stripe;
    private StripeBilling billing;

    @BeforeAll
    static void startSimulator() {
        stripe = StripeSimulator.start(KEY, StripeSimulator.TEST_MODE_OPS_PER_SECOND);
    }

    @AfterAll
    static void stopSimulator() {
        stripe.close();
    }

    @BeforeEach
    void freshStripe() {
        stripe.reset();
        billing = new StripeBilling(new StripeSettings(KEY, stripe.baseUrl()));
    }

    @Test
    void createsOneCustomerCarryingTheOtherSystemsIdsInMetadata() {
        String id = billing.upsertCustomer(acme("Acme GmbH"), null, "evt-1");

        assertThat(id).startsWith("cus_");
        assertThat(stripe.customers()).containsExactly(new StoredCustomer(id, "Acme GmbH", "billing@acme.example", "DE",
                Map.of("canonical_id", "cust-1", "crm_account_id", "001A", "erp_id", "E-77", "status", "active")));
        // Create path: search (safety net), then create.
        assertThat(stripe.operationCount("customers.search")).isEqualTo(1);
        assertThat(stripe.operationCount("customers.create")).isEqualTo(1);
        assertThat(billing.system()).isEqualTo("stripe");
    }

    @Test
    void aRetryWithTheSameKeyGetsTheSameCustomerWhileSearchStillLags() {
        // Stripe's search trails writes: within that window only the idempotency key prevents a duplicate.
        stripe.searchLag(Duration.ofHours(1));
        String first = billing.upsertCustomer(acme("Acme GmbH"), null, "evt-1");

        String again = billing.upsertCustomer(acme("Acme GmbH"), null, "evt-1");

        assertThat(again).isEqualTo(first);
        assertThat(stripe.operationCount("customers.create")).isEqualTo(2);
        assertThat(stripe.createCalls("cust-1")).isEqualTo(1);
        assertThat(stripe.customers()).hasSize(1);
    }

    @Test
    void theSameKeyWithOtherParametersIsAnIdempotencyBusinessFailure() {
        stripe.searchLag(Duration.ofHours(1));
        billing.upsertCustomer(acme("Acme GmbH"), null, "evt-2");

        BusinessFailure failure = catchThrowableOfType(BusinessFailure.class,
                () -> billing.upsertCustomer(acme("Acme Holding"), null, "evt-2"));

        assertThat(failure.errorCode()).isEqualTo("idempotency_error");
        assertThat(failure.system()).isEqualTo("stripe");
        assertThat(failure.getMessage()).contains("Keys for idempotent requests", "request-id req_");
        assertThat(stripe.customers()).extracting(StoredCustomer::name).containsExactly("Acme GmbH");
    }

    @Test
    void afterTheKeyExpiredARetryFindsTheCustomerByMetadataInsteadOfCreatingASecond() {
        String created = billing.upsertCustomer(acme("Acme GmbH"), null, "evt-3");
        stripe.expireIdempotencyKeys();

        String retried = billing.upsertCustomer(acme("Acme GmbH"), null, "evt-3");

        assertThat(retried).isEqualTo(created);
        assertThat(stripe.createCalls("cust-1")).isEqualTo(1);
        assertThat(stripe.customers()).hasSize(1);
        assertThat(stripe.operationCount("customers.update")).isEqualTo(1);
    }

    @Test
    void aKnownBillingIdIsUpdatedWithOneCallAndNoSearch() {
        String id = billing.upsertCustomer(acme("Acme GmbH"), null, "evt-4");
        int searches = stripe.operationCount("customers.search");

        String updated = billing.upsertCustomer(acme("Acme Holding GmbH"), id, "evt-5");

        assertThat(updated).isEqualTo(id);
        assertThat(stripe.operationCount("customers.search")).isEqualTo(searches);
        assertThat(stripe.operationCount("customers.update")).isEqualTo(1);
        assertThat(stripe.customer(id)).hasValueSatisfying(c -> {
            assertThat(c.name()).isEqualTo("Acme Holding GmbH");
            assertThat(c.metadata()).containsEntry("canonical_id", "cust-1");
        });
        assertThat(stripe.customers()).hasSize(1);
    }

    @Test
    void deactivationMarksTheMetadataAndKeepsTheCustomer() {
        String id = billing.upsertCustomer(acme("Acme GmbH"), null, "evt-6");

        billing.deactivateCustomer(id, "evt-7");

        assertThat(stripe.customer(id)).hasValueSatisfying(c -> assertThat(c.metadata())
                .containsEntry("status", "inactive")
                .containsEntry("canonical_id", "cust-1")
                .containsEntry("crm_account_id", "001A"));
    }

    @Test
    void findsByCanonicalIdEvenWithAQuoteInIt() {
        Customer quoted = new Customer("o'brien-1", "O'Brien Ltd", null, "uk", "GB", Currency.getInstance("GBP"), null,
                null, Customer.Status.ACTIVE, Map.of());
        String id = billing.upsertCustomer(quoted, null, "evt-8");

        assertThat(billing.findCustomerByCanonicalId("o'brien-1")).contains(id);
        assertThat(billing.findCustomerByCanonicalId("o'brien-2")).isEmpty();
    }

    @Test
    void twoStripeCustomersForOneCanonicalIdAreABusinessFailureNotAGuess() {
        stripe.searchLag(Duration.ofHours(1));
        billing.upsertCustomer(acme("Acme GmbH"), null, "evt-9");
        billing.upsertCustomer(acme("Acme GmbH"), null, "evt-10");
        stripe.searchLag(Duration.ZERO);

        BusinessFailure failure = catchThrowableOfType(BusinessFailure.class,
                () -> billing.findCustomerByCanonicalId("cust-1"));

        assertThat(failure.errorCode()).isEqualTo("duplicate_customer");
        assertThat(stripe.customers()).hasSize(2);
    }

    @Test
    void rateLimitedIsTransientWithStripesCode() {
        stripe.failNext(1, 429);

        TransientFailure failure = catchThrowableOfType(TransientFailure.class,
                () -> billing.upsertCustomer(acme("Acme GmbH"), null, "evt-11"));

        assertThat(failure.errorCode()).isEqualTo("rate_limit");
        assertThat(failure.getMessage()).contains("HTTP 429", "Request rate limit exceeded", "request-id req_");
        assertThat(stripe.customers()).isEmpty();
        assertThat(stripe.rateLimitedCount()).isEqualTo(1);
    }

    @Test
    void aServerErrorIsTransientAndTheRetryCreatesExactlyOneCustomer() {
        stripe.failNext(1, 500);

        TransientFailure failure = catchThrowableOfType(TransientFailure.class,
                () -> billing.upsertCustomer(acme("Acme GmbH"), null, "evt-12"));
        String id = billing.upsertCustomer(acme("Acme GmbH"), null, "evt-12");

        assertThat(failure.errorCode()).isEqualTo("api_error");
        assertThat(stripe.customers()).extracting(StoredCustomer::id).containsExactly(id);
    }

    @Test
    void aTimeoutIsTransient() {
        StripeBilling impatient = new StripeBilling(new StripeSettings(KEY, stripe.baseUrl(), Duration.ofSeconds(5),
                Duration.ofMillis(200)));
        stripe.latency(Duration.ofSeconds(2));

        TransientFailure failure = catchThrowableOfType(TransientFailure.class,
                () -> impatient.findCustomerByCanonicalId("cust-1"));

        assertThat(failure.errorCode()).isEqualTo("api_connection_error");
    }

    @Test
    void aWrongKeyIsASecurityFailureThatDoesNotRepeatTheKey() {
        String wrongKey = "sk_test_wrongConnectorKey4321";
        StripeBilling misconfigured = new StripeBilling(new StripeSettings(wrongKey, stripe.baseUrl()));

        SecurityFailure failure = catchThrowableOfType(SecurityFailure.class,
                () -> misconfigured.upsertCustomer(acme("Acme GmbH"), null, "evt-13"));

        assertThat(failure.system()).isEqualTo("stripe");
        assertThat(failure.getMessage()).contains("HTTP 401", "Invalid API Key provided").doesNotContain(wrongKey, KEY);
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(wrongKey);
        }
        assertThat(stripe.customers()).isEmpty();
    }

    @Test
    void dataStripeRejectsIsABusinessFailureNamingTheParameter() {
        Customer badEmail = new Customer("cust-2", "Beta", null, "de", "DE", Currency.getInstance("EUR"), null,
                "not-an-email", Customer.Status.ACTIVE, Map.of());

        BusinessFailure failure = catchThrowableOfType(BusinessFailure.class,
                () -> billing.upsertCustomer(badEmail, null, "evt-14"));

        assertThat(failure.errorCode()).isEqualTo("email_invalid");
        assertThat(failure.getMessage()).contains("param email", "Invalid email address");
        assertThat(stripe.customers()).isEmpty();
    }

    @Test
    void unconfiguredTheBeanExistsButACallFailsNamingTheKey() {
        StripeBilling unconfigured = new StripeBilling(Optional.empty(), StripeSettings.DEFAULT_API_BASE,
                Duration.ofSeconds(30), Duration.ofSeconds(80));

        IntegrationFailure failure = catchThrowableOfType(BusinessFailure.class,
                () -> unconfigured.findCustomerByCanonicalId("cust-1"));

        assertThat(failure.errorCode()).isEqualTo("not_configured");
        assertThat(failure.getMessage()).contains("q2c.stripe.api-key");
    }

    @Test
    void settingsNeverPrintTheKey() {
        assertThat(new StripeSettings(KEY, stripe.baseUrl() + "/").toString()).doesNotContain(KEY);
        assertThat(new StripeSettings(KEY, stripe.baseUrl() + "/").apiBase()).isEqualTo(stripe.baseUrl());
    }

    private static Customer acme(String name) {
        return new Customer("cust-1", name, null, "de-gmbh", "DE", Currency.getInstance("EUR"), "DE123456789",
                "billing@acme.example", Customer.Status.ACTIVE, Map.of("crm", "001A", "erp", "E-77"));
    }
}
