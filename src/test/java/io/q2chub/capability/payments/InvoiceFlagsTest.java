package io.q2chub.capability.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Invoice flags end to end on the real broker, database, YAML routes and simulators over HTTP: a payment of an
 * invoice posted to NetSuite is disputed in the Stripe simulator, the signed webhooks reach the hub (twice each,
 * and in reverse order), and the assertions are on the custom fields the NetSuite invoice then carries.
 */
@QuarkusTest
@TestProfile(PaymentApplicationTest.Webhooks.class)
@QuarkusTestResource(HubTestServices.class)
@WithTestResource(ErpAndBillingSimulators.class)
class InvoiceFlagsTest {

    static final Duration FLOW = Duration.ofSeconds(60);
    private static final long JAN_1_2027 = 1_798_761_600L;
    private static final long FEB_1_2027 = 1_801_440_000L;
    private static final String FLAG = "custbody_q2c_dispute";
    private static final String STATE = "custbody_q2c_dispute_state";

    @ErpAndBillingSimulators.Simulator
    StripeSimulator stripe;

    @ErpAndBillingSimulators.Simulator
    NetSuiteSimulator netsuite;

    @Inject
    ConnectorRoles roles;

    @Inject
    CrossReference xref;

    @Inject
    io.agroal.api.AgroalDataSource db;

    @TestHTTPResource("/webhooks/stripe")
    URL endpoint;

    @BeforeEach
    void deliverToTheHub() {
        stripe.webhooks().endpoint(endpoint.toString(), PaymentApplicationTest.SECRET);
        stripe.webhooks().retries(Duration.ofMillis(200), 10);
        stripe.webhooks().duplicateEach(2);
    }

    @Test
    void anOpenedDisputeFlagsTheInvoiceItsPaymentPaidAndALostOneMarksItLostBesideTheChargeback() throws Exception {
        String customer = customer("US01", "USD");
        Paid paid = paidInvoice(customer, "usd", 4_250);

        Map<String, Object> dispute = stripe.openDispute(paid.paymentIntent());
        String disputeId = (String) dispute.get("id");
        await().atMost(FLOW).until(() -> text(paid, FLAG) != null && text(paid, FLAG).startsWith(disputeId + " open"));
        assertThat(text(paid, STATE)).startsWith(disputeId + "|OPEN|");

        stripe.closeDispute(disputeId, false);
        await().atMost(FLOW).until(() -> text(paid, FLAG).startsWith(disputeId + " lost"));
        assertThat(text(paid, STATE)).startsWith(disputeId + "|LOST|");
        String chargeback = await().atMost(FLOW).until(() -> xref.canonicalId("stripe", "dispute", disputeId),
                Optional::isPresent).orElseThrow();
        Transaction refund = await().atMost(FLOW).until(() -> netsuite.customerRefund(chargeback),
                Optional::isPresent).orElseThrow();
        assertThat(refund.total().toPlainString()).isEqualTo("42.50");
        // the invoice's money is untouched by the flags: paid in full by the payment, the chargeback is a refund
        assertThat(netsuite.invoice(paid.canonicalInvoice()).orElseThrow().amountRemaining().signum()).isZero();
        await().atMost(FLOW).until(() -> acknowledged("charge.dispute.closed", disputeId) >= 2);
        assertThat(netsuite.requestsFor("PATCH /invoice/")).hasSize(2);
    }

    @Test
    void aWonDisputeWhoseCloseArrivesBeforeItsOpenLeavesNoStaleFlag() throws Exception {
        String customer = customer("JP01", "JPY");
        Paid paid = paidInvoice(customer, "jpy", 80_000);
        int patchesBefore = netsuite.requestsFor("PATCH /invoice/").size();

        stripe.webhooks().hold();
        String disputeId;
        try {
            disputeId = (String) stripe.openDispute(paid.paymentIntent()).get("id");
            stripe.closeDispute(disputeId, true);
            String opened = stripe.webhooks().eventId("charge.dispute.created", disputeId);
            String closed = stripe.webhooks().eventId("charge.dispute.closed", disputeId);
            // the close reaches the hub first, then the open, twice
            stripe.webhooks().redeliver(closed);
            await().atMost(FLOW).until(() -> text(paid, STATE) != null
                    && text(paid, STATE).startsWith(disputeId + "|WON|"));
            stripe.webhooks().redeliver(opened);
            stripe.webhooks().redeliver(opened);
            await().atMost(FLOW).until(() -> acknowledged("charge.dispute.created", disputeId) >= 2);
        } finally {
            stripe.webhooks().releaseReversed();
        }
        await().atMost(FLOW).until(() -> acknowledged("charge.dispute.closed", disputeId) >= 3
                && acknowledged("charge.dispute.created", disputeId) >= 4);
        // the open went through the flags route after the close, and changed nothing: no stale flag
        await().atMost(FLOW).until(() -> Sql.count(db, "SELECT count(*) FROM idempotency_key WHERE consumer ="
                + " 'invoice-flags' AND status = 'DONE' AND message_key = ?", "stripe-" + disputeId + "-open") == 1);
        assertThat(text(paid, STATE)).startsWith(disputeId + "|WON|");
        assertThat(text(paid, FLAG)).isEmpty();
        assertThat(xref.canonicalId("stripe", "dispute", disputeId)).isEmpty(); // no chargeback for a won dispute
        assertThat(netsuite.transactions()).filteredOn(t -> t.type().equals("customerRefund") && t.applied().stream()
                .anyMatch(a -> a.path("doc").path("id").asText().equals(paid.payment().internalId()))).isEmpty();
        assertThat(netsuite.requestsFor("PATCH /invoice/")).hasSize(patchesBefore + 1);
    }

    @Test
    void failedAttemptsFlagTheInvoiceWithTheLatestDeclineAndLeaveItOpenWithNoMoneyInTheErp() throws Exception {
        String customer = customer("KW01", "KWD");
        String stripeInvoice = (String) stripe.createInvoice("""
                {"customer":"%s","currency":"kwd","daysUntilDue":30,
                 "lines":[{"description":"Platform","quantity":1,"unitAmount":12345,"sku":"PLAT-SUB",
                           "periodStart":%d,"periodEnd":%d}]}""".formatted(customer, JAN_1_2027, FEB_1_2027))
                .get("id");
        String canonicalInvoice = await().atMost(FLOW).until(() -> xref.canonicalId("stripe", "invoice",
                stripeInvoice), Optional::isPresent).orElseThrow();
        await().atMost(FLOW).until(() -> netsuite.invoice(canonicalInvoice), Optional::isPresent);

        // two declined attempts; the second one reaches the hub first, then the first one twice
        stripe.webhooks().hold();
        try {
            stripe.failPayment(stripeInvoice, "insufficient_funds");
            stripe.failPayment(stripeInvoice, "do_not_honor");
            List<String> failed = stripe.webhooks().events().entrySet().stream()
                    .filter(e -> e.getValue().contains("\"type\":\"invoice.payment_failed\"")
                            && e.getValue().contains(stripeInvoice)).map(Map.Entry::getKey).toList();
            assertThat(failed).hasSize(2);
            stripe.webhooks().redeliver(failed.get(1));
            await().atMost(FLOW).until(() -> "2".equals(netsuite.invoice(canonicalInvoice).orElseThrow()
                    .text("custbody_q2c_payment_attempts")));
            stripe.webhooks().redeliver(failed.get(0));
            stripe.webhooks().redeliver(failed.get(0));
            await().atMost(FLOW).until(() -> Sql.count(db, "SELECT count(*) FROM idempotency_key WHERE consumer ="
                    + " 'invoice-flags' AND status = 'DONE' AND message_key = ?", "stripe-" + stripeInvoice
                    + "-attempt-1") == 1);
        } finally {
            stripe.webhooks().releaseReversed();
        }

        Transaction invoice = netsuite.invoice(canonicalInvoice).orElseThrow();
        assertThat(invoice.text("custbody_q2c_payment_failure")).startsWith("do_not_honor (attempt 2, ");
        assertThat(invoice.text("custbody_q2c_payment_attempts")).isEqualTo("2");
        assertThat(invoice.text("status")).isNotEqualTo("Paid In Full");
        assertThat(invoice.amountRemaining().toPlainString()).isEqualTo("12.345");
        assertThat(netsuite.transactions()).filteredOn(t -> t.type().equals("customerPayment")
                && t.fields().path("customer").equals(invoice.fields().path("entity"))).isEmpty();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private record Paid(String stripeInvoice, String canonicalInvoice, String paymentIntent, Transaction payment) {
    }

    private String text(Paid paid, String field) {
        return netsuite.invoice(paid.canonicalInvoice()).orElseThrow().text(field);
    }

    private String customer(String legalEntity, String currency) throws Exception {
        return PaymentFixtures.customer(roles, xref, legalEntity, currency);
    }

    /** An invoice posted to NetSuite through the hub and paid in full in Stripe, its payment recorded in NetSuite. */
    @SuppressWarnings("unchecked")
    private Paid paidInvoice(String stripeCustomer, String currency, long amountMinor) {
        String stripeId = (String) stripe.createInvoice("""
                {"customer":"%s","currency":"%s","daysUntilDue":30,
                 "lines":[{"description":"Platform","quantity":1,"unitAmount":%d,"sku":"PLAT-SUB",
                           "periodStart":%d,"periodEnd":%d}]}"""
                .formatted(stripeCustomer, currency, amountMinor, JAN_1_2027, FEB_1_2027)).get("id");
        String canonicalId = await().atMost(FLOW).until(() -> xref.canonicalId("stripe", "invoice", stripeId),
                Optional::isPresent).orElseThrow();
        await().atMost(FLOW).until(() -> netsuite.invoice(canonicalId), Optional::isPresent);
        stripe.payInvoice(stripeId, null);
        Map<String, Object> payments = (Map<String, Object>) stripe.invoice(stripeId).get("payments");
        Map<String, Object> payment = ((List<Map<String, Object>>) payments.get("data")).get(0);
        String paymentIntent = (String) ((Map<String, Object>) payment.get("payment")).get("payment_intent");
        String canonicalPayment = await().atMost(FLOW).until(() -> xref.canonicalId("stripe", "payment",
                paymentIntent), Optional::isPresent).orElseThrow();
        Transaction recorded = await().atMost(FLOW).until(() -> netsuite.customerPayment(canonicalPayment),
                Optional::isPresent).orElseThrow();
        return new Paid(stripeId, canonicalId, paymentIntent, recorded);
    }

    private long acknowledged(String type, String objectId) {
        return PaymentFixtures.acknowledged(stripe, type, objectId);
    }
}
