package io.q2chub.capability.activation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.StripeClient;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.ProductCreateParams;
import io.agroal.api.AgroalDataSource;
import io.q2chub.connector.salesforce.SalesforceEnabled;
import io.q2chub.sandbox.SandboxSimulators;
import io.q2chub.sandbox.salesforce.SalesforceSimulator;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.q2chub.testing.ErpAndBillingSimulators;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.KafkaTestClient;
import io.q2chub.testing.SalesforceTestServices;
import io.q2chub.testing.Sql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Subscription activation end to end on the real broker, database and YAML routes: an order activated in the
 * Salesforce simulator (Pub/Sub CDC + REST) → contract.booked → Stripe simulator subscription →
 * subscription.activated → the order written back in Salesforce. Customers are onboarded the real way first
 * (account in Salesforce → customer onboarding → NetSuite and Stripe simulators).
 */
@QuarkusTest
@TestProfile(SalesforceEnabled.PromptWriteBack.class)
@QuarkusTestResource(HubTestServices.class)
@WithTestResource(ErpAndBillingSimulators.class)
class SubscriptionActivationTest {

    static final String CONTRACTS = "q2c.contract.v1";
    static final String SUBSCRIPTIONS = "q2c.subscription.v1";
    static final String PRICEBOOK = "01s000000000001AAA";
    static final Duration FLOW = Duration.ofSeconds(60);
    final ObjectMapper json = new ObjectMapper();

    @SalesforceTestServices.Simulator
    SalesforceSimulator salesforce;

    @ErpAndBillingSimulators.Simulator
    StripeSimulator stripe;

    @Inject
    AgroalDataSource db;

    @BeforeEach
    void subscribed() {
        await().atMost(Duration.ofSeconds(30)).until(() -> salesforce.activeOrderSubscriptions() > 0 && salesforce.activeSubscriptions() > 0);
    }

    @Test
    void activatedOrdersBecomeOneSubscriptionEachWithExactJpyAndKwdPricesAndTheOrderLearnsIt() throws Exception {
        String tokyo = onboardedAccount("Tokyo Kogyo KK", "JP", "JPY", "JP01", "T1234567890123");
        String kuwait = onboardedAccount("Gulf Trading WLL", "KW", "KWD", "KW01", null);
        String seats = sku();
        String support = sku();
        String jpySeat = mappedPrice(seats, "JPY", 12000);
        String jpySupport = mappedPrice(support, "JPY", 4500);
        String kwdSeat = mappedPrice(seats, "KWD", 12345);

        String jpyOrder = order(tokyo, "JPY", Map.of(seats, line(3, "12000"), support, line(1, "4500")));
        String kwdOrder = order(kuwait, "KWD", Map.of(seats, line(2, "12.345")));
        salesforce.activateOrder(jpyOrder);
        salesforce.activateOrder(kwdOrder);

        Map<String, Object> jpy = awaitSubscription(jpyOrder);
        assertThat(items(jpy)).containsExactlyInAnyOrderEntriesOf(Map.of(jpySeat, 3L, jpySupport, 1L));
        assertThat(unitAmounts(jpy)).containsExactlyInAnyOrderEntriesOf(Map.of(jpySeat, 12000L, jpySupport, 4500L));
        assertThat(jpy.get("currency")).isEqualTo("jpy");
        Map<String, Object> kwd = awaitSubscription(kwdOrder);
        assertThat(items(kwd)).containsExactlyEntriesOf(Map.of(kwdSeat, 2L));
        assertThat(unitAmounts(kwd)).containsExactlyEntriesOf(Map.of(kwdSeat, 12345L));

        ConsumerRecord<String, byte[]> activated = awaitActivated(jpyOrder, 1).get(0);
        JsonNode event = json.readTree(activated.value());
        assertThat(event.path("contractId").asText()).isEqualTo("ctr-sf-" + jpyOrder);
        assertThat(event.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(event.path("items")).hasSize(2);
        assertThat(event.toString()).contains("\"amountMinor\":12000", "\"amountMinor\":4500", "\"currency\":\"JPY\"");
        JsonNode kwdEvent = json.readTree(awaitActivated(kwdOrder, 1).get(0).value());
        assertThat(kwdEvent.path("items").path(0).path("unitPrice").path("amountMinor").asLong()).isEqualTo(12345L);
        assertThat(kwdEvent.path("items").path(0).path("unitPrice").path("currency").asText()).isEqualTo("KWD");

        await().atMost(FLOW).until(() -> jpy.get("id").equals(order(jpyOrder).get("Billing_Subscription_Id__c")));
        assertThat(order(jpyOrder)).containsEntry("Sync_Status__c", "Synced").containsEntry("Status", "Activated");
        await().atMost(FLOW).until(() -> kwd.get("id").equals(order(kwdOrder).get("Billing_Subscription_Id__c")));

        // Salesforce API calls per order: the Order read, one SOQL query of its items (not per item), one write-back.
        String orderPath = "/services/data/v60.0/sobjects/Order/" + jpyOrder;
        assertThat(salesforce.requests()).filteredOn(("GET " + orderPath)::equals).hasSize(1);
        assertThat(salesforce.requests()).filteredOn(("PATCH " + orderPath)::equals).hasSize(1);
        assertThat(salesforce.requests()).noneMatch(r -> r.contains("/sobjects/OrderItem") || r.contains("/sobjects/Product2"));
    }

    @Test
    void theSameContractEventTwiceOrAgainUnderANewIdYieldsOneSubscription() throws Exception {
        String account = onboardedAccount("Osaka Denki KK", "JP", "JPY", "JP01", "1234567890123");
        String sku = sku();
        mappedPrice(sku, "JPY", 800);
        String orderId = order(account, "JPY", Map.of(sku, line(10, "800")));
        salesforce.activateOrder(orderId);
        awaitSubscription(orderId);
        awaitActivated(orderId, 1);
        ConsumerRecord<String, byte[]> booked = KafkaTestClient.readAll(CONTRACTS).stream()
                .filter(r -> r.key().equals("ctr-sf-" + orderId)).findFirst().orElseThrow();
        int creates = stripe.operationCount("subscriptions.create");

        // The same event again: skipped by its id. Then the same contract under a new event id: the contract's
        // cross-reference finds the subscription, which is read (not created) and announced again.
        resend(booked, KafkaTestClient.header(booked, "ce_id"));
        resend(booked, "evt-" + UUID.randomUUID());

        awaitActivated(orderId, 2);
        assertThat(stripe.operationCount("subscriptions.create")).isEqualTo(creates);
        assertThat(subscriptionsOf(orderId)).hasSize(1);
        List<ConsumerRecord<String, byte[]>> activated = awaitActivated(orderId, 2);
        // Announced twice under one event id, so consumers see one activation.
        assertThat(activated).extracting(r -> KafkaTestClient.header(r, "ce_id")).containsOnly("activated-ctr-sf-" + orderId);
    }

    @Test
    void anUnmappedSkuIsOneCaseNamingItAndAfterTheMappingIsAddedAReplayCreatesOneSubscription() throws Exception {
        String account = onboardedAccount("Kyoto Seiki KK", "JP", "JPY", "JP01", "9876543210987");
        String mapped = sku();
        String unmapped = sku();
        mappedPrice(mapped, "JPY", 1000);
        String orderId = order(account, "JPY", Map.of(mapped, line(1, "1000"), unmapped, line(5, "2500")));
        salesforce.activateOrder(orderId);

        String contractId = "ctr-sf-" + orderId;
        await().atMost(FLOW).until(() -> caseColumn("status", contractId) != null);
        assertThat(caseColumn("error_code", contractId)).isEqualTo("PRODUCT_NOT_MAPPED");
        assertThat(caseColumn("error_message", contractId)).contains(unmapped + " has no stripe price in JPY",
                "stripe/price/" + unmapped + ":JPY", unmapped + " has no netsuite item").doesNotContain(mapped + " has no");
        assertThat(Sql.count(db, "SELECT count(*) FROM exception_case WHERE business_key = ?", contractId)).isEqualTo(1);
        assertThat(subscriptionsOf(orderId)).isEmpty();

        mappedPrice(unmapped, "JPY", 2500);
        as("operator").contentType("application/json").body("{\"target\":\"102\"}")
                .put("/api/mappings/netsuite/item/" + unmapped).then().statusCode(200);
        String caseId = caseColumn("id", contractId);
        as("operator").contentType("application/json").body("{}").post("/api/exception-cases/" + caseId + "/replay")
                .then().statusCode(200);

        Map<String, Object> subscription = awaitSubscription(orderId);
        assertThat(items(subscription)).hasSize(2).containsValue(5L);
        await().atMost(FLOW).until(() -> "RESOLVED".equals(caseColumn("status", contractId)));
        assertThat(subscriptionsOf(orderId)).hasSize(1);
    }

    @Test
    void anOrderOfACustomerNotOnboardedIsABusinessCaseAndNothingIsBilled() throws Exception {
        // Onboarding refuses this account (JP requires a tax id): the hub knows it from Salesforce, but neither the
        // ERP nor billing has it.
        String account = salesforce.createAccount(Map.of("Name", "No Tax Id KK", "BillingCountry", "JP",
                "CurrencyIsoCode", "JPY", "Legal_Entity__c", "JP01"));
        String sku = sku();
        mappedPrice(sku, "JPY", 700);
        await().atMost(FLOW).until(() -> Sql.first(db, "SELECT canonical_id FROM xref WHERE system = 'salesforce'"
                + " AND object_type = 'Account' AND external_id = ?", account).isPresent());
        String orderId = order(account, "JPY", Map.of(sku, line(1, "700")));
        salesforce.activateOrder(orderId);

        String contractId = "ctr-sf-" + orderId;
        await().atMost(FLOW).until(() -> caseColumn("status", contractId) != null);
        assertThat(caseColumn("failure_class", contractId)).isEqualTo("BUSINESS");
        assertThat(caseColumn("error_code", contractId)).isEqualTo("CUSTOMER_NOT_ONBOARDED");
        assertThat(caseColumn("error_message", contractId)).contains("not onboarded in stripe and netsuite");

        // An account the hub never saw at all (no change event ever named it): the ingress refuses to guess a customer.
        String stranger = "001" + String.format("%012d", Math.abs(UUID.randomUUID().getLeastSignificantBits() % 1_000_000_000_000L)) + "ZZZ";
        String strangerOrder = order(stranger, "JPY", Map.of(sku, line(1, "700")));
        salesforce.activateOrder(strangerOrder);
        await().atMost(FLOW).until(() -> Sql.first(db, "SELECT error_code FROM exception_case WHERE error_message LIKE ?",
                "%" + stranger + "%").isPresent());
        assertThat(Sql.first(db, "SELECT error_code FROM exception_case WHERE error_message LIKE ?", "%" + stranger + "%"))
                .contains("ACCOUNT_NOT_ONBOARDED");
        assertThat(subscriptionsOf(orderId)).isEmpty();
        assertThat(subscriptionsOf(strangerOrder)).isEmpty();
    }

    @Test
    void aCurrencyBillingDoesNotChargeInOrAFractionOfASeatIsABusinessCaseAndNothingIsBilled() throws Exception {
        String account = onboardedAccount("Nagoya Shoji KK", "JP", "JPY", "JP01", "1112223334445");
        String sku = sku();
        mappedPrice(sku, "JPY", 900);
        String francs = order(account, "CHF", Map.of(sku, line(1, "900")));
        String halfSeat = order(account, "JPY", Map.of(sku, new Line(0, "900")));
        salesforce.updateRecord("OrderItem", salesforce.records("OrderItem").stream()
                .filter(i -> halfSeat.equals(i.get("OrderId"))).map(i -> (String) i.get("Id")).findFirst().orElseThrow(),
                Map.of("Quantity", new BigDecimal("1.5")));
        salesforce.activateOrder(francs);
        salesforce.activateOrder(halfSeat);

        await().atMost(FLOW).until(() -> caseColumn("status", "ctr-sf-" + francs) != null && caseColumn("status", "ctr-sf-" + halfSeat) != null);
        assertThat(caseColumn("error_code", "ctr-sf-" + francs)).isEqualTo("CURRENCY_NOT_ALLOWED");
        assertThat(caseColumn("error_message", "ctr-sf-" + francs)).contains("CHF");
        assertThat(caseColumn("error_code", "ctr-sf-" + halfSeat)).isEqualTo("QUANTITY_NOT_WHOLE");
        assertThat(caseColumn("error_message", "ctr-sf-" + halfSeat)).contains(sku, "1.5");
        assertThat(subscriptionsOf(francs)).isEmpty();
        assertThat(subscriptionsOf(halfSeat)).isEmpty();
    }

    // --- helpers --------------------------------------------------------------------------------------------

    /** An account created in Salesforce and onboarded by the hub into ERP and billing; its Salesforce id. */
    private String onboardedAccount(String name, String country, String currency, String entity, String taxId) {
        Map<String, Object> fields = new HashMap<>(Map.of("Name", name, "BillingCountry", country,
                "CurrencyIsoCode", currency, "Legal_Entity__c", entity));
        if (taxId != null) {
            fields.put("Tax_Id__c", taxId);
        }
        String accountId = salesforce.createAccount(fields);
        await().atMost(FLOW).until(() -> Sql.first(db, """
                SELECT count(*) FROM xref x JOIN xref s ON s.canonical_id = x.canonical_id
                 WHERE x.system = 'salesforce' AND x.object_type = 'Account' AND x.external_id = ?
                   AND s.system IN ('stripe', 'netsuite') AND s.object_type = 'customer'""", accountId)
                .map(Integer::parseInt).orElse(0) == 2);
        return accountId;
    }

    /** A Stripe price for the SKU created in the simulator, and mapped (stripe/price, netsuite/item) through the API. */
    private String mappedPrice(String sku, String currency, long unitAmount) throws Exception {
        StripeClient client = StripeClient.builder().setApiKey(SandboxSimulators.STRIPE_KEY).setApiBase(stripe.baseUrl()).build();
        String product = client.v1().products().create(ProductCreateParams.builder().setName(sku).putMetadata("sku", sku).build()).getId();
        String price = client.v1().prices().create(PriceCreateParams.builder().setProduct(product)
                .setCurrency(currency.toLowerCase()).setUnitAmount(unitAmount).putMetadata("sku", sku)
                .setRecurring(PriceCreateParams.Recurring.builder().setInterval(PriceCreateParams.Recurring.Interval.MONTH).build())
                .build()).getId();
        as("operator").contentType("application/json").body("{\"target\":\"" + price + "\"}")
                .put("/api/mappings/stripe/price/" + sku + ":" + currency).then().statusCode(200);
        as("operator").contentType("application/json").body("{\"target\":\"101\"}")
                .put("/api/mappings/netsuite/item/" + sku).then().statusCode(200);
        return price;
    }

    private record Line(int quantity, String unitPrice) {
    }

    private static Line line(int quantity, String unitPrice) {
        return new Line(quantity, unitPrice);
    }

    /** A draft order with one item per SKU (Product2 with ProductCode, PricebookEntry), as a sales rep builds it. */
    private String order(String accountId, String currency, Map<String, Line> lines) {
        String orderId = salesforce.createRecord("Order", Map.of("AccountId", accountId, "EffectiveDate", "2026-12-01",
                "EndDate", "2027-11-30", "Status", "Draft", "CurrencyIsoCode", currency, "Pricebook2Id", PRICEBOOK));
        lines.forEach((sku, line) -> {
            String product = salesforce.createRecord("Product2", Map.of("Name", sku, "ProductCode", sku, "IsActive", true));
            String entry = salesforce.createRecord("PricebookEntry", Map.of("Pricebook2Id", PRICEBOOK, "Product2Id", product,
                    "UnitPrice", new BigDecimal(line.unitPrice()), "CurrencyIsoCode", currency, "IsActive", true));
            salesforce.createRecord("OrderItem", Map.of("OrderId", orderId, "Product2Id", product, "PricebookEntryId", entry,
                    "Quantity", new BigDecimal(line.quantity()), "UnitPrice", new BigDecimal(line.unitPrice())));
        });
        return orderId;
    }

    private Map<String, Object> order(String orderId) {
        return salesforce.record("Order", orderId).orElseThrow();
    }

    private List<Map<String, Object>> subscriptionsOf(String orderId) {
        return stripe.subscriptions().stream()
                .filter(s -> ("ctr-sf-" + orderId).equals(((Map<?, ?>) s.get("metadata")).get("contract_id"))).toList();
    }

    private Map<String, Object> awaitSubscription(String orderId) {
        await().atMost(FLOW).until(() -> !subscriptionsOf(orderId).isEmpty());
        List<Map<String, Object>> found = subscriptionsOf(orderId);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private List<ConsumerRecord<String, byte[]>> awaitActivated(String orderId, int count) {
        String key = "sub-ctr-sf-" + orderId;
        await().atMost(FLOW).until(() -> KafkaTestClient.readAll(SUBSCRIPTIONS).stream().filter(r -> key.equals(r.key())).count() >= count);
        return KafkaTestClient.readAll(SUBSCRIPTIONS).stream().filter(r -> key.equals(r.key())).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> itemList(Map<String, Object> subscription) {
        return (List<Map<String, Object>>) ((Map<String, Object>) subscription.get("items")).get("data");
    }

    /** price id → quantity. */
    private static Map<String, Long> items(Map<String, Object> subscription) {
        Map<String, Long> items = new LinkedHashMap<>();
        for (Map<String, Object> item : itemList(subscription)) {
            items.put((String) ((Map<?, ?>) item.get("price")).get("id"), ((Number) item.get("quantity")).longValue());
        }
        return items;
    }

    /** price id → unit_amount in minor units, as Stripe holds it. */
    private static Map<String, Long> unitAmounts(Map<String, Object> subscription) {
        Map<String, Long> amounts = new LinkedHashMap<>();
        for (Map<String, Object> item : itemList(subscription)) {
            Map<?, ?> price = (Map<?, ?>) item.get("price");
            amounts.put((String) price.get("id"), ((Number) price.get("unit_amount")).longValue());
        }
        return amounts;
    }

    private static void resend(ConsumerRecord<String, byte[]> record, String eventId) {
        Map<String, String> headers = new HashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), new String(h.value(), java.nio.charset.StandardCharsets.UTF_8));
        }
        headers.put("ce_id", eventId);
        KafkaTestClient.send(CONTRACTS, null, record.key(), record.value(), headers);
    }

    private String caseColumn(String column, String contractId) {
        return Sql.first(db, "SELECT " + column + " FROM exception_case WHERE capability = 'subscription-activation'"
                + " AND business_key = ? ORDER BY id DESC LIMIT 1", contractId).orElse(null);
    }

    private static String sku() {
        return "SKU-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user + "-sandbox");
    }
}
