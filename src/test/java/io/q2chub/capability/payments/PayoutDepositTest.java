package io.q2chub.capability.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.q2chub.capability.reconciliation.Discrepancy;
import io.q2chub.capability.reconciliation.DiscrepancyKind;
import io.q2chub.capability.reconciliation.Reconciliation;
import io.q2chub.capability.reconciliation.ReconciliationReport;
import io.q2chub.connector.ConnectorRoles;
import io.q2chub.ops.xref.CrossReference;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.netsuite.Transaction;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.q2chub.testing.ErpAndBillingSimulators;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.Sql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Payouts end to end on the real broker, database, YAML routes and simulators over HTTP: invoices paid (and partly
 * refunded) in the Stripe simulator reach NetSuite as customer payments, then Stripe pays out the settled balance;
 * its signed {@code payout.paid} webhook reaches the hub and the assertions are on the one NetSuite deposit it
 * becomes. Each test settles its own currency, so one test's payout never sweeps another's payments.
 */
@QuarkusTest
@TestProfile(PaymentApplicationTest.Webhooks.class)
@QuarkusTestResource(HubTestServices.class)
// Simulators of its own: a payout sweeps the whole Stripe balance of its currency, other classes' payments included.
@QuarkusTestResource(value = ErpAndBillingSimulators.class, restrictToAnnotatedClass = true)
class PayoutDepositTest {

    static final Duration FLOW = Duration.ofSeconds(60);
    private static final long JAN_1_2027 = 1_798_761_600L;
    private static final long FEB_1_2027 = 1_801_440_000L;
    private static final String BANK_USD = "1001";
    private static final String BANK_JPY = "1002";
    private static final String BANK_FEES = "6010";
    private static final String REFUND_CLEARING = "1099";
    private static final String SUPPORT_ITEM = "/api/mappings/netsuite/item/SUPPORT-PREM";

    @ErpAndBillingSimulators.Simulator
    StripeSimulator stripe;

    @ErpAndBillingSimulators.Simulator
    NetSuiteSimulator netsuite;

    @Inject
    ConnectorRoles roles;

    @Inject
    CrossReference xref;

    @Inject
    AgroalDataSource db;

    @Inject
    Reconciliation reconciliation;

    @TestHTTPResource("/webhooks/stripe")
    URL endpoint;

    @BeforeEach
    void deliverToTheHub() {
        stripe.webhooks().endpoint(endpoint.toString(), PaymentApplicationTest.SECRET);
        stripe.webhooks().retries(Duration.ofMillis(200), 10);
        stripe.webhooks().duplicateEach(1);
    }

    @Test
    void aPayoutDeliveredThreeTimesIsOneDepositOfItsPaymentsLessTheRefundAndTheFeesToTheFeeAccount()
            throws Exception {
        String customer = customer("US01", "USD");
        String first = paidInvoice(customer, "usd", 10_000);
        String second = paidInvoice(customer, "usd", 4_250);
        Transaction firstPayment = customerPayment(canonicalPayment(first));
        Transaction secondPayment = customerPayment(canonicalPayment(second));
        Map<String, Object> refund = stripe.refund(paymentIntent(first), 1_000L);
        String canonicalRefund = await().atMost(FLOW).until(() -> xref.canonicalId("stripe", "refund",
                (String) refund.get("id")), Optional::isPresent).orElseThrow();
        await().atMost(FLOW).until(() -> netsuite.customerRefund(canonicalRefund), Optional::isPresent);

        stripe.webhooks().duplicateEach(3);
        Map<String, Object> payout = stripe.payOut("usd");
        // Stripe's numbers: fees 2.9 % + 30 cents per charge (320 + 153), the refund has none
        assertThat(payout.get("amount")).isEqualTo(10_000L + 4_250 - 1_000 - 320 - 153);

        String canonicalPayout = canonicalPayout(payout);
        Transaction deposit = deposit(canonicalPayout);
        assertThat(deposit.total().toPlainString()).isEqualTo("127.77");
        assertThat(deposit.fields().path("account").path("id").asText()).isEqualTo(BANK_USD);
        assertThat(deposit.text("tranDate")).isEqualTo(java.time.LocalDate.ofEpochDay(
                ((Number) payout.get("arrival_date")).longValue() / 86_400).toString());
        assertThat(lines(deposit, "payment")).extracting(l -> l.path("doc").path("id").asText() + " "
                + l.path("paymentAmount").decimalValue().toPlainString())
                .containsExactlyInAnyOrder(firstPayment.internalId() + " 100.00", secondPayment.internalId() + " 42.50");
        assertThat(lines(deposit, "cashBack")).extracting(l -> l.path("account").path("id").asText() + " "
                + l.path("amount").decimalValue().toPlainString())
                .containsExactlyInAnyOrder(BANK_FEES + " 4.73", REFUND_CLEARING + " 10.00");

        await().atMost(FLOW).until(() -> acknowledged("payout.paid", (String) payout.get("id")) >= 3);
        assertThat(netsuite.deposit(canonicalPayout).orElseThrow().writes()).isEqualTo(1);
        assertThat(netsuite.requestsFor(canonicalPayout)).containsExactly("GET /deposit/eid:" + canonicalPayout,
                "PUT /deposit/eid:" + canonicalPayout);
        assertThat(netsuite.transactions()).filteredOn(t -> t.type().equals("deposit")
                && canonicalPayout.equals(t.externalId())).hasSize(1);
        assertThat(xref.externalId("netsuite", "deposit", canonicalPayout)).contains(deposit.internalId());
    }

    @Test
    void aYenPayoutIsDepositedToTheYenBankAccountExactToTheYen() throws Exception {
        String customer = customer("JP01", "JPY");
        String invoice = paidInvoice(customer, "jpy", 150_001);
        Transaction payment = customerPayment(canonicalPayment(invoice));

        Map<String, Object> payout = stripe.payOut("jpy");
        // 3.6 % of 150001 = 5400.036 -> 5400, no fixed part for a zero-decimal currency
        assertThat(payout.get("amount")).isEqualTo(150_001L - 5_400);

        Transaction deposit = deposit(canonicalPayout(payout));
        assertThat(deposit.total().toPlainString()).isEqualTo("144601");
        assertThat(deposit.fields().path("account").path("id").asText()).isEqualTo(BANK_JPY);
        assertThat(lines(deposit, "payment")).extracting(l -> l.path("doc").path("id").asText() + " "
                + l.path("paymentAmount").decimalValue().toPlainString())
                .containsExactly(payment.internalId() + " 150001");
        assertThat(lines(deposit, "cashBack")).extracting(l -> l.path("account").path("id").asText() + " "
                + l.path("amount").decimalValue().toPlainString())
                .containsExactly(BANK_FEES + " 5400");
    }

    @Test
    void aPayoutWhoseNumbersDoNotAddUpIsParkedAsABusinessCaseAndNothingIsDeposited() throws Exception {
        String customer = customer("KW01", "KWD");
        String invoice = paidInvoice(customer, "kwd", 12_345);
        customerPayment(canonicalPayment(invoice));

        // one fils more than the balance transactions it sweeps
        Map<String, Object> payout = stripe.payOutWrongly("kwd", 1);
        String canonicalPayout = canonicalPayout(payout);

        await().atMost(FLOW).until(() -> "OPEN".equals(caseColumn("status", canonicalPayout)));
        assertThat(caseColumn("error_code", canonicalPayout)).isEqualTo("PAYOUT_DOES_NOT_ADD_UP");
        assertThat(caseColumn("failure_class", canonicalPayout)).isEqualTo("BUSINESS");
        assertThat(caseColumn("error_message", canonicalPayout)).contains("11.957", "11.958");
        assertThat(netsuite.deposit(canonicalPayout)).isEmpty();
        assertThat(netsuite.requestsFor(canonicalPayout)).isEmpty();
    }

    @Test
    void aPayoutOfAPaymentNotInTheErpYetIsParkedNamingItAndDepositedOnceAfterReplay() throws Exception {
        as("operator").delete(SUPPORT_ITEM);
        try {
            String customer = customer("GB01", "GBP");
            String stripeInvoice = (String) stripe.createInvoice("""
                    {"customer":"%s","currency":"gbp","daysUntilDue":30,
                     "lines":[{"description":"Support","quantity":1,"unitAmount":20000,"sku":"SUPPORT-PREM",
                               "periodStart":%d,"periodEnd":%d}]}""".formatted(customer, JAN_1_2027, FEB_1_2027))
                    .get("id");
            String canonicalInvoice = await().atMost(FLOW).until(() -> xref.canonicalId("stripe", "invoice",
                    stripeInvoice), Optional::isPresent).orElseThrow();
            await().atMost(FLOW).until(() -> "OPEN".equals(caseColumn("invoice-posting", "status", canonicalInvoice)));
            stripe.payInvoice(stripeInvoice, null);
            String payment = canonicalPayment(stripeInvoice);
            await().atMost(FLOW).until(() -> "2".equals(caseColumn("payment-application", "occurrences", payment)));

            Map<String, Object> payout = stripe.payOut("gbp");
            String canonicalPayout = canonicalPayout(payout);
            await().atMost(FLOW).until(() -> "OPEN".equals(caseColumn("status", canonicalPayout)));
            assertThat(caseColumn("error_code", canonicalPayout)).isEqualTo("PAYMENT_NOT_RECORDED");
            assertThat(caseColumn("error_message", canonicalPayout)).contains(payment, "200.00 GBP");
            assertThat(netsuite.deposit(canonicalPayout)).isEmpty();

            as("operator").contentType("application/json").body("{\"target\":\"504\"}").put(SUPPORT_ITEM)
                    .then().statusCode(200);
            replay("invoice-posting", canonicalInvoice);
            await().atMost(FLOW).until(() -> netsuite.invoice(canonicalInvoice), Optional::isPresent);
            replay("payment-application", payment);
            Transaction paid = customerPayment(payment);
            replay("payout-deposit", canonicalPayout);

            Transaction deposit = deposit(canonicalPayout);
            // 2.9 % of 200.00 = 5.80, + 0.30
            assertThat(deposit.total().toPlainString()).isEqualTo("193.90");
            assertThat(lines(deposit, "payment")).extracting(l -> l.path("doc").path("id").asText())
                    .containsExactly(paid.internalId());
            await().atMost(FLOW).until(() -> "RESOLVED".equals(caseColumn("status", canonicalPayout)));
            assertThat(deposit.writes()).isEqualTo(1);
            assertThat(Sql.count(db, "SELECT count(*) FROM exception_case WHERE capability = 'payout-deposit'"
                    + " AND business_key = ?", canonicalPayout)).isEqualTo(1);
        } finally {
            as("operator").contentType("application/json").body("{\"target\":\"504\"}").put(SUPPORT_ITEM);
        }
    }

    @Test
    void theReconciliationFindsAPayoutWithoutDepositADepositOffItsPayoutAndAHandEnteredDeposit() throws Exception {
        Instant from = Instant.now().minusSeconds(60);
        String customer = customer("DE01", "EUR");
        String first = paidInvoice(customer, "eur", 10_000);
        customerPayment(canonicalPayment(first));
        Map<String, Object> deposited = stripe.payOut("eur");
        String depositedPayout = canonicalPayout(deposited);
        deposit(depositedPayout);
        String second = paidInvoice(customer, "eur", 5_000);
        customerPayment(canonicalPayment(second));
        Map<String, Object> undeposited = stripe.payOutWrongly("eur", 1);
        String undepositedPayout = canonicalPayout(undeposited);
        await().atMost(FLOW).until(() -> "OPEN".equals(caseColumn("status", undepositedPayout)));

        ReconciliationReport clean = reconciliation.reconcile(from, Instant.now().plusSeconds(60), false, "test");
        assertThat(clean.discrepancies()).filteredOn(d -> deposited.get("id").equals(d.billingId())).isEmpty();

        netsuite.changeDepositTotal(depositedPayout, new java.math.BigDecimal("96.79"));
        Transaction byHand = netsuite.enterDepositByHand(depositedPayout);
        ReconciliationReport report = reconciliation.reconcile(from, Instant.now().plusSeconds(60), false, "test");

        assertThat(report.discrepancies()).filteredOn(d -> undeposited.get("id").equals(d.billingId()))
                .extracting(Discrepancy::kind, Discrepancy::documentId, Discrepancy::billingAmountMinor)
                .containsExactly(tuple(DiscrepancyKind.MISSING_IN_ERP, undepositedPayout, 5_000L - 175 + 1));
        assertThat(report.discrepancies()).filteredOn(d -> deposited.get("id").equals(d.billingId()))
                .extracting(Discrepancy::kind, Discrepancy::billingAmountMinor, Discrepancy::erpAmountMinor)
                .containsExactly(tuple(DiscrepancyKind.AMOUNT_MISMATCH, 10_000L - 320, 9_679L));
        assertThat(report.discrepancies()).filteredOn(d -> byHand.internalId().equals(d.erpId()))
                .extracting(Discrepancy::kind).containsExactly(DiscrepancyKind.ERP_WITHOUT_SOURCE);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private void replay(String capability, String businessKey) {
        PaymentFixtures.replay(db, capability, businessKey);
    }

    private String caseColumn(String capability, String column, String businessKey) {
        return PaymentFixtures.caseColumn(db, capability, column, businessKey);
    }

    private static RequestSpecification as(String user) {
        return PaymentFixtures.as(user);
    }

    /** A customer in NetSuite and in Stripe, linked in the cross-reference as onboarding leaves it; its Stripe id. */
    private String customer(String legalEntity, String currency) throws Exception {
        return PaymentFixtures.customer(roles, xref, legalEntity, currency);
    }

    /** An invoice finalized in Stripe, posted to NetSuite through the hub, then paid in full in Stripe. */
    private String paidInvoice(String stripeCustomer, String currency, long amountMinor) {
        String stripeId = (String) stripe.createInvoice("""
                {"customer":"%s","currency":"%s","daysUntilDue":30,
                 "lines":[{"description":"Platform","quantity":1,"unitAmount":%d,"sku":"PLAT-SUB",
                           "periodStart":%d,"periodEnd":%d}]}"""
                .formatted(stripeCustomer, currency, amountMinor, JAN_1_2027, FEB_1_2027)).get("id");
        String canonicalId = await().atMost(FLOW).until(() -> xref.canonicalId("stripe", "invoice", stripeId),
                Optional::isPresent).orElseThrow();
        await().atMost(FLOW).until(() -> netsuite.invoice(canonicalId), Optional::isPresent);
        stripe.payInvoice(stripeId, null);
        return stripeId;
    }

    @SuppressWarnings("unchecked")
    private String paymentIntent(String stripeInvoice) {
        Map<String, Object> payments = (Map<String, Object>) stripe.invoice(stripeInvoice).get("payments");
        Map<String, Object> payment = ((List<Map<String, Object>>) payments.get("data")).get(0);
        return (String) ((Map<String, Object>) payment.get("payment")).get("payment_intent");
    }

    private String canonicalPayment(String stripeInvoice) {
        String paymentIntent = paymentIntent(stripeInvoice);
        return await().atMost(FLOW).until(() -> xref.canonicalId("stripe", "payment", paymentIntent),
                Optional::isPresent).orElseThrow();
    }

    private String canonicalPayout(Map<String, Object> payout) {
        return await().atMost(FLOW).until(() -> xref.canonicalId("stripe", "payout", (String) payout.get("id")),
                Optional::isPresent).orElseThrow();
    }

    private Transaction customerPayment(String canonicalPayment) {
        return await().atMost(FLOW).until(() -> netsuite.customerPayment(canonicalPayment), Optional::isPresent)
                .orElseThrow();
    }

    private Transaction deposit(String canonicalPayout) {
        return await().atMost(FLOW).until(() -> netsuite.deposit(canonicalPayout), Optional::isPresent).orElseThrow();
    }

    private static List<JsonNode> lines(Transaction deposit, String sublist) {
        List<JsonNode> lines = new ArrayList<>();
        deposit.fields().path(sublist).path("items").forEach(lines::add);
        return lines;
    }

    private long acknowledged(String type, String objectId) {
        return PaymentFixtures.acknowledged(stripe, type, objectId);
    }

    private String caseColumn(String column, String businessKey) {
        return Sql.first(db, "SELECT " + column + " FROM exception_case WHERE capability = 'payout-deposit'"
                + " AND business_key = ? ORDER BY id DESC LIMIT 1", businessKey).orElse(null);
    }
}
