package io.q2chub.connector.netsuite;

import static io.q2chub.connector.netsuite.SandboxAccount.customer;
import static org.assertj.core.api.Assertions.assertThat;

import io.q2chub.canonical.Money;
import io.q2chub.canonical.Payment;
import io.q2chub.connector.Erp.ErpReceipt;
import io.q2chub.connector.ErpPayment;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ERP side of the payment reconciliation: customer payments and refunds by date through SuiteQL
 * ({@code CustPymt}, {@code CustRfnd}), in pages of 1,000, against the simulated account over HTTP.
 */
class NetSuitePaymentListingTest {

    private static final LocalDate DAY = LocalDate.of(2027, 1, 15);
    private static NetSuiteSimulator simulator;
    private static NetSuiteErp erp;

    @BeforeAll
    static void start() {
        simulator = NetSuiteSimulator.start(SandboxAccount.ACCOUNT);
        erp = new NetSuiteErp(SandboxAccount.settings(simulator));
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void clean() {
        simulator.reset();
    }

    @Test
    void paymentsAndRefundsOfTheDaysAreListedWithTheirExternalIdsExactToTheFils() {
        String customer = erp.upsertCustomer(customer("c-kw", "Gulf Trading", "KW01", "KWD"), "KW01");
        String invoice = simulator.seedInvoice("inv-1", "c-kw", DAY, new BigDecimal("12.345")).internalId();
        ErpPayment.Applied paid = erp.applyPayment(new ErpPayment("pay-1", customer, Money.ofMinor(12_345, "KWD"),
                DAY, invoice, null));
        String refund = erp.refundPayment("ref-1", customer, paid.erpId(), Money.ofMinor(345, "KWD"), DAY.plusDays(1),
                null);
        erp.applyPayment(new ErpPayment("pay-later", customer, Money.ofMinor(1_000, "KWD"), DAY.plusDays(2), null,
                null));

        List<ErpReceipt> listed = erp.listPayments(DAY, DAY.plusDays(2));

        assertThat(listed).containsExactly(
                new ErpReceipt(Payment.Kind.PAYMENT, paid.erpId(), "pay-1",
                        simulator.customerPayment("pay-1").orElseThrow().text("tranId"), DAY,
                        Money.ofMinor(12_345, "KWD")),
                new ErpReceipt(Payment.Kind.REFUND, refund, "ref-1",
                        simulator.customerRefund("ref-1").orElseThrow().text("tranId"), DAY.plusDays(1),
                        Money.ofMinor(345, "KWD")));
        assertThat(simulator.requestsFor("suiteql")).hasSize(1);
    }

    @Test
    void moreThanAThousandArePagedAndTheInvoicesAreNotAmongThem() {
        erp.upsertCustomer(customer("c-us", "Acme Inc", "US01", "USD"), "US01");
        for (int i = 0; i < 1_001; i++) {
            simulator.seedInvoice("inv-" + i, "c-us", DAY, new BigDecimal("10.00"));
            simulator.seedPayment("pay-" + i, "inv-" + i, DAY);
        }

        List<ErpReceipt> listed = erp.listPayments(DAY, DAY.plusDays(1));

        assertThat(listed).hasSize(1_001).allMatch(r -> r.kind() == Payment.Kind.PAYMENT
                && r.amount().equals(Money.ofMinor(1_000, "USD")) && r.externalId().startsWith("pay-"));
        assertThat(simulator.requestsFor("suiteql")).hasSize(2);
        assertThat(simulator.invoice("inv-7").orElseThrow().amountRemaining()).isEqualByComparingTo("0");
    }
}
