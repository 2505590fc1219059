package io.q2chub.capability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.stripe.StripeClient;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.ProductCreateParams;
import io.agroal.api.AgroalDataSource;
import io.q2chub.connector.salesforce.SalesforceEnabled;
import io.q2chub.sandbox.SandboxSimulators;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.netsuite.Transaction;
import io.q2chub.sandbox.salesforce.SalesforceSimulator;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.q2chub.testing.ErpAndBillingSimulators;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.KafkaTestClient;
import io.q2chub.testing.Scrape;
import io.q2chub.testing.SalesforceTestServices;
import io.q2chub.testing.Sql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole quote-to-cash chain on the real broker, database, YAML routes and simulators over HTTP: an order
 * activated in Salesforce → contract.booked → one Stripe subscription → its first invoice finalized, delivered as a
 * signed webhook → invoice.issued → one NetSuite invoice → invoice.posted → the ERP id on the Stripe invoice and the
 * posting status on the Salesforce order. Prints the API calls each system answered per order and invoice.
 */
@QuarkusTest
@TestProfile(QuoteToCashChainTest.SalesforceAndWebhooks.class)
@QuarkusTestResource(HubTestServices.class)
@QuarkusTestResource(value = ErpAndBillingSimulators.class, restrictToAnnotatedClass = true)
public class QuoteToCashChainTest {

    static final String SECRET = "whsec_test_chain_0001";
    static final String PRICEBOOK = "01s000000000001AAA";
    /** A SKU the posting rules and the seeded netsuite/item mappings know (config/posting-rules.yaml). */
    static final String SKU = "PLATFORM-ANNUAL";
    static final Duration FLOW = Duration.ofSeconds(90);

    /** Salesforce on, and the webhook signing secret the Stripe simulator signs with. */
    public static class SalesforceAndWebhooks extends SalesforceEnabled {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("q2c.stripe.webhook-secrets", SECRET);
            return overrides;
        }
    }

    @SalesforceTestServices.Simulator
    SalesforceSimulator salesforce;

    @ErpAndBillingSimulators.Simulator
    StripeSimulator stripe;

    @ErpAndBillingSimulators.Simulator
    NetSuiteSimulator netsuite;

    @Inject
    AgroalDataSource db;

    @TestHTTPResource("/webhooks/stripe")
    URL webhookEndpoint;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @BeforeEach
    void wired() {
        stripe.webhooks().endpoint(webhookEndpoint.toString(), SECRET);
        await().atMost(Duration.ofSeconds(30)).until(() -> salesforce.activeOrderSubscriptions() > 0 && salesforce.activeSubscriptions() > 0);
    }

    @Test
    void anActivatedOrderIsBilledOncePostedOnceAndBothBillingAndTheOrderLearnTheErpInvoice() throws Exception {
        String boston = onboardedAccount("Boston Widgets Inc", "US", "USD", "US01", "12-3456789");
        String tokyo = onboardedAccount("Shibuya Systems KK", "JP", "JPY", "JP01", "T1234567890123");
        mappedPrice("USD", 120_000);
        mappedPrice("JPY", 150_000);

        // 2 × 1,200.00 USD and 3 × ¥150,000: no tax on a subscription's first invoice in the simulator.
        long started = System.currentTimeMillis();
        int salesforceCallsBefore = salesforce.apiCalls();
        Calls usd = chain(boston, "USD", 2, "1200.00", "2400.00");
        Calls jpy = chain(tokyo, "JPY", 3, "150000", "450000");

        replayedPostedEventChangesNothing(usd);
        salesforceBudgetAndReplayLagAsServed(started, salesforceCallsBefore);

        System.out.printf("%nAPI calls per order (one subscription, one invoice), whole chain:%n  USD %s%n  JPY %s%n", usd, jpy);
        for (Calls calls : List.of(usd, jpy)) {
            // Salesforce: order read, one item query, two PATCHes (subscription write-back, invoice status).
            assertThat(calls.salesforce).isEqualTo(4);
            assertThat(calls.stripe.get("subscriptions.create")).isEqualTo(1);
            assertThat(calls.stripe.get("invoices.update")).isEqualTo(1);
            // NetSuite: the invoice itself is written once.
            assertThat(calls.netsuiteInvoice).isEqualTo(1);
        }
    }

    /**
     * Salesforce's own count of the org's API calls (Sforce-Limit-Info on its answers) and the replay lag of the
     * order subscription, as /q/metrics serves them after the orders went through.
     */
    private void salesforceBudgetAndReplayLagAsServed(long started, int callsBefore) {
        Scrape served = Scrape.of(metrics);
        int callsNow = salesforce.apiCalls();
        double limit = served.value("q2c_connector_api_limit", "system=\"salesforce\"");
        double remaining = served.value("q2c_connector_api_remaining", "system=\"salesforce\"");
        assertThat(limit).isPositive();
        // the last answer the hub read came after the chain's first call, and no later than now
        assertThat(remaining).isBetween(limit - callsNow, limit - callsBefore - 1);
        // the stored position is an order event Salesforce committed during this test
        String orders = "subscription=\"salesforce:/data/OrderChangeEvent\"";
        assertThat(served.serves("q2c_crm_replay_lag_seconds", orders)).isTrue();
        double lag = served.value("q2c_crm_replay_lag_seconds", orders);
        assertThat(lag).isNotNaN().isPositive()
                .isLessThanOrEqualTo((System.currentTimeMillis() - started) / 1000.0);
    }

    /**
     * invoice.posted again under a new event id (a replay): the write-back runs again (Stripe sees one more metadata
     * update) and both records hold exactly what they held; nothing is parked and NetSuite still has one invoice.
     */
    private void replayedPostedEventChangesNothing(Calls chain) {
        var postedEvent = KafkaTestClient.readAll("q2c.invoice.v1").stream()
                .filter(r -> chain.canonicalInvoice().equals(r.key()))
                .filter(r -> "q2c.invoice.posted.v1".equals(KafkaTestClient.header(r, "ce_type"))).findFirst().orElseThrow();
        Map<String, Object> orderBefore = order(chain.orderId());
        Map<String, Object> metadataBefore = metadata(chain.stripeInvoice());
        int updates = stripe.operationCount("invoices.update");
        Map<String, String> headers = new HashMap<>();
        postedEvent.headers().forEach(h -> headers.put(h.key(), new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)));
        headers.put("ce_id", "replay-" + java.util.UUID.randomUUID());
        KafkaTestClient.send("q2c.invoice.v1", null, postedEvent.key(), postedEvent.value(), headers);

        await().atMost(FLOW).until(() -> stripe.operationCount("invoices.update") > updates);
        await().atMost(FLOW).until(() -> salesforce.requests().stream()
                .filter(("PATCH /services/data/v60.0/sobjects/Order/" + chain.orderId())::equals).count() == 3);
        assertThat(metadata(chain.stripeInvoice())).isEqualTo(metadataBefore);
        assertThat(order(chain.orderId())).isEqualTo(orderBefore);
        assertThat(netsuite.transactions()).filteredOn(t -> chain.canonicalInvoice().equals(t.externalId())).hasSize(1);
        assertThat(Sql.count(db, "SELECT count(*) FROM exception_case WHERE capability = 'invoice-status-write-back'"
                + " AND business_key = ?", chain.canonicalInvoice())).isZero();
    }

    /** One order through the whole chain; asserts what every system holds at the end and returns the calls made. */
    private Calls chain(String accountId, String currency, int quantity, String unitPrice, String total) throws Exception {
        String orderId = order(accountId, currency, quantity, unitPrice);
        Map<String, Integer> stripeBefore = stripeCounts();
        int netsuiteBefore = netsuite.counts().requests();
        int salesforceBefore = salesforce.requests().size();

        salesforce.activateOrder(orderId);

        await().atMost(FLOW).until(() -> subscriptionsOf(orderId).size() == 1);
        Map<String, Object> subscription = subscriptionsOf(orderId).get(0);
        String stripeInvoice = (String) subscription.get("latest_invoice");
        assertThat(stripeInvoice).isNotNull();
        String canonicalInvoice = await().atMost(FLOW).until(() -> Sql.first(db, "SELECT canonical_id FROM xref"
                + " WHERE system = 'stripe' AND object_type = 'invoice' AND external_id = ?", stripeInvoice), Optional::isPresent)
                .orElseThrow();
        Transaction posted = await().atMost(FLOW).until(() -> netsuite.invoice(canonicalInvoice), Optional::isPresent).orElseThrow();
        assertThat(posted.total()).isEqualByComparingTo(total);
        assertThat(posted.taxTotal()).isEqualByComparingTo("0");
        assertThat(netsuite.transactions()).filteredOn(t -> canonicalInvoice.equals(t.externalId())).hasSize(1);

        await().atMost(FLOW).until(() -> posted.internalId().equals(metadata(stripeInvoice).get("erp_id")));
        await().atMost(FLOW).until(() -> "Posted".equals(order(orderId).get("Invoice_Status__c")));
        Map<String, Object> order = order(orderId);
        assertThat(order).containsEntry("Sync_Status__c", "Synced")
                .containsEntry("Billing_Subscription_Id__c", subscription.get("id"))
                .containsEntry("ERP_Invoice_Id__c", posted.internalId())
                .containsEntry("Billing_Invoice_Id__c", stripeInvoice)
                .containsEntry("ERP_Invoice_Number__c", stripe.invoice(stripeInvoice).get("number"));
        assertThat(metadata(stripeInvoice)).containsEntry("erp_number", stripe.invoice(stripeInvoice).get("number"));
        assertThat(subscriptionsOf(orderId)).hasSize(1);
        assertThat(Sql.count(db, "SELECT count(*) FROM exception_case WHERE business_key = ?", "ctr-sf-" + orderId)).isZero();
        assertThat(Sql.count(db, "SELECT count(*) FROM exception_case WHERE business_key = ?", canonicalInvoice)).isZero();
        assertThat(KafkaTestClient.readAll("q2c.invoice.v1")).filteredOn(r -> canonicalInvoice.equals(r.key()))
                .extracting(r -> KafkaTestClient.header(r, "ce_type"))
                .containsExactlyInAnyOrder("q2c.invoice.issued.v1", "q2c.invoice.posted.v1");

        Map<String, Integer> stripeCalls = new LinkedHashMap<>();
        stripeCounts().forEach((op, n) -> {
            int delta = n - stripeBefore.getOrDefault(op, 0);
            if (delta > 0) {
                stripeCalls.put(op, delta);
            }
        });
        return new Calls(currency, salesforce.requests().size() - salesforceBefore, stripeCalls,
                netsuite.counts().requests() - netsuiteBefore, netsuite.requestsFor(canonicalInvoice).size(),
                orderId, stripeInvoice, canonicalInvoice);
    }

    record Calls(String currency, int salesforce, Map<String, Integer> stripe, int netsuite, int netsuiteInvoice,
            String orderId, String stripeInvoice, String canonicalInvoice) {
        @Override
        public String toString() {
            return "Salesforce " + salesforce + ", Stripe " + stripe.values().stream().mapToInt(Integer::intValue).sum()
                    + " " + stripe + ", NetSuite " + netsuite + " (invoice writes " + netsuiteInvoice + ")";
        }
    }

    private Map<String, Integer> stripeCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String op : List.of("subscriptions.create", "subscriptions.retrieve", "invoices.retrieve", "invoices.update",
                "prices.retrieve", "customers.retrieve")) {
            counts.put(op, stripe.operationCount(op));
        }
        return counts;
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private String onboardedAccount(String name, String country, String currency, String entity, String taxId) {
        String accountId = salesforce.createAccount(Map.of("Name", name, "BillingCountry", country,
                "CurrencyIsoCode", currency, "Legal_Entity__c", entity, "Tax_Id__c", taxId));
        await().atMost(FLOW).until(() -> Sql.first(db, """
                SELECT count(*) FROM xref x JOIN xref s ON s.canonical_id = x.canonical_id
                 WHERE x.system = 'salesforce' AND x.object_type = 'Account' AND x.external_id = ?
                   AND s.system IN ('stripe', 'netsuite') AND s.object_type = 'customer'""", accountId)
                .map(Integer::parseInt).orElse(0) == 2);
        return accountId;
    }

    /** The SKU's Stripe product and monthly price in this currency (metadata.sku), mapped as stripe/price/SKU:CUR. */
    private void mappedPrice(String currency, long unitAmount) throws Exception {
        StripeClient client = StripeClient.builder().setApiKey(SandboxSimulators.STRIPE_KEY).setApiBase(stripe.baseUrl()).build();
        String product = client.v1().products().create(ProductCreateParams.builder().setName("Platform, annual")
                .putMetadata("sku", SKU).build()).getId();
        String price = client.v1().prices().create(PriceCreateParams.builder().setProduct(product)
                .setCurrency(currency.toLowerCase()).setUnitAmount(unitAmount).putMetadata("sku", SKU)
                .setRecurring(PriceCreateParams.Recurring.builder().setInterval(PriceCreateParams.Recurring.Interval.YEAR).build())
                .build()).getId();
        as("operator").contentType("application/json").body("{\"target\":\"" + price + "\"}")
                .put("/api/mappings/stripe/price/" + SKU + ":" + currency).then().statusCode(200);
    }

    private String order(String accountId, String currency, int quantity, String unitPrice) {
        String orderId = salesforce.createRecord("Order", Map.of("AccountId", accountId, "EffectiveDate", "2026-12-01",
                "EndDate", "2027-11-30", "Status", "Draft", "CurrencyIsoCode", currency, "Pricebook2Id", PRICEBOOK));
        String product = salesforce.createRecord("Product2", Map.of("Name", "Platform, annual", "ProductCode", SKU, "IsActive", true));
        String entry = salesforce.createRecord("PricebookEntry", Map.of("Pricebook2Id", PRICEBOOK, "Product2Id", product,
                "UnitPrice", new BigDecimal(unitPrice), "CurrencyIsoCode", currency, "IsActive", true));
        salesforce.createRecord("OrderItem", Map.of("OrderId", orderId, "Product2Id", product, "PricebookEntryId", entry,
                "Quantity", new BigDecimal(quantity), "UnitPrice", new BigDecimal(unitPrice)));
        return orderId;
    }

    private Map<String, Object> order(String orderId) {
        return salesforce.record("Order", orderId).orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> metadata(String stripeInvoice) {
        Object metadata = stripe.invoice(stripeInvoice).get("metadata");
        return metadata == null ? Map.of() : (Map<String, Object>) metadata;
    }

    private List<Map<String, Object>> subscriptionsOf(String orderId) {
        return stripe.subscriptions().stream()
                .filter(s -> ("ctr-sf-" + orderId).equals(((Map<?, ?>) s.get("metadata")).get("contract_id"))).toList();
    }

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user + "-sandbox");
    }
}
