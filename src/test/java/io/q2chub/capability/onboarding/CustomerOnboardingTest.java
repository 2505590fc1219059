package io.q2chub.capability.onboarding;

import static io.q2chub.testing.CanonicalSamples.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.q2chub.sandbox.netsuite.CustomerRecord;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.stripe.StoredCustomer;
import io.q2chub.sandbox.stripe.StripeSimulator;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Customer onboarding end to end on the real broker, database and YAML route, against the NetSuite and Stripe
 * simulators over HTTP: assertions are on what the ERP and the billing platform now hold.
 */
@QuarkusTest
@QuarkusTestResource(HubTestServices.class)
@WithTestResource(ErpAndBillingSimulators.class)
class CustomerOnboardingTest {

    @ErpAndBillingSimulators.Simulator
    NetSuiteSimulator netsuite;

    @ErpAndBillingSimulators.Simulator
    StripeSimulator stripe;

    @Inject
    AgroalDataSource db;

    @Test
    void newAccountYieldsExactlyOneCustomerInErpAndBillingEvenWhenItsEventArrivesThreeTimes() {
        String customerId = newId("cust");
        String eventId = newId("evt");
        for (int i = 0; i < 3; i++) {
            sendChange(eventId, customerId, account("Acme Corp", "US", "USD", "12-3456789"), "CREATE");
        }

        CustomerRecord erp = awaitErpCustomer(customerId);
        assertThat(erp.fields().path("companyName").asText()).isEqualTo("Acme Corp");
        assertThat(erp.fields().path("subsidiary").path("id").asText()).isEqualTo("1");
        assertThat(erp.writes()).isEqualTo(1);
        StoredCustomer billing = awaitBillingCustomer(customerId);
        assertThat(billing.metadata()).containsEntry("erp_id", erp.internalId())
                .containsEntry("crm_account_id", "001" + customerId.substring(5, 17));
        assertThat(stripe.createCalls(customerId)).isEqualTo(1);

        ConsumerRecord<String, byte[]> onboarded = awaitOnboarded(customerId);
        assertThat(KafkaTestClient.header(onboarded, "ce_causationid")).isEqualTo(eventId);
        assertThat(new String(onboarded.value(), StandardCharsets.UTF_8))
                .contains("\"erp\":\"" + erp.internalId() + "\"", "\"billing\":\"" + billing.id() + "\"");
    }

    @Test
    void anUpdateChangesTheErpRecordAndTheSameBillingCustomer() {
        String customerId = newId("cust");
        sendChange(newId("evt"), customerId, account("Globex", "DE", "EUR", "DE123456789"), "CREATE");
        StoredCustomer first = awaitBillingCustomer(customerId);

        sendChange(newId("evt"), customerId, account("Globex International", "DE", "EUR", "DE123456789"), "UPDATE");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                netsuite.customer(customerId).map(c -> c.fields().path("companyName").asText()).orElse("")
                        .equals("Globex International"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "Globex International".equals(
                stripe.customer(first.id()).map(StoredCustomer::name).orElse("")));
        assertThat(stripe.createCalls(customerId)).isEqualTo(1);
        assertThat(netsuite.customers()).filteredOn(c -> customerId.equals(c.externalId())).hasSize(1);
    }

    @Test
    void missingTaxIdIsParkedNamingTheFieldAndTheFixedAccountOnboardsAndResolvesTheCase() {
        String customerId = newId("cust");
        sendChange(newId("evt"), customerId, account("Initech", "US", "USD", null), "CREATE");

        await().atMost(Duration.ofSeconds(30)).until(() -> openCase(customerId).isPresent());
        assertThat(openCase(customerId).orElseThrow()).contains("MASTER_DATA_INVALID", "taxId missing (required for US)");
        assertThat(netsuite.customer(customerId)).isEmpty();

        sendChange(newId("evt"), customerId, account("Initech", "US", "USD", "98-7654321"), "UPDATE");
        awaitErpCustomer(customerId);
        awaitBillingCustomer(customerId);
        await().atMost(Duration.ofSeconds(30)).until(() -> openCase(customerId).isEmpty());
        assertThat(caseStatus(customerId)).isEqualTo("RESOLVED");
    }

    @Test
    void deletedAccountIsMarkedInactiveInErpAndBillingNeverDeleted() {
        String customerId = newId("cust");
        sendChange(newId("evt"), customerId, account("Hooli", "GB", "GBP", "GB123456789"), "CREATE");
        StoredCustomer billing = awaitBillingCustomer(customerId);
        awaitErpCustomer(customerId);

        Map<String, Object> deleted = account("Hooli", "GB", "GBP", "GB123456789");
        deleted.put("status", "INACTIVE");
        sendChange(newId("evt"), customerId, deleted, "DELETE");

        await().atMost(Duration.ofSeconds(30)).until(() ->
                netsuite.customer(customerId).map(c -> c.fields().path("isInactive").asBoolean()).orElse(false));
        await().atMost(Duration.ofSeconds(30)).until(() -> "inactive".equals(
                stripe.customer(billing.id()).map(c -> c.metadata().get("status")).orElse("")));
        assertThat(netsuite.customer(customerId)).isPresent();
    }

    @Test
    void zeroAndThreeDecimalCurrencyCustomersLandInTheirSubsidiaries() {
        String yen = newId("cust");
        String dinar = newId("cust");
        sendChange(newId("evt"), yen, account("Tokyo KK", "JP", "JPY", "T1234567890123"), "CREATE");
        sendChange(newId("evt"), dinar, account("Kuwait WLL", "KW", "KWD", "123456789012"), "CREATE");

        assertThat(awaitErpCustomer(yen).fields().path("subsidiary").path("id").asText()).isEqualTo("3");
        assertThat(awaitErpCustomer(dinar).fields().path("subsidiary").path("id").asText()).isEqualTo("4");
        assertThat(awaitErpCustomer(dinar).fields().path("currency").path("id").asText()).isEqualTo("6");
    }

    @Test
    void netSuiteConcurrencyLimitAnswersAreAbsorbedWithoutParkingOrDuplicates() {
        netsuite.failNext(4, 429);
        List<String> customers = IntStream.range(0, 12).mapToObj(i -> newId("cust")).toList();
        customers.forEach(id -> sendChange(newId("evt"), id, account("Burst " + id, "US", "USD", "12-3456789"), "CREATE"));

        customers.forEach(this::awaitErpCustomer);
        assertThat(netsuite.counts().throttled()).isGreaterThanOrEqualTo(4);
        assertThat(customers).allSatisfy(id -> {
            assertThat(netsuite.customer(id).orElseThrow().writes()).isEqualTo(1);
            assertThat(openCase(id)).isEmpty();
        });
    }

    @Test
    void aNameChangeFromASystemThatDoesNotOwnItIsRefusedAndNothingIsWritten() {
        String customerId = newId("cust");
        sendChange(newId("evt"), customerId, account("Renamed By Billing", "US", "USD", "12-3456789"), "UPDATE", "billing");

        await().atMost(Duration.ofSeconds(30)).until(() -> openCase(customerId).isPresent());
        assertThat(openCase(customerId).orElseThrow()).contains("SYSTEM_OF_RECORD", "name is owned by crm");
        assertThat(netsuite.customer(customerId)).isEmpty();
        assertThat(stripe.createCalls(customerId)).isZero();
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private static final Map<String, String> CRM_IDS = new ConcurrentHashMap<>();

    private static Map<String, Object> account(String name, String country, String currency, String taxId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", name);
        data.put("billingCountry", country);
        data.put("currency", currency);
        if (taxId != null) {
            data.put("taxId", taxId);
        }
        data.put("email", "ap@example.com");
        data.put("status", "ACTIVE");
        return data;
    }

    /** A customer.changed event as the CRM ingress publishes it. */
    private static void sendChange(String eventId, String customerId, Map<String, Object> data, String changeType) {
        sendChange(eventId, customerId, data, changeType, "crm");
    }

    private static void sendChange(String eventId, String customerId, Map<String, Object> data, String changeType,
            String sourceRole) {
        String crmId = CRM_IDS.computeIfAbsent(customerId, id -> "001" + id.substring(5, 17));
        StringBuilder json = new StringBuilder("{\"id\":\"" + customerId + "\"");
        data.forEach((k, v) -> json.append(",\"").append(k).append("\":\"").append(v).append('"'));
        json.append(",\"externalIds\":{\"crm\":\"").append(crmId).append("\"}}");
        Map<String, String> headers = new LinkedHashMap<>(CanonicalSamples.customerChangedHeaders(eventId, customerId));
        headers.put("q2c-change-type", changeType);
        headers.put("q2c-source-role", sourceRole);
        KafkaTestClient.send("q2c.customer.v1", null, customerId, json.toString().getBytes(StandardCharsets.UTF_8), headers);
    }

    private CustomerRecord awaitErpCustomer(String customerId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> netsuite.customer(customerId), Optional::isPresent).orElseThrow();
    }

    private StoredCustomer awaitBillingCustomer(String customerId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> stripe.customers().stream()
                .filter(c -> customerId.equals(c.metadata().get("canonical_id"))).findFirst(), Optional::isPresent).orElseThrow();
    }

    private ConsumerRecord<String, byte[]> awaitOnboarded(String customerId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> KafkaTestClient.readAll("q2c.customer.v1").stream()
                .filter(r -> "q2c.customer.onboarded.v1".equals(KafkaTestClient.header(r, "ce_type")))
                .filter(r -> customerId.equals(r.key())).findFirst(), Optional::isPresent).orElseThrow();
    }

    private Optional<String> openCase(String customerId) {
        return Optional.ofNullable(query("""
                SELECT error_code || ' ' || error_message FROM exception_case
                 WHERE capability = 'customer-onboarding' AND business_key = ? AND status = 'OPEN'""", customerId));
    }

    private String caseStatus(String customerId) {
        return query("SELECT status FROM exception_case WHERE capability = 'customer-onboarding' AND business_key = ?", customerId);
    }

    private String query(String sql, String param) {
        return Sql.first(db, sql, param).orElse(null);
    }
}
