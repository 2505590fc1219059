package io.q2chub.sandbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.q2chub.capability.QuoteToCashChainTest;
import io.q2chub.capability.reconciliation.Discrepancy;
import io.q2chub.capability.reconciliation.DiscrepancyKind;
import io.q2chub.capability.reconciliation.ReconciliationReport;
import io.q2chub.ops.xref.CrossReference;
import io.q2chub.sandbox.DemoPayments.Plan;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.netsuite.Transaction;
import io.q2chub.sandbox.salesforce.SalesforceSimulator;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.q2chub.testing.ErpAndBillingSimulators;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.SalesforceTestServices;
import io.q2chub.testing.Sql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The embedded default's demo reconciliation, driven the way DemoFinance drives it, on the real broker, database,
 * YAML routes and simulators: the demo's USD, JPY and KWD orders run the whole chain, their invoices are paid (in
 * full, half, in full with a quarter refunded) and the payments reach NetSuite through payment-application; the
 * first run through direct:reconcile finds nothing, the second finds exactly the one seeded discrepancy of each kind.
 */
@QuarkusTest
@TestProfile(QuoteToCashChainTest.SalesforceAndWebhooks.class)
@QuarkusTestResource(HubTestServices.class)
// Simulators of its own: the demo counts everything they hold (e.g. all Stripe subscriptions).
@QuarkusTestResource(value = ErpAndBillingSimulators.class, restrictToAnnotatedClass = true)
class DemoReconciliationTest {

    private static final Duration FLOW = Duration.ofSeconds(90);
    /** The demo's markets: USD, JPY and KWD accounts get an order; the DE account only the seeded EUR order. */
    private static final String[][] MARKETS = {{"US", "USD", "12-3456789"}, {"JP", "JPY", "T1234567890123"},
            {"KW", "KWD", "123456789012"}, {"DE", "EUR", "DE123456789"}};
    private static final int ORDERS = 3;

    @SalesforceTestServices.Simulator
    SalesforceSimulator salesforce;

    @ErpAndBillingSimulators.Simulator
    StripeSimulator stripe;

    @ErpAndBillingSimulators.Simulator
    NetSuiteSimulator netsuite;

    @Inject
    ProducerTemplate producer;

    @Inject
    CrossReference xref;

    @Inject
    AgroalDataSource db;

    @ConfigProperty(name = "q2c.stripe.webhook-secrets")
    String webhookSecret;

    @ConfigProperty(name = "q2c.reconciliation.compare-payments")
    boolean comparePayments;

    @TestHTTPResource("/webhooks/stripe")
    URL webhookEndpoint;

    @Test
    void theDemoPaysItsInvoicesReconcilesToZeroThenFindsOneSeededDiscrepancyOfEachKind() throws Exception {
        Instant demoStart = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        stripe.webhooks().endpoint(webhookEndpoint.toString(), webhookSecret);
        await().atMost(Duration.ofSeconds(30)).until(() -> salesforce.activeOrderSubscriptions() > 0
                && salesforce.activeSubscriptions() > 0);
        demoPricesMapped();
        List<String> accounts = Arrays.stream(MARKETS).map(this::account).toList();
        await().atMost(FLOW).until(() -> accounts.stream().allMatch(id -> salesforce.account(id)
                .map(a -> "Synced".equals(a.get("Sync_Status__c"))).orElse(false)));
        for (int i = 0; i < ORDERS; i++) {
            SalesforceDemoTraffic.activatedOrder(salesforce, accounts.get(i), MARKETS[i][1]);
        }
        DemoPayments payments = new DemoPayments(stripe, netsuite, xref);
        DemoReconciliation demo = new DemoReconciliation(producer, stripe, netsuite, salesforce, payments,
                comparePayments, FLOW);

        DemoReconciliation.Outcome outcome = demo.run(demoStart);

        ReconciliationReport clean = outcome.clean();
        assertThat(clean.status()).isEqualTo("COMPLETED");
        // each side: the orders' invoices, their payments and the one refund
        assertThat(List.of(clean.billingDocuments(), clean.erpDocuments())).containsOnly(2 * ORDERS + 1);
        assertThat(clean.crmBookings()).isEqualTo(ORDERS);
        assertThat(clean.discrepancies()).isEmpty();
        assertThat(clean.counts().values()).containsOnly(0);
        paymentsAreAppliedInNetSuite(payments);
        payoutsAreDepositedInNetSuite(outcome.payouts());

        ReconciliationReport found = outcome.seededRun();
        DemoReconciliation.Seeded seeded = outcome.seeded();
        assertThat(found.counts()).containsOnlyKeys(DiscrepancyKind.values()).allSatisfy((kind, n) -> assertThat(n)
                .as(kind.name()).isEqualTo(1));
        assertThat(found.discrepancies()).hasSize(DiscrepancyKind.values().length);
        assertThat(item(found, DiscrepancyKind.MISSING_IN_ERP).billingId()).isEqualTo(seeded.missingInErp());
        Discrepancy amount = item(found, DiscrepancyKind.AMOUNT_MISMATCH);
        long oneUnit = BigDecimal.ONE.movePointRight(Currency.getInstance(amount.currency()).getDefaultFractionDigits())
                .longValueExact();
        assertThat(amount.billingId()).isEqualTo(seeded.amountMismatch());
        assertThat(amount.erpAmountMinor()).isEqualTo(amount.billingAmountMinor() + oneUnit);
        Discrepancy status = item(found, DiscrepancyKind.STATUS_MISMATCH);
        assertThat(status.billingId()).isEqualTo(seeded.statusMismatch());
        assertThat(status.billingStatus()).isEqualTo(comparePayments ? "paid" : "void");
        assertThat(status.erpStatus()).isEqualTo("open");
        assertThat(item(found, DiscrepancyKind.ERP_WITHOUT_SOURCE).erpId()).isEqualTo(seeded.erpWithoutSource());
        Discrepancy booking = item(found, DiscrepancyKind.BOOKING_NOT_INVOICED);
        assertThat(booking.crmId()).isEqualTo(seeded.bookingNotInvoiced());
        assertThat(booking.currency()).isEqualTo("EUR");
        assertThat(comparePayments).as("payments are compared by default").isTrue();
        assertThat(item(found, DiscrepancyKind.PAYMENT_MISSING_IN_ERP).billingId())
                .isEqualTo(seeded.payments().missingInErp());
        Discrepancy paymentAmount = item(found, DiscrepancyKind.PAYMENT_AMOUNT_MISMATCH);
        assertThat(paymentAmount.documentId()).isEqualTo(seeded.payments().amountMismatch());
        assertThat(paymentAmount.erpAmountMinor() - paymentAmount.billingAmountMinor()).isEqualTo(BigDecimal.ONE
                .movePointRight(Currency.getInstance(paymentAmount.currency()).getDefaultFractionDigits())
                .longValueExact());
        assertThat(item(found, DiscrepancyKind.PAYMENT_WITHOUT_SOURCE).erpId())
                .isEqualTo(seeded.payments().withoutSource());
        // the EUR order was refused by activation for its missing price, not merely not yet processed
        await().atMost(FLOW).until(() -> Sql.first(db, "SELECT error_code FROM exception_case WHERE capability ="
                + " 'subscription-activation' AND business_key = ?", "ctr-sf-" + seeded.bookingNotInvoiced())
                .filter("PRODUCT_NOT_MAPPED"::equals).isPresent());
        assertThat(stripe.subscriptions()).hasSize(ORDERS);
    }

    /** Each demo invoice's payment is a NetSuite customer payment applied to it; the refund a customer refund. */
    private void paymentsAreAppliedInNetSuite(DemoPayments payments) throws Exception {
        Map<String, Plan> paid = payments.paid();
        assertThat(paid.values()).containsExactlyInAnyOrder(Plan.values());
        for (Map.Entry<String, Plan> invoice : paid.entrySet()) {
            Map<String, Object> billed = stripe.invoice(invoice.getKey());
            Transaction erpInvoice = payments.erpInvoice(billed).orElseThrow();
            int digits = Currency.getInstance(((String) billed.get("currency")).toUpperCase(Locale.ROOT))
                    .getDefaultFractionDigits();
            BigDecimal owed = BigDecimal.valueOf(DemoPayments.number(billed, "amount_remaining"), digits);
            assertThat(erpInvoice.amountRemaining()).as(invoice.getValue().name()).isEqualByComparingTo(owed);
            assertThat(owed.signum() > 0).as(invoice.getValue().name()).isEqualTo(invoice.getValue() == Plan.HALF);
            String payment = xref.canonicalId("stripe", "payment", paymentIntent(billed)).orElseThrow();
            Transaction erpPayment = netsuite.customerPayment(payment).orElseThrow();
            assertThat(erpPayment.applied()).singleElement().satisfies(line ->
                    assertThat(line.path("doc").path("id").asText()).isEqualTo(erpInvoice.internalId()));
            if (invoice.getValue() == Plan.IN_FULL_THEN_QUARTER_REFUNDED) {
                String refund = xref.canonicalId("stripe", "refund", payments.refunds().get(invoice.getKey())).orElseThrow();
                assertThat(netsuite.customerRefund(refund).orElseThrow().total()).isEqualByComparingTo(
                        BigDecimal.valueOf(DemoPayments.number(billed, "total") / 4, digits));
            }
        }
    }

    /** One payout per currency paid in (USD, JPY, KWD), each one NetSuite deposit of exactly the payout amount. */
    private void payoutsAreDepositedInNetSuite(List<String> payouts) throws Exception {
        assertThat(payouts).hasSize(ORDERS);
        for (Map<String, Object> payout : stripe.payouts()) {
            String canonical = xref.canonicalId("stripe", "payout", (String) payout.get("id")).orElseThrow();
            Transaction deposit = netsuite.deposit(canonical).orElseThrow();
            int digits = Currency.getInstance(((String) payout.get("currency")).toUpperCase(Locale.ROOT))
                    .getDefaultFractionDigits();
            assertThat(deposit.total()).as("deposit of " + payout.get("id"))
                    .isEqualByComparingTo(BigDecimal.valueOf(DemoPayments.number(payout, "amount"), digits));
            assertThat(deposit.writes()).isEqualTo(1);
        }
    }

    /** The Stripe prices the sandbox creates at start, mapped as the sandbox seeds q2c.stripe.prices. */
    private void demoPricesMapped() {
        for (String mapping : SandboxSimulators.demoPrices(stripe).split(",")) {
            String[] keyAndPrice = mapping.split("=");
            given().auth().preemptive().basic("operator", "operator-sandbox").contentType("application/json")
                    .body(Map.of("target", keyAndPrice[1])).put("/api/mappings/stripe/price/" + keyAndPrice[0])
                    .then().statusCode(200);
        }
    }

    /** An account as the demo's sales rep creates it. */
    private String account(String[] market) {
        return salesforce.createAccount(Map.of("Name", "Demo Account " + market[1], "BillingCountry", market[0],
                "CurrencyIsoCode", market[1], "Tax_Id__c", market[2], "Type", "Customer"));
    }

    private static Discrepancy item(ReconciliationReport report, DiscrepancyKind kind) {
        return report.discrepancies().stream().filter(d -> d.kind() == kind).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + report.discrepancies()));
    }

    @SuppressWarnings("unchecked")
    private static String paymentIntent(Map<String, Object> invoice) {
        List<Map<String, Object>> data = (List<Map<String, Object>>) ((Map<String, Object>) invoice.get("payments")).get("data");
        return (String) ((Map<String, Object>) data.get(0).get("payment")).get("payment_intent");
    }
}
