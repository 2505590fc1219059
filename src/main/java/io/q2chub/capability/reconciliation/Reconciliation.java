package io.q2chub.capability.reconciliation;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.q2chub.canonical.CanonicalJson;
import io.q2chub.canonical.CanonicalPublisher;
import io.q2chub.canonical.EventTypes;
import io.q2chub.canonical.Invoice;
import io.q2chub.canonical.QuoteToCashChain;
import io.q2chub.connector.Billing;
import io.q2chub.connector.Billing.BillingInvoice;
import io.q2chub.connector.Billing.BillingPayment;
import io.q2chub.connector.ConnectorRoles;
import io.q2chub.connector.Crm.BookedOrder;
import io.q2chub.connector.Erp;
import io.q2chub.connector.Erp.ErpInvoice;
import io.q2chub.connector.Erp.ErpReceipt;
import io.q2chub.ops.exceptions.ExceptionCases;
import io.q2chub.ops.xref.CrossReference;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The steps of routes/reconciliation.camel.yaml: for a window, read what the CRM booked, what billing issued and what
 * the ERP holds (through the roles, never a vendor), compare them (ThreeWayCompare), keep the report, open one
 * exception case per discrepancy and publish the counts as metrics. Heal mode re-emits invoice.issued for an
 * invoice missing in the ERP through direct:publish-canonical-event: the posting pipeline, keyed by the document,
 * writes the ERP, never this class.
 *
 * <p>Windows: billing by creation time {@code [from, to)}; the ERP and the CRM by date, {@code [from's day, to's
 * day rounded up)} in UTC, since they date documents, not instants.
 */
@ApplicationScoped
@Named("reconciliation")
@RegisterForReflection
public class Reconciliation {

    public static final String FROM = "q2c-reconciliation-from";
    public static final String TO = "q2c-reconciliation-to";
    public static final String HEAL = "q2c-reconciliation-heal";
    public static final String TRIGGER = "q2c-reconciliation-trigger";
    static final String CAPABILITY = "reconciliation";
    private static final Logger LOG = Logger.getLogger(Reconciliation.class);

    private final ConnectorRoles roles;
    private final CrossReference xref;
    private final ReconciliationStore store;
    private final ExceptionCases cases;
    private final CanonicalPublisher publisher;
    private final Duration lookback;
    private final boolean compareBookings;
    private final boolean comparePayments;
    private final Map<DiscrepancyKind, AtomicLong> lastCounts = new EnumMap<>(DiscrepancyKind.class);
    private final AtomicReference<Instant> lastCompleted = new AtomicReference<>();
    private final ObjectMapper json = CanonicalJson.mapper();

    public Reconciliation(ConnectorRoles roles, CrossReference xref, ReconciliationStore store, ExceptionCases cases,
            CanonicalPublisher publisher, MeterRegistry metrics,
            @ConfigProperty(name = "q2c.reconciliation.lookback") Duration lookback,
            @ConfigProperty(name = "q2c.reconciliation.compare-bookings") boolean compareBookings,
            @ConfigProperty(name = "q2c.reconciliation.compare-payments") boolean comparePayments) {
        this.roles = roles;
        this.xref = xref;
        this.store = store;
        this.cases = cases;
        this.publisher = publisher;
        this.lookback = lookback;
        this.compareBookings = compareBookings;
        this.comparePayments = comparePayments;
        // The registry can outlive this bean (a Quarkus restart in one JVM, as in tests) and ignores a second
        // registration of a gauge, whose first state it holds weakly: the old gauges would read NaN. Replace them.
        metrics.find("q2c.reconciliation.discrepancies").meters().forEach(metrics::remove);
        metrics.find("q2c.reconciliation.lag").meters().forEach(metrics::remove);
        for (DiscrepancyKind kind : DiscrepancyKind.values()) {
            AtomicLong count = new AtomicLong();
            lastCounts.put(kind, count);
            Gauge.builder("q2c.reconciliation.discrepancies", count, AtomicLong::doubleValue)
                    .description("Discrepancies of this kind the last completed reconciliation found")
                    .tag("kind", kind.name()).register(metrics);
        }
        Gauge.builder("q2c.reconciliation.lag", this, Reconciliation::lagSeconds)
                .description("Seconds since the last completed reconciliation (NaN before the first)")
                .baseUnit("seconds").register(metrics);
    }

    /** The scheduled window: the last {@code q2c.reconciliation.lookback} up to now. */
    public void scheduledWindow(Exchange exchange) {
        Instant to = Instant.now();
        Message in = exchange.getMessage();
        in.setHeader(FROM, to.minus(lookback).toString());
        in.setHeader(TO, to.toString());
        in.setHeader(HEAL, false);
        in.setHeader(TRIGGER, "schedule");
    }

    /** Runs one reconciliation for the window in the headers; the body becomes the stored report. */
    public void run(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        Instant from = Instant.parse(in.getHeader(FROM, String.class));
        Instant to = Instant.parse(in.getHeader(TO, String.class));
        boolean heal = Boolean.TRUE.equals(in.getHeader(HEAL, Boolean.class));
        String trigger = in.getHeader(TRIGGER, "api", String.class);
        in.setBody(reconcile(from, to, heal, trigger));
    }

    public ReconciliationReport reconcile(Instant from, Instant to, boolean heal, String trigger) throws Exception {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("the window must start before it ends: " + from + " .. " + to);
        }
        long runId = store.started(from, to, trigger, heal);
        try {
            Billing billing = roles.billing();
            Erp erp = roles.erp();
            LocalDate firstDay = from.atOffset(ZoneOffset.UTC).toLocalDate();
            LocalDate endDay = to.atOffset(ZoneOffset.UTC).toLocalDate();
            if (!to.equals(endDay.atStartOfDay(ZoneOffset.UTC).toInstant())) {
                endDay = endDay.plusDays(1);
            }
            List<BillingInvoice> billed = billing.listInvoices(from, to);
            List<ErpInvoice> held = erp.listInvoices(firstDay, endDay);
            List<BookedOrder> booked = compareBookings ? roles.crm().listActivatedOrders(firstDay, endDay) : List.of();
            ThreeWayCompare.Links links = new ThreeWayCompare.Links(xref.links(billing.system(), "invoice"),
                    xref.links(erp.system(), "invoice"),
                    compareBookings ? xref.links(roles.crm().system(), "order") : Map.of(),
                    xref.links(billing.system(), "subscription"));
            List<Discrepancy> found = new ArrayList<>(ThreeWayCompare.compare(billing.system(), billed, held, booked,
                    links, comparePayments));
            // Money collected (issue 6): payments and refunds, compared by id like the invoices.
            List<BillingPayment> collected = comparePayments ? billing.listPayments(from, to) : List.of();
            List<ErpReceipt> received = comparePayments ? erp.listPayments(firstDay, endDay) : List.of();
            PaymentCompare.Links paymentLinks = comparePayments ? paymentLinks(billing, erp) : null;
            if (comparePayments) {
                found.addAll(PaymentCompare.compare(billing.system(), collected, received, paymentLinks));
            }
            PaymentHeal paymentHeal = heal ? new PaymentHeal(runId, billing, xref, publisher,
                    byCanonicalId(billing, collected, paymentLinks)) : null;
            int healed = 0;
            List<Discrepancy> reported = new ArrayList<>();
            for (Discrepancy d : found) {
                if (heal && d.kind() == DiscrepancyKind.MISSING_IN_ERP) {
                    d = heal(runId, billing, d);
                    healed += d.healed() ? 1 : 0;
                }
                if (heal && d.kind() == DiscrepancyKind.PAYMENT_MISSING_IN_ERP) {
                    d = paymentHeal.missing(d);
                    healed += d.healed() ? 1 : 0;
                }
                if (heal && d.kind() == DiscrepancyKind.STATUS_MISMATCH && "paid".equals(d.billingStatus())) {
                    d = paymentHeal.paidButOpen(d);
                    healed += d.healed() ? 1 : 0;
                }
                reported.add(withCase(d, billing, erp));
            }
            // Payouts against deposits: reported, never healed (a payout is re-sent by its webhook or a replay).
            PayoutView payouts = payoutView(billing, erp, from, to, firstDay, endDay);
            for (Discrepancy d : payouts.found()) {
                reported.add(withCase(d, billing, erp));
            }
            store.completed(runId, billed.size() + collected.size(), held.size() + received.size(), booked.size(),
                    healed, reported);
            resolveConsistent(runId, billing, billed, held, booked, links, reported);
            if (comparePayments) {
                resolveConsistentOf(runId, "payment", PaymentCompare.compared(billing.system(), collected, received,
                        paymentLinks), reported);
            }
            resolveConsistentOf(runId, "payout", payouts.compared(), reported);
            published(reported);
            LOG.infof("reconciliation %d of %s .. %s: %d billing, %d ERP, %d CRM documents, %d discrepancies, %d healed",
                    runId, from, to, billed.size(), held.size(), booked.size(), reported.size(), healed);
            return store.find(runId).orElseThrow();
        } catch (Exception e) {
            store.failed(runId, e.getClass().getSimpleName() + ": " + e.getMessage());
            throw e;
        }
    }

    /**
     * The invoice as billing holds it, as the billing ingress would have published it, re-emitted with a CloudEvent
     * id of this run: the posting pipeline's own idempotency (the ERP keyed by the canonical id) makes a second
     * posting of the same document an update, never a second invoice.
     */
    private Discrepancy heal(long runId, Billing billing, Discrepancy missing) {
        try {
            Invoice fetched = billing.fetchInvoice(missing.billingId());
            String customer = xref.canonicalId(billing.system(), "customer", fetched.customerId()).orElse(null);
            if (customer == null) {
                return missing.noted("not healed: billing customer " + fetched.customerId() + " is not linked");
            }
            String subscription = fetched.subscriptionId() == null ? null
                    : xref.canonicalId(billing.system(), "subscription", fetched.subscriptionId()).orElse(null);
            xref.link(billing.system(), "invoice", missing.billingId(), missing.documentId());
            Invoice canonical = new Invoice(missing.documentId(), fetched.number(), Invoice.Kind.INVOICE, customer,
                    subscription, null, fetched.currency(), fetched.issueDate(), fetched.dueDate(), fetched.lines(),
                    fetched.totals(), fetched.externalIds());
            // The healed invoice joins its subscription's chain, as the billing ingress would have put it.
            publisher.publish(EventTypes.INVOICE_ISSUED, "reconciliation-" + runId + "-" + missing.billingId(),
                    "billing", QuoteToCashChain.ofSubscription(subscription), canonical);
            return missing.healed("healed: invoice.issued re-emitted by run " + runId);
        } catch (Exception e) {
            LOG.warnf("reconciliation %d could not heal %s: %s", runId, missing.documentId(), e.getMessage());
            return missing.noted("not healed: " + e.getMessage());
        }
    }

    /**
     * Documents of this window found consistent now close their open reconciliation cases: a healed gap, an amount
     * corrected in the ERP. Only keys this run compared are touched, so cases of other windows stay open.
     */
    private void resolveConsistent(long runId, Billing billing, List<BillingInvoice> billed, List<ErpInvoice> held,
            List<BookedOrder> booked, ThreeWayCompare.Links links, List<Discrepancy> reported) throws SQLException {
        java.util.Set<String> compared = new java.util.HashSet<>();
        for (BillingInvoice b : billed) {
            compared.add(links.billingInvoices().getOrDefault(b.id(),
                    ThreeWayCompare.mintedInvoiceId(billing.system(), b.id())));
        }
        for (ErpInvoice e : held) {
            compared.add(e.externalId() != null ? e.externalId() : e.erpId());
        }
        for (BookedOrder o : booked) {
            compared.add(o.orderId());
            String contract = links.crmOrders().get(o.orderId());
            if (contract != null) {
                compared.add(contract);
            }
        }
        for (Discrepancy d : reported) {
            compared.remove(d.documentId());
        }
        int resolved = cases.resolveFindings(CAPABILITY, compared, "consistent in reconciliation " + runId);
        if (resolved > 0) {
            LOG.infof("reconciliation %d: %d case(s) of documents now consistent resolved", runId, resolved);
        }
    }

    /** The payment links of both systems, read once per run. */
    private PaymentCompare.Links paymentLinks(Billing billing, Erp erp) throws SQLException {
        Map<String, String> payments = xref.links(billing.system(), PaymentCompare.PAYMENT);
        Map<String, String> refunds = xref.links(billing.system(), PaymentCompare.REFUND);
        java.util.Set<String> sourced = new java.util.HashSet<>(payments.values());
        sourced.addAll(refunds.values());
        sourced.addAll(xref.links(billing.system(), PaymentCompare.DISPUTE).values());
        java.util.Set<String> recorded = new java.util.HashSet<>(xref.links(erp.system(), PaymentCompare.PAYMENT)
                .values());
        recorded.addAll(xref.links(erp.system(), PaymentCompare.REFUND).values());
        return new PaymentCompare.Links(payments, refunds, sourced, recorded);
    }

    private static Map<String, BillingPayment> byCanonicalId(Billing billing, List<BillingPayment> collected,
            PaymentCompare.Links links) {
        Map<String, BillingPayment> byId = new java.util.HashMap<>();
        for (BillingPayment p : collected) {
            byId.put(PaymentCompare.canonicalId(billing.system(), p, links), p);
        }
        return byId;
    }

    /** As resolveConsistent, for the payments and refunds this run compared. */
    private void resolveConsistentOf(long runId, String what, java.util.Set<String> compared,
            List<Discrepancy> reported) throws SQLException {
        for (Discrepancy d : reported) {
            compared.remove(d.documentId());
        }
        int resolved = cases.resolveFindings(CAPABILITY, compared, "consistent in reconciliation " + runId);
        if (resolved > 0) {
            LOG.infof("reconciliation %d: %d %s case(s) now consistent resolved", runId, resolved, what);
        }
    }

    private Discrepancy withCase(Discrepancy d, Billing billing, Erp erp) throws Exception {
        return d.withCase(cases.parkFinding(CAPABILITY, systemOf(d, billing, erp), d.kind().name(), d.documentId(),
                d.detail(), json.writeValueAsBytes(d)));
    }

    private static String systemOf(Discrepancy d, Billing billing, Erp erp) {
        return d.kind() == DiscrepancyKind.BOOKING_NOT_INVOICED ? billing.system() : erp.system();
    }

    private void published(List<Discrepancy> reported) {
        Map<DiscrepancyKind, Long> counts = new EnumMap<>(DiscrepancyKind.class);
        for (Discrepancy d : reported) {
            counts.merge(d.kind(), 1L, Long::sum);
        }
        lastCounts.forEach((kind, gauge) -> gauge.set(counts.getOrDefault(kind, 0L)));
        lastCompleted.set(Instant.now());
    }

    private double lagSeconds() {
        Instant last = lastCompleted.get();
        if (last == null) {
            try {
                last = store.lastCompleted().orElse(null);
            } catch (SQLException e) {
                return Double.NaN;
            }
            if (last == null) {
                return Double.NaN;
            }
            lastCompleted.compareAndSet(null, last);
        }
        return Duration.between(last, Instant.now()).toMillis() / 1000.0;
    }

    // ---- payouts against deposits (issue 6, payouts slice) ---------------------------------------------------------

    @ConfigProperty(name = "q2c.reconciliation.compare-payouts", defaultValue = "true")
    boolean comparePayouts;

    /** Payouts against deposits: what PayoutCompare found, and the payouts of the window it compared. */
    private record PayoutView(List<Discrepancy> found, java.util.Set<String> compared) {
    }

    /**
     * Payouts created in the window against deposits dated from its first day to a week after its end (a payout
     * arrives days after it is created). Roles that cannot list payouts or deposits are skipped, not failed.
     */
    private PayoutView payoutView(Billing billing, Erp erp, Instant from, Instant to, LocalDate firstDay,
            LocalDate endDay) throws SQLException {
        if (!comparePayouts) {
            return new PayoutView(List.of(), new java.util.HashSet<>());
        }
        try {
            List<Billing.BillingPayout> payouts = billing.listPayouts(from, to);
            List<Erp.HeldDeposit> deposits = erp.listDeposits(firstDay, endDay.plusDays(7));
            Map<String, String> links = xref.links(billing.system(), "payout");
            java.util.Set<String> compared = new java.util.HashSet<>();
            for (Billing.BillingPayout payout : payouts) {
                if (links.containsKey(payout.id())) {
                    compared.add(links.get(payout.id()));
                }
            }
            return new PayoutView(PayoutCompare.compare(payouts, deposits, links), compared);
        } catch (UnsupportedOperationException e) {
            LOG.debugf("payouts not reconciled: %s", e.getMessage());
            return new PayoutView(List.of(), new java.util.HashSet<>());
        }
    }
}
