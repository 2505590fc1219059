package io.q2chub.sandbox;

import io.q2chub.capability.reconciliation.DiscrepancyKind;
import io.q2chub.capability.reconciliation.ReconciliationReport;
import io.q2chub.ops.xref.CrossReference;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.camel.ProducerTemplate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The money side of the embedded default's demo: posted demo invoices are paid in the Stripe simulator (DemoPayments)
 * and, once {@value #ORDERS_BEFORE_RECONCILING} of them are paid, the demo reconciles (DemoReconciliation): new
 * orders are held back while the window settles, a first run finds zero discrepancies, one of each kind is seeded, a
 * second run finds them; then the orders resume. The report ids and URLs are logged.
 */
@ApplicationScoped
class DemoFinance {

    private static final Logger LOG = Logger.getLogger(DemoFinance.class);
    /** The USD, JPY and KWD orders: one invoice paid in full, one half paid, one paid with a refund. */
    static final int ORDERS_BEFORE_RECONCILING = 3;

    private final boolean enabled;
    private final int intervalSeconds;
    private final boolean comparePayments;
    private final int httpPort;
    private final ProducerTemplate producer;
    private final CrossReference xref;
    private final SalesforceDemoTraffic orders;
    private final Instant demoStart = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private ScheduledExecutorService timer;
    private DemoPayments payments;
    private DemoReconciliation reconciliation;
    private boolean reconciled;

    DemoFinance(@ConfigProperty(name = "q2c.crm.salesforce.enabled") boolean enabled,
            @ConfigProperty(name = "q2c.sandbox.demo-interval-seconds", defaultValue = "10") int intervalSeconds,
            @ConfigProperty(name = "q2c.reconciliation.compare-payments") boolean comparePayments,
            @ConfigProperty(name = "quarkus.http.port") int httpPort,
            ProducerTemplate producer, CrossReference xref, SalesforceDemoTraffic orders) {
        this.enabled = enabled;
        this.intervalSeconds = intervalSeconds;
        this.comparePayments = comparePayments;
        this.httpPort = httpPort;
        this.producer = producer;
        this.xref = xref;
        this.orders = orders;
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled || intervalSeconds <= 0 || !Sandbox.started() || LaunchMode.current() == LaunchMode.TEST
                || Sandbox.stripe().isEmpty() || Sandbox.netsuite().isEmpty() || Sandbox.salesforce().isEmpty()) {
            return;
        }
        payments = new DemoPayments(Sandbox.stripe().get(), Sandbox.netsuite().get(), xref);
        reconciliation = new DemoReconciliation(producer, Sandbox.stripe().get(), Sandbox.netsuite().get(),
                Sandbox.salesforce().get(), payments, comparePayments, Duration.ofMinutes(3));
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "q2c-demo-finance"));
        timer.scheduleWithFixedDelay(this::work, 5, 2, TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void work() {
        try {
            Map<String, DemoPayments.Plan> paid = payments.collect();
            if (!paid.isEmpty()) {
                LOG.infof("demo payments: posted invoice(s) paid in Stripe %s; payment-application takes them to NetSuite",
                        paid);
            }
            if (!reconciled && payments.paid().size() >= ORDERS_BEFORE_RECONCILING) {
                reconciled = true;
                reconcile();
            }
        } catch (RuntimeException e) {
            LOG.warnf("demo payments: %s", e.getMessage());
        }
    }

    private static String paymentKinds(DemoReconciliation.Payments seeded) {
        if (seeded == null) {
            return "payments not compared (q2c.reconciliation.compare-payments=false)";
        }
        return ("PAYMENT_MISSING_IN_ERP %s (the payment of the invoice paid unheard)%n"
                + "                       PAYMENT_AMOUNT_MISMATCH %s (its NetSuite amount edited by one unit)%n"
                + "                       PAYMENT_WITHOUT_SOURCE NetSuite payment %s (keyed in by hand)")
                .formatted(seeded.missingInErp(), seeded.amountMismatch(), seeded.withoutSource());
    }

    private void reconcile() {
        long begin = System.nanoTime();
        orders.pauseOrders();
        try {
            DemoReconciliation.Outcome outcome = reconciliation.run(demoStart);
            LOG.infof("""

                    ==== demo reconciliation (%.1f s) ====
                      Window               %s .. now (billing by creation, ERP and CRM by day)
                      Payments             %s; refunds %s
                      Payouts              %s (each a NetSuite bank deposit, fees to the bank-fee account)
                      Clean run            %s
                      Seeded               MISSING_IN_ERP %s (Stripe invoice, webhooks suppressed)
                                           AMOUNT_MISMATCH %s (its NetSuite total edited by one unit)
                                           STATUS_MISMATCH %s (%s in Stripe, webhooks suppressed: open in NetSuite)
                                           ERP_WITHOUT_SOURCE NetSuite invoice %s (entered by hand, no external id)
                                           BOOKING_NOT_INVOICED order %s (EUR: no billing price, activation parked)
                                           %s
                      Seeded run           %s
                    =====================================""",
                    (System.nanoTime() - begin) / 1e9, demoStart, payments.paid(), payments.refunds(), outcome.payouts(),
                    summary(outcome.clean()), outcome.seeded().missingInErp(), outcome.seeded().amountMismatch(),
                    outcome.seeded().statusMismatch(), outcome.seeded().statusChange(),
                    outcome.seeded().erpWithoutSource(), outcome.seeded().bookingNotInvoiced(),
                    paymentKinds(outcome.seeded().payments()), summary(outcome.seededRun()));
        } catch (RuntimeException e) {
            LOG.warnf("demo reconciliation did not finish: %s", e.getMessage());
        } finally {
            orders.resumeOrders();
        }
    }

    private String summary(ReconciliationReport report) {
        Map<DiscrepancyKind, Integer> counts = report.counts();
        String kinds = counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        return "#" + report.id() + " " + report.status() + ": " + report.billingDocuments() + " billing, "
                + report.erpDocuments() + " ERP, " + report.crmBookings() + " CRM documents; "
                + report.discrepancies().size() + " discrepancies (" + kinds + ")"
                + "\n                         http://localhost:" + httpPort + "/api/reconciliations/"
                + report.id() + " (JSON), http://localhost:" + httpPort + "/api/reconciliations/" + report.id() + ".csv";
    }
}
