package io.q2chub.capability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.stripe.StripeClient;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.ProductCreateParams;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
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
import io.quarkus.test.common.WithTestResource;
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
 * posting status on the Salesforce order. Prints the API calls each system answered per order and invoice. Paid, the
 * chain is one transaction in the ledger, found by any system's id, with its stage times in the histograms.
 */
@QuarkusTest
@TestProfile(QuoteToCashChainTest.SalesforceAndWebhooks.class)
@QuarkusTestResource(HubTestServices.class)
@WithTestResource(ErpAndBillingSimulators.class)
public class QuoteToCashChainTest {

    static final String SECRET = "whsec_test_chain_0001";
    static final String PRICEBOOK = "01s000000000001AAA";
    /** A SKU the posting rules and the seeded netsuite/item mappings know (config/posting-rules.yaml). */
    static final String SKU = "PLATFORM-ANNUAL";
    static final Duration FLOW = Duration.ofSeconds(90);

    /** Salesforce on, and the webhook signing secret the Stripe simulator signs with. */
    public static class SalesforceAndWebhooks extends SalesforceEnabled.PromptWriteBack {
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
    URL metricsEndpoint;

    @Inject
    MeterRegistry metrics;

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
        Scrape served = Scrape.of(metricsEndpoint);
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
     * The paid order is one business transaction: every id any system gave it (Salesforce order, Stripe
     * subscription, invoice and payment, NetSuite invoice and payment, the canonical ids) finds the same chain, its
     * milestones booked → ... → applied with their times and stage durations, and the quote-to-cash histograms moved.
     */
    @Test
    void aPaidOrderIsOneTransactionFoundByAnyIdOfAnySystemAndItsStageTimesAreObserved() throws Exception {
        String denver = onboardedAccount("Denver Gears LLC", "US", "USD", "US01", "98-7654321");
        mappedPrice("USD", 50_000);
        Map<String, Long> stagesBefore = stageCounts();
        long quoteToCashBefore = timerCount("q2c_quote_to_cash", null);

        Calls chain = chain(denver, "USD", 1, "500.00", "500.00");
        stripe.payInvoice(chain.stripeInvoice(), null);
        String paymentIntent = await().atMost(FLOW).until(() -> paymentIntentOf(chain.stripeInvoice()), Optional::isPresent)
                .orElseThrow();
        String canonicalPayment = await().atMost(FLOW).until(() -> Sql.first(db, "SELECT canonical_id FROM xref"
                + " WHERE system = 'stripe' AND object_type = 'payment' AND external_id = ?", paymentIntent),
                Optional::isPresent).orElseThrow();
        Transaction erpPayment = await().atMost(FLOW).until(() -> netsuite.customerPayment(canonicalPayment),
                Optional::isPresent).orElseThrow();
        String contract = "ctr-sf-" + chain.orderId();
        await().atMost(FLOW).until(() -> given().get("/api/ledger/" + contract).then().extract().path("milestones.stage")
                .toString().contains("applied"));

        String stripeSubscription = (String) subscriptionsOf(chain.orderId()).get(0).get("id");
        String erpInvoice = netsuite.invoice(chain.canonicalInvoice()).orElseThrow().internalId();
        for (String anyId : List.of(chain.orderId(), contract, stripeSubscription, chain.stripeInvoice(),
                chain.canonicalInvoice(), erpInvoice, paymentIntent, canonicalPayment, erpPayment.internalId())) {
            given().get("/api/ledger/" + anyId).then().statusCode(200).body("transactionKey", equalTo(contract));
        }
        var trace = given().get("/api/ledger/" + erpPayment.internalId()).then().extract().jsonPath();
        assertThat(trace.getList("milestones.stage", String.class))
                .containsSubsequence("customer", "booked", "subscribed", "posted", "paid", "applied")
                .contains("invoiced");
        System.out.printf("%nThe paid order as one transaction, GET /api/ledger/%s (its NetSuite payment id):%n%s%n",
                erpPayment.internalId(), trace.prettify());
        assertThat(trace.getList("milestones.occurredAt", String.class)).doesNotContainNull();
        assertThat(trace.getList("stages.stage", String.class)).containsExactlyInAnyOrder("booked_to_subscribed",
                "subscribed_to_invoiced", "invoiced_to_posted", "posted_to_paid", "paid_to_applied");
        assertThat(trace.getList("stages.seconds", Float.class)).allSatisfy(s -> assertThat(s).isNotNegative());
        assertThat(trace.getFloat("quoteToCashSeconds")).isPositive();
        assertThat(trace.getList("ids", Map.class)).extracting(id -> id.get("system") + ":" + id.get("externalId"))
                .contains("salesforce:" + chain.orderId(), "salesforce:" + denver, "stripe:" + stripeSubscription,
                        "stripe:" + chain.stripeInvoice(), "stripe:" + paymentIntent, "netsuite:" + erpInvoice,
                        "netsuite:" + erpPayment.internalId());

        // Each stage observed once for this chain; quote-to-cash once (its first payment applied).
        Map<String, Long> stagesAfter = stageCounts();
        stagesAfter.forEach((stage, count) -> assertThat(count - stagesBefore.get(stage)).as(stage).isEqualTo(1));
        assertThat(timerCount("q2c_quote_to_cash", null) - quoteToCashBefore).isEqualTo(1);
        String scraped = given().baseUri(metricsEndpoint.toString()).get().then().statusCode(200).extract().asString();
        assertThat(scraped).contains("q2c_quote_to_cash_seconds_count", "q2c_quote_to_cash_seconds_bucket",
                "q2c_stage_seconds_count{stage=\"paid_to_applied\"", "q2c_stage_seconds_bucket");

        given().get("/api/ledger/no-such-id-" + chain.orderId()).then().statusCode(404)
                .body("message", containsString("no-such-id-" + chain.orderId()));
    }

    private Map<String, Long> stageCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String stage : List.of("booked_to_subscribed", "subscribed_to_invoiced", "invoiced_to_posted",
                "posted_to_paid", "paid_to_applied")) {
            counts.put(stage, timerCount("q2c_stage", stage));
        }
        return counts;
    }

    private long timerCount(String name, String stage) {
        var search = metrics.find(name);
        var timer = stage == null ? search.timer() : search.tag("stage", stage).timer();
        return timer == null ? 0 : timer.count();
    }

    @SuppressWarnings("unchecked")
    private Optional<String> paymentIntentOf(String stripeInvoice) {
        Map<String, Object> payments = (Map<String, Object>) stripe.invoice(stripeInvoice).get("payments");
        if (payments == null || ((List<?>) payments.get("data")).isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> first = ((List<Map<String, Object>>) payments.get("data")).get(0);
        return Optional.ofNullable((String) ((Map<String, Object>) first.get("payment")).get("payment_intent"));
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

        // The simulator attaches the first invoice to the subscription just after storing it: wait for both.
        await().atMost(FLOW).until(() -> subscriptionsOf(orderId).size() == 1
                && subscriptionsOf(orderId).get(0).get("latest_invoice") != null);
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
        // The account's batched CRM write-back lands now, not in the API-call window of the chain that follows.
        await().atMost(FLOW).until(() -> salesforce.record("Account", accountId).map(a -> a.get("ERP_Id__c") != null)
                .orElse(false));
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
