package io.q2chub.connector.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import io.q2chub.canonical.Money;
import io.q2chub.canonical.Payment;
import io.q2chub.connector.Billing.BillingPayment;
import io.q2chub.sandbox.stripe.StripeSimulator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The payment side of StripeBilling for the reconciliation, as stripe-java drives the simulator over real HTTP:
 * GET /v1/invoice_payments and GET /v1/refunds by creation window and in pages of 100, an invoice's payments, and a
 * listed payment or refund fetched and mapped as the webhook ingress maps it (Stripe ids, exact minor units).
 */
class StripePaymentListingTest {

    private static final String KEY = "sk_test_paymentList9876";
    private static StripeSimulator stripe;
    private StripeBilling billing;

    @BeforeAll
    static void startSimulator() {
        stripe = StripeSimulator.start(KEY, 1000);
    }

    @AfterAll
    static void stopSimulator() {
        stripe.close();
    }

    @BeforeEach
    void fresh() {
        stripe.reset();
        billing = new StripeBilling(new StripeSettings(KEY, stripe.baseUrl()));
    }

    @Test
    void paymentsAndRefundsOfTheWindowAreListedAcrossPagesExactToTheFils() {
        List<String> invoices = new ArrayList<>();
        for (int i = 0; i < 103; i++) {
            String id = invoice("cus_kw1", "kwd", 12_345 + i);
            stripe.payInvoice(id, null);
            invoices.add(id);
        }
        String partly = invoice("cus_kw1", "kwd", 10_000);
        stripe.payInvoice(partly, 4_000L);
        stripe.payInvoice(partly, null);
        String refunded = paymentIntent(invoices.get(0), 0);
        Map<String, Object> refund = stripe.refund(refunded, 345L);

        List<BillingPayment> listed = billing.listPayments(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));

        assertThat(listed).filteredOn(p -> p.kind() == Payment.Kind.PAYMENT).hasSize(105)
                .extracting(BillingPayment::paymentId).doesNotHaveDuplicates();
        BillingPayment first = listed.stream().filter(p -> refunded.equals(p.paymentId())).findFirst().orElseThrow();
        assertThat(first.invoiceId()).isEqualTo(invoices.get(0));
        assertThat(first.id()).startsWith("inpay_");
        assertThat(first.amount()).isEqualTo(Money.ofMinor(12_345, "KWD"));
        assertThat(listed).filteredOn(p -> partly.equals(p.invoiceId())).extracting(BillingPayment::amount)
                .containsExactlyInAnyOrder(Money.ofMinor(4_000, "KWD"), Money.ofMinor(6_000, "KWD"));
        assertThat(listed).filteredOn(p -> p.kind() == Payment.Kind.REFUND).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(refund.get("id")).isEqualTo(r.paymentId());
            assertThat(r.originalPaymentId()).isEqualTo(refunded);
            assertThat(r.amount().toDecimalString()).isEqualTo("0.345");
            assertThat(r.invoiceId()).isNull();
        });
        // a window that ended before they were made lists nothing
        assertThat(billing.listPayments(Instant.now().minusSeconds(3600), Instant.now().minusSeconds(1800)))
                .isEmpty();
        assertThat(billing.paymentsOfInvoice(partly)).extracting(BillingPayment::invoiceId).containsOnly(partly)
                .hasSize(2);
    }

    @Test
    void aListedPaymentAndRefundAreFetchedAsTheIngressMapsThemWithStripeIds() {
        String invoice = invoice("cus_jp1", "jpy", 150_000);
        stripe.payInvoice(invoice, null);
        String paymentIntent = paymentIntent(invoice, 0);
        stripe.refund(paymentIntent, 30_001L);
        List<BillingPayment> listed = billing.listPayments(Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(60));
        BillingPayment payment = listed.stream().filter(p -> p.kind() == Payment.Kind.PAYMENT).findFirst()
                .orElseThrow();
        BillingPayment refund = listed.stream().filter(p -> p.kind() == Payment.Kind.REFUND).findFirst()
                .orElseThrow();

        Payment fetched = billing.fetchPayment(payment);
        Payment returned = billing.fetchPayment(refund);

        assertThat(fetched.id()).isEqualTo(paymentIntent);
        assertThat(fetched.kind()).isEqualTo(Payment.Kind.PAYMENT);
        assertThat(fetched.customerId()).isEqualTo("cus_jp1");
        assertThat(fetched.invoiceId()).isEqualTo(invoice);
        assertThat(fetched.amount()).isEqualTo(Money.ofMinor(150_000, "JPY"));
        assertThat(fetched.method()).isEqualTo("payment_intent");
        assertThat(returned.id()).isEqualTo(refund.id());
        assertThat(returned.kind()).isEqualTo(Payment.Kind.REFUND);
        assertThat(returned.customerId()).isEqualTo("cus_jp1");
        assertThat(returned.originalPaymentId()).isEqualTo(paymentIntent);
        assertThat(returned.amount()).isEqualTo(Money.ofMinor(30_001, "JPY"));
        assertThat(returned.method()).isEqualTo("card");
    }

    private static String invoice(String customer, String currency, long unitAmount) {
        return (String) stripe.createInvoice("""
                {"customer":"%s","currency":"%s","lines":[{"description":"Seat","quantity":1,"unitAmount":%d,
                 "sku":"PLAT-SUB"}]}""".formatted(customer, currency, unitAmount)).get("id");
    }

    @SuppressWarnings("unchecked")
    private static String paymentIntent(String invoice, int index) {
        Map<String, Object> payments = (Map<String, Object>) stripe.invoice(invoice).get("payments");
        Map<String, Object> payment = ((List<Map<String, Object>>) payments.get("data")).get(index);
        return (String) ((Map<String, Object>) payment.get("payment")).get("payment_intent");
    }
}
