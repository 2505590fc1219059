package io.q2chub.sandbox;

import io.q2chub.capability.reconciliation.Reconciliation;
import io.q2chub.capability.reconciliation.ReconciliationReport;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.netsuite.Transaction;
import io.q2chub.sandbox.salesforce.SalesforceSimulator;
import io.q2chub.sandbox.stripe.StripeSimulator;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.ProducerTemplate;

/**
 * The demo's reconciliation act, through the real direct:reconcile route (as the schedule and the REST API run
 * it): once the demo's orders, invoices and payments have settled, a run over the demo's window finds nothing;
 * then one discrepancy of each kind is made in the simulators the way it happens in practice, and a second run over
 * the same window finds each of them.
 *
 * <ul>
 * <li>{@code MISSING_IN_ERP}: an invoice raised by hand in Stripe whose webhooks never reached the hub;</li>
 * <li>{@code AMOUNT_MISMATCH}: a posted invoice whose total someone edited in NetSuite (one currency unit more);</li>
 * <li>{@code STATUS_MISMATCH}: a posted invoice paid in Stripe whose webhooks never arrived, so the ERP still shows
 * it open; with {@code q2c.reconciliation.compare-payments=false} (paid-vs-open not compared) voided instead;</li>
 * <li>{@code ERP_WITHOUT_SOURCE}: a copy of a posted invoice keyed in again by hand in NetSuite, without an external
 * id;</li>
 * <li>{@code BOOKING_NOT_INVOICED}: an order in EUR activated for an onboarded DE account: billing has no EUR price
 * for the demo SKU, so activation parks it ({@code PRODUCT_NOT_MAPPED}) and no subscription or invoice exists.</li>
 * </ul>
 */
final class DemoReconciliation {

    /** What was seeded, by the id the report names it by (Stripe invoice, NetSuite internal id, Salesforce order). */
    record Seeded(String missingInErp, String amountMismatch, String statusMismatch, String statusChange,
            String erpWithoutSource, String bookingNotInvoiced, Payments payments) {
    }

    /**
     * The payment kinds, seeded when payments are compared (else null): the Stripe invoice payment of the invoice
     * paid unheard, the canonical id of a NetSuite payment whose amount was edited, the NetSuite internal id of a
     * payment keyed in by hand.
     */
    record Payments(String missingInErp, String amountMismatch, String withoutSource) {
    }

    /** @param payouts the Stripe payouts of the settled balance, one per currency, each deposited in NetSuite */
    record Outcome(List<String> payouts, ReconciliationReport clean, Seeded seeded, ReconciliationReport seededRun) {
    }

    /** 1,100.00 EUR: what the sales rep put on the EUR order billing has no price for. */
    private static final long EUR_ORDER_PRICE = 110_000L;

    private final ProducerTemplate producer;
    private final StripeSimulator stripe;
    private final NetSuiteSimulator netsuite;
    private final SalesforceSimulator salesforce;
    private final DemoPayments payments;
    private final boolean comparePayments;
    private final Duration patience;

    DemoReconciliation(ProducerTemplate producer, StripeSimulator stripe, NetSuiteSimulator netsuite,
            SalesforceSimulator salesforce, DemoPayments payments, boolean comparePayments, Duration patience) {
        this.producer = producer;
        this.stripe = stripe;
        this.netsuite = netsuite;
        this.salesforce = salesforce;
        this.payments = payments;
        this.comparePayments = comparePayments;
        this.patience = patience;
    }

    /** The whole act over the window from {@code from} to now; new orders must be held back by the caller. */
    Outcome run(Instant from) {
        settle(from);
        List<String> payouts = payOut();
        ReconciliationReport clean = reconcile(from);
        Seeded seeded = seedOneOfEachKind(from);
        return new Outcome(payouts, clean, seeded, reconcile(from));
    }

    /**
     * Stripe pays the settled balance out, one payout per currency the demo was paid in; returns once NetSuite holds
     * a bank deposit for each (the payout-deposit route, through the payout.paid webhook).
     */
    List<String> payOut() {
        long depositsBefore = deposits();
        List<String> payouts = payments.paid().keySet().stream()
                .map(invoice -> (String) stripe.invoice(invoice).get("currency")).distinct()
                .map(stripe::payOut).filter(java.util.Objects::nonNull).map(p -> (String) p.get("id")).toList();
        Waiting.until("the payouts " + payouts + " to be deposited in NetSuite", patience,
                () -> deposits() - depositsBefore >= payouts.size());
        return payouts;
    }

    private long deposits() {
        return netsuite.transactions().stream().filter(t -> "deposit".equals(t.type())).count();
    }

    /** Waits (paying what is posted meanwhile) until every order, invoice and payment of the window is through. */
    void settle(Instant from) {
        Waiting.until("the demo's orders, invoices and payments to reach NetSuite", patience, () -> {
            payments.collect();
            return settled(from);
        });
    }

    /** One run through direct:reconcile, as the REST API and the schedule start it. */
    ReconciliationReport reconcile(Instant from) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(Reconciliation.FROM, from.toString());
        headers.put(Reconciliation.TO, Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS).toString());
        headers.put(Reconciliation.HEAL, false);
        headers.put(Reconciliation.TRIGGER, "demo");
        return producer.requestBodyAndHeaders("direct:reconcile", null, headers, ReconciliationReport.class);
    }

    /**
     * Every activated order of the window has its invoice posted (status written back to the order), every invoice
     * of the window is posted (the ERP id is on it) and every demo invoice is paid, with the payment in the ERP.
     */
    private boolean settled(Instant from) {
        LocalDate firstDay = from.atOffset(ZoneOffset.UTC).toLocalDate();
        for (Map<String, Object> order : salesforce.records("Order")) {
            Object effective = order.get("EffectiveDate");
            if ("Activated".equals(order.get("Status")) && effective != null
                    && !LocalDate.parse(effective.toString()).isBefore(firstDay)
                    && !"Posted".equals(order.get("Invoice_Status__c"))) {
                return false;
            }
        }
        for (Map<String, Object> invoice : invoicesSince(from)) {
            if (DemoPayments.erpId(invoice) == null || invoice.get("parent") != null && !payments.paid((String) invoice.get("id"))) {
                return false;
            }
        }
        return payments.settled();
    }

    private List<Map<String, Object>> invoicesSince(Instant from) {
        return stripe.invoices().stream()
                .filter(i -> DemoPayments.number(i, "created") >= from.getEpochSecond())
                .filter(i -> !"draft".equals(i.get("status")) && !"void".equals(i.get("status"))).toList();
    }

    /** One discrepancy of each kind, made in the simulators; returns once each is in place. */
    Seeded seedOneOfEachKind(Instant from) {
        Map<String, Object> template = invoicesSince(from).stream().filter(i -> i.get("parent") != null)
                .filter(i -> DemoPayments.erpId(i) != null)
                .min(Comparator.comparing(i -> "usd".equals(i.get("currency")) ? 0 : 1))
                .orElseThrow(() -> new IllegalStateException("demo: no posted demo invoice to seed discrepancies next to"));
        String customer = (String) template.get("customer");
        String currency = (String) template.get("currency");
        long unitAmount = DemoPayments.number(template, "total") / 4;

        String edited = manualInvoice(customer, currency, unitAmount, true);
        String paidUnheard = manualInvoice(customer, currency, unitAmount, true);
        String unheard = manualInvoice(customer, currency, unitAmount, false);
        stripe.webhooks().suppress(unheard);
        stripe.invoiceAction(unheard, "finalize");
        Waiting.until("the seeded invoices to be posted", patience,
                () -> DemoPayments.erpId(stripe.invoice(edited)) != null && DemoPayments.erpId(stripe.invoice(paidUnheard)) != null);

        Transaction erpEdited = payments.erpInvoice(stripe.invoice(edited)).orElseThrow();
        // copied while it still matches billing: an open invoice of the same amount, keyed in again by hand
        Transaction copied = netsuite.enterInvoiceByHand(erpEdited.externalId());
        netsuite.changeInvoiceTotal(erpEdited.externalId(), erpEdited.total().add(BigDecimal.ONE));

        stripe.webhooks().suppress(paidUnheard);
        String statusChange = comparePayments ? "paid" : "void";
        if (comparePayments) {
            stripe.payInvoice(paidUnheard, null);
        } else {
            stripe.invoiceAction(paidUnheard, "void");
        }

        String order = SalesforceDemoTraffic.activatedOrder(salesforce, onboardedEuroAccount(), "EUR", EUR_ORDER_PRICE);
        return new Seeded(unheard, edited, paidUnheard, statusChange, copied.internalId(), order,
                comparePayments ? seedPaymentKinds(paidUnheard) : null);
    }

    /**
     * The payment of the invoice paid unheard is missing in the ERP already; a demo payment in full is keyed in
     * again by hand (no external id, applied to nothing), then its NetSuite amount is edited up by one unit.
     */
    private Payments seedPaymentKinds(String paidUnheard) {
        Transaction invoice = payments.paid().entrySet().stream()
                .filter(e -> e.getValue() == DemoPayments.Plan.IN_FULL)
                .map(e -> payments.erpInvoice(stripe.invoice(e.getKey())).orElseThrow()).findFirst()
                .orElseThrow(() -> new IllegalStateException("demo: no invoice paid in full to seed payments next to"));
        Transaction payment = netsuite.transactions().stream()
                .filter(t -> "customerPayment".equals(t.type()) && t.externalId() != null)
                .filter(t -> t.applied().stream().anyMatch(line ->
                        invoice.internalId().equals(line.path("doc").path("id").asText())))
                .findFirst().orElseThrow(() -> new IllegalStateException("demo: invoice " + invoice.externalId()
                        + " has no customer payment in NetSuite"));
        Transaction byHand = netsuite.enterPaymentByHand(payment.externalId());
        BigDecimal oneUnit = BigDecimal.ONE.setScale(payment.total().scale());
        netsuite.changePaymentAmount(payment.externalId(), payment.total().add(oneUnit));
        return new Payments(DemoPayments.firstPayment(stripe.invoice(paidUnheard)), payment.externalId(),
                byHand.internalId());
    }

    /** An invoice raised by hand in Stripe: one line of the demo SKU, finalized unless the caller does it. */
    private String manualInvoice(String customer, String currency, long unitAmount, boolean finalize) {
        long now = Instant.now().getEpochSecond();
        String scenario = """
                {"customer":"%s","currency":"%s","daysUntilDue":30,"finalize":%s,
                 "lines":[{"description":"Platform, annual (raised by hand)","quantity":1,"unitAmount":%d,"sku":"%s",
                           "periodStart":%d,"periodEnd":%d}]}"""
                .formatted(customer, currency.toLowerCase(Locale.ROOT), finalize, unitAmount, SandboxSimulators.DEMO_SKU,
                        now, now + 365L * 86_400);
        return (String) stripe.createInvoice(scenario).get("id");
    }

    /** A DE account the hub has onboarded: one of the demo's, else a new one, awaited until it is synced. */
    private String onboardedEuroAccount() {
        for (Map<String, Object> account : salesforce.accounts()) {
            if ("EUR".equals(account.get("CurrencyIsoCode")) && "Synced".equals(account.get("Sync_Status__c"))) {
                return (String) account.get("Id");
            }
        }
        String id = salesforce.createAccount(Map.of("Name", "Demo Account (EUR order)", "BillingCountry", "DE",
                "CurrencyIsoCode", "EUR", "Tax_Id__c", "DE123456789", "Type", "Customer"));
        Waiting.until("the EUR account " + id + " to be onboarded", patience, () -> salesforce.account(id)
                .map(a -> "Synced".equals(a.get("Sync_Status__c"))).orElse(false));
        return id;
    }
}
