package io.q2chub.connector.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.model.Invoice;
import com.stripe.model.InvoiceItem;
import com.stripe.model.TaxRate;
import com.stripe.param.InvoiceCreateParams;
import com.stripe.param.InvoiceItemCreateParams;
import com.stripe.param.TaxRateCreateParams;
import io.q2chub.canonical.InvoiceLine;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.sandbox.stripe.StripeSimulator;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The invoice side of StripeBilling, and the simulator's invoice API as stripe-java itself drives it (tax rates,
 * invoice items, invoices, finalize, void, metadata), over real HTTP.
 */
class StripeInvoiceConnectorTest {

    private static final String KEY = "sk_test_invoiceKey4321";
    private static StripeSimulator stripe;
    private StripeBilling billing;
    private StripeClient client;

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
        client = StripeClient.builder().setApiKey(KEY).setApiBase(stripe.baseUrl()).build();
    }

    @Test
    void aKwdInvoiceBuiltWithStripeJavaIsFetchedExactToTheFilsWithItsTax() throws Exception {
        TaxRate vat = client.v1().taxRates().create(TaxRateCreateParams.builder().setDisplayName("VAT")
                .setPercentage(new BigDecimal("5")).setInclusive(false).setCountry("KW").build());
        Invoice draft = client.v1().invoices().create(InvoiceCreateParams.builder().setCustomer("cus_kw1")
                .setCurrency("kwd").build());
        InvoiceItem item = client.v1().invoiceItems().create(InvoiceItemCreateParams.builder().setCustomer("cus_kw1")
                .setInvoice(draft.getId()).setCurrency("kwd").setQuantity(3L)
                .setUnitAmountDecimal(new BigDecimal("4115")).putMetadata("sku", "KW-SUPPORT")
                .setPeriod(InvoiceItemCreateParams.Period.builder().setStart(1_798_761_600L).setEnd(1_801_440_000L).build())
                .addTaxRate(vat.getId()).build());
        assertThat(item.getAmount()).isEqualTo(12345L);
        Invoice finalized = client.v1().invoices().finalizeInvoice(draft.getId());
        assertThat(finalized.getStatus()).isEqualTo("open");
        assertThat(finalized.getTotal()).isEqualTo(12962L);

        io.q2chub.canonical.Invoice fetched = billing.fetchInvoice(draft.getId());

        assertThat(fetched.kind()).isEqualTo(io.q2chub.canonical.Invoice.Kind.INVOICE);
        assertThat(fetched.customerId()).isEqualTo("cus_kw1");
        assertThat(fetched.number()).isEqualTo(finalized.getNumber());
        assertThat(fetched.currency().getCurrencyCode()).isEqualTo("KWD");
        InvoiceLine line = fetched.lines().get(0);
        assertThat(line.sku()).isEqualTo("KW-SUPPORT");
        assertThat(line.quantity()).isEqualByComparingTo("3");
        assertThat(line.unitAmount().toDecimalString()).isEqualTo("4.115");
        assertThat(line.amount().toDecimalString()).isEqualTo("12.345");
        assertThat(line.servicePeriodStart()).isEqualTo(LocalDate.of(2027, 1, 1));
        assertThat(line.servicePeriodEnd()).isEqualTo(LocalDate.of(2027, 1, 31));
        assertThat(line.taxLines()).singleElement().satisfies(tax -> {
            assertThat(tax.jurisdiction()).isEqualTo("KW");
            assertThat(tax.rateBasisPoints()).isEqualTo(500);
            assertThat(tax.amount().toDecimalString()).isEqualTo("0.617");
        });
        assertThat(fetched.totals().total().toDecimalString()).isEqualTo("12.962");

        client.v1().invoices().voidInvoice(draft.getId());
        assertThat(billing.fetchInvoice(draft.getId()).kind()).isEqualTo(io.q2chub.canonical.Invoice.Kind.VOID);
    }

    @Test
    void markInvoicePostedWritesTheErpIdsIntoTheInvoiceMetadata() {
        String invoiceId = (String) stripe.createInvoice("""
                {"customer":"cus_us1","currency":"jpy","lines":[{"description":"Seats","quantity":2,"unitAmount":1500}]}""")
                .get("id");

        billing.markInvoicePosted(invoiceId, "4711", "INV-1042", "post-" + invoiceId);
        billing.markInvoicePosted(invoiceId, "4711", "INV-1042", "post-" + invoiceId);

        @SuppressWarnings("unchecked")
        Map<String, String> metadata = (Map<String, String>) stripe.invoice(invoiceId).get("metadata");
        assertThat(metadata).containsEntry("erp_id", "4711").containsEntry("erp_number", "INV-1042");
        assertThat(stripe.invoice(invoiceId).get("total")).isEqualTo(3000L);
    }

    @Test
    void anUnknownInvoiceIsABusinessFailureNamingIt() {
        assertThatThrownBy(() -> billing.fetchInvoice("in_missing"))
                .isInstanceOf(BusinessFailure.class)
                .hasMessageContaining("in_missing");
    }
}
