package io.q2chub.capability.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.q2chub.canonical.Money;
import io.q2chub.canonical.Payment.Kind;
import io.q2chub.connector.Billing.BillingPayment;
import io.q2chub.connector.Erp.ErpReceipt;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The payment comparison on its own: every kind it reports, and the consistent pairs it must leave alone. */
class PaymentCompareTest {

    private static final Instant AT = Instant.parse("2027-01-15T10:00:00Z");
    private static final LocalDate DAY = LocalDate.parse("2027-01-15");
    private static final PaymentCompare.Links NONE = new PaymentCompare.Links(Map.of(), Map.of(), Set.of(), Set.of());

    @Test
    void aPaymentAndARefundRecordedWithTheSameAmountsAreConsistent() {
        BillingPayment paid = payment("inpay_1", "pi_1", 12345, "KWD");
        BillingPayment refunded = refund("re_1", "pi_1", 345, "KWD");
        List<Discrepancy> found = PaymentCompare.compare("stripe", List.of(paid, refunded), List.of(
                receipt(Kind.PAYMENT, "701", minted(Kind.PAYMENT, "pi_1"), 12345, "KWD"),
                receipt(Kind.REFUND, "702", minted(Kind.REFUND, "re_1"), 345, "KWD")), NONE);

        assertThat(found).isEmpty();
    }

    @Test
    void aPaymentTheErpDoesNotHoldIsMissingUnlessTheErpLinkSaysItIsRecordedOutsideTheWindow() {
        BillingPayment paid = payment("inpay_2", "pi_2", 4250, "USD");
        BillingPayment refunded = refund("re_2", "pi_9", 1000, "USD");

        List<Discrepancy> found = PaymentCompare.compare("stripe", List.of(paid, refunded), List.of(), NONE);

        assertThat(found).extracting(Discrepancy::kind).containsOnly(DiscrepancyKind.PAYMENT_MISSING_IN_ERP);
        assertThat(found).extracting(Discrepancy::documentId)
                .containsExactly(minted(Kind.PAYMENT, "pi_2"), minted(Kind.REFUND, "re_2"));
        Discrepancy gap = found.get(0);
        assertThat(gap.billingId()).isEqualTo("inpay_2");
        assertThat(gap.erpId()).isNull();
        assertThat(gap.billingAmountMinor()).isEqualTo(4250L);
        assertThat(gap.currency()).isEqualTo("USD");
        assertThat(gap.billingStatus()).isEqualTo("paid");
        assertThat(found.get(1).billingStatus()).isEqualTo("refunded");

        PaymentCompare.Links recordedEarlier = new PaymentCompare.Links(Map.of(), Map.of(), Set.of(),
                Set.of(minted(Kind.PAYMENT, "pi_2"), minted(Kind.REFUND, "re_2")));
        assertThat(PaymentCompare.compare("stripe", List.of(paid, refunded), List.of(), recordedEarlier)).isEmpty();
    }

    @Test
    void theCrossReferenceNamesThePaymentBeforeTheMintingRule() {
        BillingPayment paid = payment("inpay_3", "pi_3", 999, "JPY");
        PaymentCompare.Links linked = new PaymentCompare.Links(Map.of("pi_3", "pay-linked"), Map.of(), Set.of(),
                Set.of());

        assertThat(PaymentCompare.compare("stripe", List.of(paid),
                List.of(receipt(Kind.PAYMENT, "703", "pay-linked", 999, "JPY")), linked)).isEmpty();
    }

    @Test
    void differentAmountsAreAnAmountMismatchWithBothAmountsExact() {
        BillingPayment paid = payment("inpay_4", "pi_4", 3998, "USD");

        List<Discrepancy> found = PaymentCompare.compare("stripe", List.of(paid),
                List.of(receipt(Kind.PAYMENT, "704", minted(Kind.PAYMENT, "pi_4"), 4000, "USD")), NONE);

        assertThat(found).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(DiscrepancyKind.PAYMENT_AMOUNT_MISMATCH);
            assertThat(d.billingAmountMinor()).isEqualTo(3998L);
            assertThat(d.erpAmountMinor()).isEqualTo(4000L);
            assertThat(d.erpId()).isEqualTo("704");
            assertThat(d.detail()).contains("USD 39.98").contains("USD 40.00");
        });
    }

    @Test
    void sameAmountInAnotherCurrencyIsAMismatch() {
        BillingPayment paid = payment("inpay_5", "pi_5", 1000, "USD");

        assertThat(PaymentCompare.compare("stripe", List.of(paid),
                List.of(receipt(Kind.PAYMENT, "705", minted(Kind.PAYMENT, "pi_5"), 1000, "EUR")), NONE))
                .extracting(Discrepancy::kind).containsExactly(DiscrepancyKind.PAYMENT_AMOUNT_MISMATCH);
    }

    @Test
    void anErpPaymentNoBillingPaymentExplainsHasNoSourceUnlessBillingLinkedIt() {
        ErpReceipt byHand = receipt(Kind.PAYMENT, "706", null, 5000, "USD");
        ErpReceipt unknown = receipt(Kind.REFUND, "707", "ref-unknown", 700, "USD");
        ErpReceipt earlier = receipt(Kind.PAYMENT, "708", "pay-earlier", 800, "USD");
        ErpReceipt chargeback = receipt(Kind.REFUND, "709", "ref-chargeback", 900, "USD");
        PaymentCompare.Links linked = new PaymentCompare.Links(Map.of("pi_old", "pay-earlier"), Map.of(),
                Set.of("pay-earlier", "ref-chargeback"), Set.of());

        List<Discrepancy> found = PaymentCompare.compare("stripe", List.of(),
                List.of(byHand, unknown, earlier, chargeback), linked);

        assertThat(found).extracting(Discrepancy::kind).containsOnly(DiscrepancyKind.PAYMENT_WITHOUT_SOURCE);
        assertThat(found).extracting(Discrepancy::documentId).containsExactlyInAnyOrder("706", "ref-unknown");
        assertThat(found).filteredOn(d -> d.erpId().equals("706")).singleElement()
                .satisfies(d -> assertThat(d.detail()).contains("no external id"));
    }

    @Test
    void comparedNamesEveryDocumentOfBothSides() {
        BillingPayment paid = payment("inpay_6", "pi_6", 100, "USD");
        ErpReceipt byHand = receipt(Kind.PAYMENT, "710", null, 5000, "USD");

        assertThat(PaymentCompare.compared("stripe", List.of(paid), List.of(byHand), NONE))
                .containsExactlyInAnyOrder(minted(Kind.PAYMENT, "pi_6"), "710");
    }

    @Test
    void theMintingRuleIsTheBillingIngresses() {
        // StripePaymentEvents: "pay-"/"ref-" + name-based UUID of "stripe:payment:<payment intent>" / "stripe:refund:<id>"
        assertThat(minted(Kind.PAYMENT, "pi_x")).isEqualTo("pay-" + java.util.UUID.nameUUIDFromBytes(
                "stripe:payment:pi_x".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(minted(Kind.REFUND, "re_x")).isEqualTo("ref-" + java.util.UUID.nameUUIDFromBytes(
                "stripe:refund:re_x".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static String minted(Kind kind, String id) {
        return PaymentCompare.mintedId("stripe", kind, id);
    }

    private static BillingPayment payment(String id, String paymentIntent, long minor, String currency) {
        return new BillingPayment(Kind.PAYMENT, id, paymentIntent, Money.ofMinor(minor, currency), "in_1", null, AT);
    }

    private static BillingPayment refund(String id, String paymentIntent, long minor, String currency) {
        return new BillingPayment(Kind.REFUND, id, id, Money.ofMinor(minor, currency), null, paymentIntent, AT);
    }

    private static ErpReceipt receipt(Kind kind, String erpId, String externalId, long minor, String currency) {
        return new ErpReceipt(kind, erpId, externalId, "PYMT" + erpId, DAY, Money.ofMinor(minor, currency));
    }
}
