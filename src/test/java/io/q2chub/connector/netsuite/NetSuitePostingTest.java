package io.q2chub.connector.netsuite;

import static io.q2chub.connector.netsuite.SandboxAccount.customer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.q2chub.canonical.Money;
import io.q2chub.connector.ErpPosting;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.mappings.MappingLookup;
import io.q2chub.ops.resilience.SystemGuard;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.netsuite.Transaction;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Posting invoices, credit memos and reversals through the connector, refused where NetSuite refuses them. */
class NetSuitePostingTest {

    private static NetSuiteSimulator simulator;
    private static NetSuiteErp erp;

    @BeforeAll
    static void start() {
        simulator = NetSuiteSimulator.start(SandboxAccount.ACCOUNT);
        MappingLookup mappings = MappingLookup.fixed(Map.of(
                NetSuiteMappings.SUBSIDIARY, SandboxAccount.SUBSIDIARIES,
                NetSuiteMappings.CURRENCY, SandboxAccount.CURRENCIES,
                // GHOST is mapped to an item the account does not have
                NetSuiteMappings.ITEM, Map.of("PLAT-SUB", "501", "PRO-SVC", "503", "GHOST", "999")));
        erp = new NetSuiteErp(SandboxAccount.settings(simulator), List.of(), mappings,
                SystemGuard.budgetOnly(RecordApiClient.SYSTEM, 5));
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
    void anInvoiceIsUpsertedByItsExternalIdWithExactDinarAmounts() {
        String entity = erp.upsertCustomer(customer("c-kw", "Gulf Trading", "KW01", "KWD"), "KW01");
        ErpPosting invoice = posting("in-1", entity, "KW01", "KWD", line("PLAT-SUB", 12345, new ErpPosting.Tax("41", "KW", 500, kwd(617))));

        String first = erp.postInvoice(invoice);
        String again = erp.postInvoice(invoice);

        assertThat(again).isEqualTo(first);
        Transaction held = simulator.invoice("in-1").orElseThrow();
        assertThat(held.internalId()).isEqualTo(first);
        assertThat(held.writes()).isEqualTo(2);
        assertThat(held.total().toPlainString()).isEqualTo("12.962");
        assertThat(held.lines().get(0).path("amount").decimalValue().toPlainString()).isEqualTo("12.345");
        assertThat(simulator.transactions()).hasSize(1);
    }

    @Test
    void anItemTheAccountDoesNotHaveIsRefusedAsNetSuiteRefusesIt() {
        String entity = erp.upsertCustomer(customer("c-us", "Acme Inc", "US01", "USD"), "US01");
        assertThatThrownBy(() -> erp.postInvoice(posting("in-2", entity, "US01", "USD", line("GHOST", 100))))
                .isInstanceOf(BusinessFailure.class)
                .satisfies(e -> assertThat(((BusinessFailure) e).errorCode()).isEqualTo("INVALID_KEY_OR_REF"))
                .hasMessageContaining("Invalid item reference key 999 for subsidiary 1");
        assertThat(simulator.invoice("in-2")).isEmpty();
    }

    @Test
    void anUnmappedSkuFailsBeforeAnyRequestNamingTheSku() {
        String entity = erp.upsertCustomer(customer("c-us2", "Acme Inc", "US01", "USD"), "US01");
        int before = simulator.counts().requests();
        assertThatThrownBy(() -> erp.postInvoice(posting("in-3", entity, "US01", "USD", line("SUPPORT-PREM", 100))))
                .isInstanceOf(BusinessFailure.class)
                .satisfies(e -> assertThat(((BusinessFailure) e).errorCode()).isEqualTo("NETSUITE_UNMAPPED_ITEM"))
                .hasMessageContaining("SKU SUPPORT-PREM");
        assertThat(simulator.counts().requests()).isEqualTo(before);
    }

    @Test
    void anUnknownCustomerAndACurrencyTheSubsidiaryDoesNotAllowAreRefused() {
        assertThatThrownBy(() -> erp.postInvoice(posting("in-4", "424242", "US01", "USD", line("PLAT-SUB", 100))))
                .isInstanceOf(BusinessFailure.class).hasMessageContaining("INVALID_KEY_OR_REF")
                .hasMessageContaining("Invalid entity reference key 424242");
        String entity = erp.upsertCustomer(customer("c-us3", "Acme Inc", "US01", "USD"), "US01");
        assertThatThrownBy(() -> erp.postInvoice(posting("in-5", entity, "US01", "EUR", line("PLAT-SUB", 100))))
                .isInstanceOf(BusinessFailure.class).hasMessageContaining("USER_ERROR")
                .hasMessageContaining("Invalid Field Value 4 for the following field: currency");
        assertThat(simulator.transactions()).isEmpty();
    }

    @Test
    void aCreditMemoAppliesToItsInvoiceButNeverMoreThanItOwes() {
        String entity = erp.upsertCustomer(customer("c-de", "Acme GmbH", "DE01", "EUR"), "DE01");
        String invoice = erp.postInvoice(posting("in-6", entity, "DE01", "EUR", line("PLAT-SUB", 10000)));

        String memo = erp.postCreditMemo(posting("cn-6", entity, "DE01", "EUR", line("PLAT-SUB", 4000)), invoice);
        assertThat(simulator.creditMemo("cn-6").orElseThrow().internalId()).isEqualTo(memo);
        assertThat(simulator.invoice("in-6").orElseThrow().amountRemaining().toPlainString()).isEqualTo("60.00");
        // re-posting the same credit memo re-applies it, it does not apply twice
        erp.postCreditMemo(posting("cn-6", entity, "DE01", "EUR", line("PLAT-SUB", 4000)), invoice);
        assertThat(simulator.invoice("in-6").orElseThrow().amountRemaining().toPlainString()).isEqualTo("60.00");

        assertThatThrownBy(() -> erp.postCreditMemo(posting("cn-7", entity, "DE01", "EUR", line("PLAT-SUB", 7000)),
                invoice)).isInstanceOf(BusinessFailure.class).hasMessageContaining("exceeds its amount due (60.00)");
        assertThat(simulator.creditMemo("cn-7")).isEmpty();
    }

    @Test
    void aReversalIsATransformedCreditMemoMadeOnceWhateverTheRetries() {
        String entity = erp.upsertCustomer(customer("c-jp", "Tokyo KK", "JP01", "JPY"), "JP01");
        String invoice = erp.postInvoice(posting("in-8", entity, "JP01", "JPY", line("PRO-SVC", 98765)));

        String reversal = erp.reverseInvoice("void-8", invoice, LocalDate.of(2026, 2, 1), "void of invoice 8");
        String again = erp.reverseInvoice("void-8", invoice, LocalDate.of(2026, 2, 1), "void of invoice 8");

        assertThat(again).isEqualTo(reversal);
        Transaction memo = simulator.creditMemo("void-8").orElseThrow();
        assertThat(memo.createdFrom()).isEqualTo(invoice);
        assertThat(memo.total().toPlainString()).isEqualTo("98765");
        assertThat(simulator.invoice("in-8").orElseThrow().amountRemaining()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(simulator.transactions()).filteredOn(t -> t.type().equals("creditMemo")).hasSize(1);
        assertThat(simulator.requestsFor("void-8")).containsExactly("GET /creditMemo/eid:void-8",
                "GET /creditMemo/eid:void-8");
    }

    private static ErpPosting posting(String id, String entity, String legalEntity, String currency,
            ErpPosting.Line... lines) {
        List<ErpPosting.Line> inCurrency = java.util.Arrays.stream(lines).map(l -> new ErpPosting.Line(l.lineId(),
                l.sku(), l.description(), l.quantity(), new Money(l.unitAmount().minorUnits(), Currency.getInstance(currency)),
                new Money(l.amount().minorUnits(), Currency.getInstance(currency)), l.revenueType(), l.revRecRule(),
                l.revRecStart(), l.revRecEnd(), l.revRecTermMonths(), l.taxes())).toList();
        return new ErpPosting(id, "N-" + id, entity, legalEntity, Currency.getInstance(currency),
                LocalDate.of(2026, 1, 31), null, new ErpPosting.Dimensions("10", null, null), inCurrency);
    }

    private static ErpPosting.Line line(String sku, long minor, ErpPosting.Tax... taxes) {
        return new ErpPosting.Line("l1", sku, null, BigDecimal.ONE, kwd(minor), kwd(minor),
                ErpPosting.RevenueType.RECURRING, null, null, null, null, List.of(taxes));
    }

    private static Money kwd(long minor) {
        return Money.ofMinor(minor, "KWD");
    }
}
