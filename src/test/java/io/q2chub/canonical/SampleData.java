package io.q2chub.canonical;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;

/**
 * One fully populated record per event type: every optional field set, so the sample files built from them
 * exercise every property of every schema. The files in {@code src/test/resources/samples/} are these records
 * written by {@link CanonicalJson}; {@link SchemaRegistryTest} rewrites them with {@code -Dq2c.samples.write=true}.
 */
final class SampleData {
    private static final Currency USD = Currency.getInstance("USD");

    private SampleData() {
    }

    static Object of(String type) {
        return switch (type) {
            case EventTypes.CUSTOMER_CHANGED, EventTypes.CUSTOMER_ONBOARDED -> customer();
            case EventTypes.PRODUCT_CHANGED -> product();
            case EventTypes.CONTRACT_BOOKED -> contract();
            case EventTypes.SUBSCRIPTION_ACTIVATED -> subscription();
            case EventTypes.INVOICE_ISSUED -> invoice(Map.of("billing", "in_1PqR2s"));
            case EventTypes.INVOICE_POSTED -> invoice(Map.of("billing", "in_1PqR2s", "erp", "INV-1042"));
            case EventTypes.PAYMENT_RECORDED -> payment();
            case EventTypes.TAX_CALCULATED -> taxDetail();
            case EventTypes.REVENUE_RECOGNIZED -> revenue();
            case EventTypes.PAYOUT_PAID -> payout();
            case EventTypes.PAYMENT_DISPUTED -> dispute();
            case EventTypes.PAYMENT_FAILED -> failure();
            default -> throw new IllegalArgumentException("no sample for " + type);
        };
    }

    static Customer customer() {
        return new Customer("cust-7f3a", "Acme Robotics GmbH", "cust-0001", "q2c-hub-de", "DE",
                Currency.getInstance("EUR"), "DE123456789", "ap@acme-robotics.example", Customer.Status.ACTIVE,
                Map.of("crm", "0015g00000XyZabAAF", "billing", "cus_Q1w2E3r4", "erp", "C-10042"));
    }

    static Product product() {
        return new Product("prod-analytics-pro", "ANL-PRO-USR", "Analytics Pro, per user", ProductKind.RECURRING);
    }

    static Contract contract() {
        return new Contract("ctr-2025-0042", "cust-7f3a", "0065g00000AbCdEAA1", "8015g00000QwErTAAB", USD,
                LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31),
                List.of(new Contract.Line("prod-analytics-pro", new BigDecimal("12"), Money.parse("100.00", "USD")),
                        new Contract.Line("prod-onboarding", new BigDecimal("1.5"), Money.parse("1200", "USD"))));
    }

    static Subscription subscription() {
        return new Subscription("sub_1PqR2sAbc", "ctr-2025-0042", "cust-7f3a", Subscription.Status.ACTIVE,
                LocalDate.of(2025, 1, 1), LocalDate.of(2025, 2, 1),
                List.of(new Subscription.Item("prod-analytics-pro", new BigDecimal("12"), Money.parse("100.00", "USD")),
                        new Subscription.Item("prod-api-calls", new BigDecimal("0"), null)));
    }

    static Invoice invoice(Map<String, String> externalIds) {
        TaxLine tax = new TaxLine("SW054000", "US-CA", 825, Money.parse("99.00", "USD"));
        InvoiceLine line = new InvoiceLine("il_01", "prod-analytics-pro", "ANL-PRO-USR", "Analytics Pro, 12 users",
                new BigDecimal("12"), Money.parse("100.00", "USD"), Money.parse("1200.00", "USD"),
                LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 31), List.of(tax));
        Invoice.Totals totals = new Invoice.Totals(Money.parse("1200.00", "USD"), Money.parse("99.00", "USD"),
                Money.parse("1299.00", "USD"));
        return new Invoice("inv-2025-000123", "INV-2025-000123", Invoice.Kind.INVOICE, "cust-7f3a", "sub_1PqR2sAbc",
                "inv-2024-000999", USD, LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 31), List.of(line), totals,
                externalIds);
    }

    static Payment payment() {
        return new Payment("pay-3c9d", Payment.Kind.REFUND, "cust-7f3a", "inv-2025-000123",
                Money.parse("1299.00", "USD"), Money.parse("37.97", "USD"), Instant.parse("2025-01-15T09:30:12.345Z"),
                "card", "pay-1a2b");
    }

    static PaymentFailure failure() {
        return new PaymentFailure("payf-6a7b", "cust-7f3a", "inv-2025-000123", Money.parse("1299.00", "USD"),
                "insufficient_funds", 2, Instant.parse("2025-02-04T08:00:00Z"));
    }

    static PaymentDispute dispute() {
        return new PaymentDispute("ref-4d5e", "du_1Qx7y8", "pay-1a2b", "cust-7f3a", PaymentDispute.Status.OPEN,
                Money.parse("1299.00", "USD"), "fraudulent", Instant.parse("2025-02-03T11:00:00Z"));
    }

    static Payout payout() {
        return new Payout("pout-5e6f", "po_1Qa2b3", LocalDate.of(2025, 1, 17), Money.parse("1200.00", "USD"),
                Money.parse("37.97", "USD"), Money.parse("1162.03", "USD"), List.of(
                        new Payout.Item(Payment.Kind.PAYMENT, "pay-1a2b", Money.parse("1299.00", "USD"),
                                Money.parse("37.97", "USD")),
                        new Payout.Item(Payment.Kind.REFUND, "ref-9z8y", Money.parse("-99.00", "USD"),
                                Money.parse("0.00", "USD"))));
    }

    static TaxDetail taxDetail() {
        return new TaxDetail("inv-2025-000123",
                List.of(new TaxLine("SW054000", "US-CA", 600, Money.parse("72.00", "USD")),
                        new TaxLine("SW054000", "US-CA-SAN FRANCISCO", 225, Money.parse("27.00", "USD"))),
                Money.parse("99.00", "USD"), "avalara");
    }

    static RevenueEvent revenue() {
        return new RevenueEvent("rev-inv-2025-000123-il_01", "inv-2025-000123", "il_01", "prod-analytics-pro",
                ProductKind.RECURRING, Money.parse("1200.00", "USD"),
                LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 31));
    }
}
