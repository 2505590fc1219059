package io.q2chub.capability.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.q2chub.connector.ConnectorRoles;
import io.q2chub.ops.xref.CrossReference;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.netsuite.Transaction;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.q2chub.testing.CanonicalSamples;
import io.q2chub.testing.ErpAndBillingSimulators;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.Sql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import io.q2chub.testing.KafkaTestClient;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Payment application end to end on the real broker, database, YAML routes and simulators over HTTP: an invoice
 * finalized in the Stripe simulator is posted to the NetSuite simulator through the webhook ingress and invoice
 * posting; then it is paid (in full, in part, before it is posted) or refunded in Stripe, the signed webhooks reach
 * the hub, and the assertions are on what NetSuite then holds.
 */
@QuarkusTest
@TestProfile(PaymentApplicationTest.Webhooks.class)
@QuarkusTestResource(HubTestServices.class)
@WithTestResource(ErpAndBillingSimulators.class)
public class PaymentApplicationTest {

    public static final String SECRET = "whsec_test_payments_0001";
    static final Duration FLOW = Duration.ofSeconds(60);
    private static final long JAN_1_2027 = 1_798_761_600L;
    private static final long FEB_1_2027 = 1_801_440_000L;
    private static final String SUPPORT_ITEM = "/api/mappings/netsuite/item/SUPPORT-PREM";

    /** The webhook signing secret the Stripe simulator signs with. */
    public static class Webhooks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("q2c.stripe.webhook-secrets", SECRET);
        }
    }

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

    @TestHTTPResource("/webhooks/stripe")
    URL endpoint;

    @BeforeEach
    void deliverToTheHub() {
        stripe.webhooks().endpoint(endpoint.toString(), SECRET);
        stripe.webhooks().retries(Duration.ofMillis(200), 10);
        stripe.webhooks().duplicateEach(1);
    }

    @Test
    void anInvoicePaidInStripeDeliveredThreeTimesIsOneNetSuitePaymentAppliedInFullExactInDinars() throws Exception {
        String customer = customer("KW01", "KWD");
        stripe.webhooks().duplicateEach(3);
        Posted invoice = posted(customer, "kwd", "PLAT-SUB", 12_345);
        assertThat(invoice.erp().total().toPlainString()).isEqualTo("12.345");

        stripe.payInvoice(invoice.stripeId(), null);

        String payment = canonicalPayment(invoice.stripeId(), 0);
        Transaction recorded = customerPayment(payment);
        assertThat(recorded.total().toPlainString()).isEqualTo("12.345");
        assertThat(recorded.fields().path("applied").decimalValue().toPlainString()).isEqualTo("12.345");
        assertThat(recorded.fields().path("unapplied").decimalValue().toPlainString()).isEqualTo("0.000");
        assertThat(recorded.applied()).extracting(a -> a.path("doc").path("id").asText())
                .containsExactly(invoice.erp().internalId());
        assertThat(recorded.fields().path("customer").path("id").asText())
                .isEqualTo(netsuite.customer(xref.canonicalId("stripe", "customer", customer).orElseThrow())
                        .orElseThrow().internalId());
        await().atMost(FLOW).until(() -> netsuite.invoice(invoice.canonicalId()).orElseThrow().amountRemaining()
                .signum() == 0);
        assertThat(netsuite.invoice(invoice.canonicalId()).orElseThrow().text("status")).isEqualTo("Paid In Full");

        // invoice_payment.paid and invoice.paid, each delivered 3 times: every delivery acknowledged, one payment
        await().atMost(FLOW).until(() -> acknowledged("invoice.paid", invoice.stripeId()) >= 3
                && acknowledged("invoice_payment.paid", paymentId(invoice.stripeId(), 0)) >= 3);
        assertThat(recorded.writes()).isEqualTo(1);
        assertThat(netsuite.requestsFor(payment)).containsExactly("GET /customerPayment/eid:" + payment,
                "PUT /customerPayment/eid:" + payment);
        assertThat(netsuite.transactions()).filteredOn(t -> payment.equals(t.externalId())).hasSize(1);
        assertThat(xref.externalId("netsuite", "payment", payment)).contains(recorded.internalId());
    }

    @Test
    void aPartialPaymentLeavesTheInvoiceOpenForTheRestAndTheSecondPaymentClosesIt() throws Exception {
        String customer = customer("KW01", "KWD");
        Posted invoice = posted(customer, "kwd", "PLAT-SUB", 12_345);

        stripe.payInvoice(invoice.stripeId(), 5_000L);
        Transaction first = customerPayment(canonicalPayment(invoice.stripeId(), 0));
        assertThat(first.fields().path("applied").decimalValue().toPlainString()).isEqualTo("5.000");
        await().atMost(FLOW).until(() -> "7.345".equals(netsuite.invoice(invoice.canonicalId()).orElseThrow()
                .amountRemaining().toPlainString()));
        assertThat(netsuite.invoice(invoice.canonicalId()).orElseThrow().text("status")).isEqualTo("Open");

        stripe.payInvoice(invoice.stripeId(), null);
        Transaction second = customerPayment(canonicalPayment(invoice.stripeId(), 1));
        assertThat(second.total().toPlainString()).isEqualTo("7.345");
        await().atMost(FLOW).until(() -> netsuite.invoice(invoice.canonicalId()).orElseThrow().amountRemaining()
                .signum() == 0);
        assertThat(netsuite.transactions()).filteredOn(t -> t.type().equals("customerPayment")
                && t.applied().stream().anyMatch(a -> a.path("doc").path("id").asText()
                        .equals(invoice.erp().internalId()))).hasSize(2);
    }

    /**
     * Stripe's pay never takes more than the invoice owes, so the overpayment arrives as the bus carries it from any
     * billing source: a canonical payment on q2c.payment.v1.
     */
    @Test
    void anOverpaymentClosesTheInvoiceAndLeavesTheRestAsUnappliedCreditOnTheCustomer() throws Exception {
        String customer = customer("US01", "USD");
        Posted invoice = posted(customer, "usd", "PLAT-SUB", 10_000);
        String canonicalCustomer = xref.canonicalId("stripe", "customer", customer).orElseThrow();
        String payment = CanonicalSamples.newId("pay");
        byte[] json = """
                {"id":"%s","kind":"PAYMENT","customerId":"%s","invoiceId":"%s",
                 "amount":{"amountMinor":15000,"currency":"USD"},"receivedAt":"2027-01-15T10:00:00Z","method":"wire"}"""
                .formatted(payment, canonicalCustomer, invoice.canonicalId()).getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", CanonicalSamples.newId("evt"));
        headers.put("ce_source", "/test/billing");
        headers.put("ce_type", "q2c.payment.recorded.v1");
        headers.put("ce_time", Instant.now().toString());
        headers.put("ce_subject", payment);
        headers.put("content-type", "application/json");
        KafkaTestClient.send("q2c.payment.v1", null, canonicalCustomer, json, headers);

        Transaction recorded = customerPayment(payment);
        assertThat(recorded.total().toPlainString()).isEqualTo("150.00");
        assertThat(recorded.fields().path("applied").decimalValue().toPlainString()).isEqualTo("100.00");
        assertThat(recorded.fields().path("unapplied").decimalValue().toPlainString()).isEqualTo("50.00");
        assertThat(netsuite.invoice(invoice.canonicalId()).orElseThrow().text("status")).isEqualTo("Paid In Full");
        assertThat(netsuite.requestsFor(payment)).containsExactly("GET /customerPayment/eid:" + payment,
                "PUT /customerPayment/eid:" + payment);
    }

    @Test
    void aPaymentBeforeItsInvoiceIsPostedIsParkedWithTheCandidateAndAppliedOnceAfterTheInvoicePosts()
            throws Exception {
        as("operator").delete(SUPPORT_ITEM);
        try {
            String customer = customer("US01", "USD");
            String stripeInvoice = (String) stripe.createInvoice(scenario(customer, "usd", "SUPPORT-PREM", 9_900))
                    .get("id");
            String canonicalInvoice = await().atMost(FLOW).until(() -> xref.canonicalId("stripe", "invoice",
                    stripeInvoice), Optional::isPresent).orElseThrow();
            await().atMost(FLOW).until(() -> "OPEN".equals(caseColumn("invoice-posting", "status", canonicalInvoice)));

            stripe.payInvoice(stripeInvoice, null);
            String payment = canonicalPayment(stripeInvoice, 0);
            await().atMost(FLOW).until(() -> "OPEN".equals(caseColumn("payment-application", "status", payment)));
            assertThat(caseColumn("payment-application", "error_code", payment)).isEqualTo("INVOICE_NOT_POSTED");
            assertThat(caseColumn("payment-application", "error_message", payment))
                    .contains("candidates considered", canonicalInvoice);
            assertThat(netsuite.customerPayment(payment)).isEmpty();
            // Stripe reports the payment twice (invoice_payment.paid, invoice.paid): both deliveries must have been
            // parked on the one case before the invoice posts, or the second one's retry applies it before the replay.
            await().atMost(FLOW).until(() -> "2".equals(caseColumn("payment-application", "occurrences", payment)));

            as("operator").contentType("application/json").body("{\"target\":\"504\"}").put(SUPPORT_ITEM)
                    .then().statusCode(200);
            replay("invoice-posting", canonicalInvoice);
            Transaction invoice = await().atMost(FLOW).until(() -> netsuite.invoice(canonicalInvoice),
                    Optional::isPresent).orElseThrow();
            replay("payment-application", payment);

            Transaction recorded = customerPayment(payment);
            assertThat(recorded.total().toPlainString()).isEqualTo("99.00");
            await().atMost(FLOW).until(() -> "RESOLVED".equals(caseColumn("payment-application", "status", payment)));
            assertThat(netsuite.invoice(canonicalInvoice).orElseThrow().amountRemaining().signum()).isZero();
            assertThat(recorded.applied()).extracting(a -> a.path("doc").path("id").asText())
                    .containsExactly(invoice.internalId());
            assertThat(recorded.writes()).isEqualTo(1);
            assertThat(Sql.count(db, "SELECT count(*) FROM exception_case WHERE capability = 'payment-application'"
                    + " AND business_key = ?", payment)).isEqualTo(1);
        } finally {
            as("operator").contentType("application/json").body("{\"target\":\"504\"}").put(SUPPORT_ITEM);
        }
    }

    @Test
    void aRefundInStripeIsOneNetSuiteCustomerRefundAgainstThePaymentExactInYen() throws Exception {
        String customer = customer("JP01", "JPY");
        Posted invoice = posted(customer, "jpy", "PLAT-SUB", 150_000);
        stripe.payInvoice(invoice.stripeId(), null);
        String payment = canonicalPayment(invoice.stripeId(), 0);
        Transaction paid = customerPayment(payment);
        assertThat(paid.total().toPlainString()).isEqualTo("150000");

        Map<String, Object> refund = stripe.refund(paymentIntent(invoice.stripeId(), 0), 30_001L);
        String canonicalRefund = await().atMost(FLOW).until(() -> xref.canonicalId("stripe", "refund",
                (String) refund.get("id")), Optional::isPresent).orElseThrow();
        Transaction refunded = await().atMost(FLOW).until(() -> netsuite.customerRefund(canonicalRefund),
                Optional::isPresent).orElseThrow();
        assertThat(refunded.total().toPlainString()).isEqualTo("30001");
        assertThat(refunded.applied()).extracting(a -> a.path("doc").path("id").asText())
                .containsExactly(paid.internalId());
        assertThat(refunded.fields().path("customer").path("id").asText())
                .isEqualTo(netsuite.customer(xref.canonicalId("stripe", "customer", customer).orElseThrow())
                        .orElseThrow().internalId());
        assertThat(netsuite.customerPayment(payment).orElseThrow().fields().path("refunded").decimalValue()
                .toPlainString()).isEqualTo("30001");

        // A second refund: charge.refunded lists both, the first is not refunded again.
        Map<String, Object> rest = stripe.refund(paymentIntent(invoice.stripeId(), 0), null);
        String secondRefund = await().atMost(FLOW).until(() -> xref.canonicalId("stripe", "refund",
                (String) rest.get("id")), Optional::isPresent).orElseThrow();
        Transaction second = await().atMost(FLOW).until(() -> netsuite.customerRefund(secondRefund),
                Optional::isPresent).orElseThrow();
        assertThat(second.total().toPlainString()).isEqualTo("119999");
        assertThat(netsuite.requestsFor(canonicalRefund)).containsExactly("GET /customerRefund/eid:" + canonicalRefund,
                "PUT /customerRefund/eid:" + canonicalRefund);
        assertThat(netsuite.transactions()).filteredOn(t -> t.type().equals("customerRefund")
                && t.applied().stream().anyMatch(a -> a.path("doc").path("id").asText().equals(paid.internalId())))
                .hasSize(2);
    }

    @Test
    void aLostDisputeIsAChargebackRecordedAsACustomerRefundAndAWonOneChangesNothing() throws Exception {
        String customer = customer("US01", "USD");
        Posted lost = posted(customer, "usd", "PLAT-SUB", 4_250);
        stripe.payInvoice(lost.stripeId(), null);
        Transaction paid = customerPayment(canonicalPayment(lost.stripeId(), 0));

        Map<String, Object> dispute = stripe.dispute(paymentIntent(lost.stripeId(), 0), false);
        String chargeback = await().atMost(FLOW).until(() -> xref.canonicalId("stripe", "dispute",
                (String) dispute.get("id")), Optional::isPresent).orElseThrow();
        Transaction refund = await().atMost(FLOW).until(() -> netsuite.customerRefund(chargeback),
                Optional::isPresent).orElseThrow();
        assertThat(refund.total().toPlainString()).isEqualTo("42.50");
        assertThat(refund.text("memo")).contains("chargeback");
        assertThat(refund.applied()).extracting(a -> a.path("doc").path("id").asText())
                .containsExactly(paid.internalId());

        Posted won = posted(customer, "usd", "PLAT-SUB", 1_000);
        stripe.payInvoice(won.stripeId(), null);
        customerPayment(canonicalPayment(won.stripeId(), 0));
        Map<String, Object> kept = stripe.dispute(paymentIntent(won.stripeId(), 0), true);
        String disputeId = (String) kept.get("id");
        await().atMost(FLOW).until(() -> acknowledged("charge.dispute.closed", disputeId) >= 1);
        // acknowledged only after anything it publishes is on the bus: nothing was
        assertThat(xref.canonicalId("stripe", "dispute", disputeId)).isEmpty();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private record Posted(String stripeId, String canonicalId, Transaction erp) {
    }

    /** A customer in NetSuite and in Stripe, linked in the cross-reference as onboarding leaves it; its Stripe id. */
    private String customer(String legalEntity, String currency) throws Exception {
        return PaymentFixtures.customer(roles, xref, legalEntity, currency);
    }


    /** An invoice finalized in Stripe and posted to NetSuite through the webhook ingress and invoice posting. */
    private Posted posted(String stripeCustomer, String currency, String sku, long amountMinor) throws Exception {
        String stripeId = (String) stripe.createInvoice(scenario(stripeCustomer, currency, sku, amountMinor))
                .get("id");
        String canonicalId = await().atMost(FLOW).until(() -> xref.canonicalId("stripe", "invoice", stripeId),
                Optional::isPresent).orElseThrow();
        Transaction erp = await().atMost(FLOW).until(() -> netsuite.invoice(canonicalId), Optional::isPresent)
                .orElseThrow();
        return new Posted(stripeId, canonicalId, erp);
    }

    private static String scenario(String customer, String currency, String sku, long unitAmount) {
        return """
                {"customer":"%s","currency":"%s","daysUntilDue":30,
                 "lines":[{"description":"Platform","quantity":1,"unitAmount":%d,"sku":"%s",
                           "periodStart":%d,"periodEnd":%d}]}"""
                .formatted(customer, currency, unitAmount, sku, JAN_1_2027, FEB_1_2027);
    }

    private String paymentId(String stripeInvoice, int index) {
        return (String) PaymentFixtures.invoicePayment(stripe, stripeInvoice, index).get("id");
    }

    private String paymentIntent(String stripeInvoice, int index) {
        return PaymentFixtures.paymentIntent(stripe, stripeInvoice, index);
    }

    private String canonicalPayment(String stripeInvoice, int index) {
        return PaymentFixtures.canonicalPayment(stripe, xref, stripeInvoice, index, FLOW);
    }

    private Transaction customerPayment(String canonicalPayment) {
        return await().atMost(FLOW).until(() -> netsuite.customerPayment(canonicalPayment), Optional::isPresent)
                .orElseThrow();
    }

    private long acknowledged(String type, String objectId) {
        return PaymentFixtures.acknowledged(stripe, type, objectId);
    }

    private void replay(String capability, String businessKey) {
        PaymentFixtures.replay(db, capability, businessKey);
    }

    private String caseColumn(String capability, String column, String businessKey) {
        return PaymentFixtures.caseColumn(db, capability, column, businessKey);
    }

    private static RequestSpecification as(String user) {
        return PaymentFixtures.as(user);
    }
}
