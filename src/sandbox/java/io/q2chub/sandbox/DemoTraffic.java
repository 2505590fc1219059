package io.q2chub.sandbox;

import io.q2chub.canonical.EventTypes;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The embedded default's start-up banner (where to look) and its one deliberately invalid event, so the dead-letter
 * path and the inbox have something to show. The quote-to-cash traffic itself comes from the Salesforce simulator
 * (SalesforceDemoTraffic): accounts, then activated orders that run the whole chain through the real routes; the
 * payments and the reconciliation with its seeded discrepancies from DemoFinance.
 */
@ApplicationScoped
class DemoTraffic {

    private static final Logger LOG = Logger.getLogger(DemoTraffic.class);

    private final int intervalSeconds;
    private final int httpPort;
    private final int managementPort;
    private ScheduledExecutorService timer;

    DemoTraffic(@ConfigProperty(name = "q2c.sandbox.demo-interval-seconds", defaultValue = "10") int intervalSeconds,
            @ConfigProperty(name = "quarkus.http.port") int httpPort,
            @ConfigProperty(name = "quarkus.management.port") int managementPort) {
        this.intervalSeconds = intervalSeconds;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    void onStart(@Observes StartupEvent event) {
        if (!Sandbox.started() || LaunchMode.current() == LaunchMode.TEST) {
            return;
        }
        printWhereToLook();
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "q2c-demo-traffic"));
        timer.schedule(this::publishInvalidEvent, 2, TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void printWhereToLook() {
        Map<String, String> s = Sandbox.settings();
        LOG.infof("""

                ==== q2c-hub is running on embedded defaults (sandbox) ====
                  Trace a transaction  http://localhost:%1$d/api/ledger/ctr-sf-<order id>   (any id of the chain works; each demo order is logged)
                  Publish an event     POST http://localhost:%1$d/api/events   (CloudEvents binary mode: ce-* headers, JSON body)
                  Operations console   http://localhost:%1$d/console/   (sign in as viewer or operator, see above)
                  Exception cases      http://localhost:%1$d/api/exception-cases   (HTTP Basic viewer / operator, see above)
                  OpenAPI              http://localhost:%2$d/q/openapi
                  Readiness            http://localhost:%2$d/q/health/ready
                  Prometheus metrics   http://localhost:%2$d/q/metrics
                  Kafka (KRaft)        %3$s   topics q2c.<entity>.v1, dead letters q2c.deadletter.v1
                  PostgreSQL           %4$s   (user %5$s)
                  NetSuite simulator   %7$s/_sim/customers, %7$s/_sim/netsuite/transactions   (what the ERP holds: customers, posted invoices)
                  Stripe simulator     %8$s/_sim/customers, %8$s/_sim/stripe/invoices   (what billing holds; metadata.erp_id once posted)
                  Salesforce simulator %10$s/_sim/accounts, %10$s/_sim/orders   (Sync_Status__c, Invoice_Status__c, ERP_Invoice_Number__c)
                  Slack webhook sim    %9$s/_sim/slack/messages   (exception notifications)
                  Demo traffic         a Salesforce account every %6$d s; once onboarded, an activated order of PLATFORM-ANNUAL
                                       (USD, JPY, KWD in turn) -> Stripe subscription -> invoice webhook -> NetSuite invoice
                                       -> ERP id on the Stripe invoice and status on the order; stop with Ctrl+C
                  Demo payments        each posted demo invoice is paid in Stripe (in full, half, in full then a quarter
                                       refunded, in turn) -> webhooks -> NetSuite customer payments and refunds
                                       -> one Stripe payout per currency -> NetSuite bank deposit, fees to the bank-fee account
                  Reconciliation       http://localhost:%1$d/api/reconciliations   (runs with counts per kind; viewer)
                                       http://localhost:%1$d/api/reconciliations/<id>  (JSON), .../<id>.csv  (CSV for finance)
                  Demo reconciliation  after %11$d paid orders: a run with 0 discrepancies, then one seeded of each kind
                                       (MISSING_IN_ERP, AMOUNT_MISMATCH, STATUS_MISMATCH, ERP_WITHOUT_SOURCE,
                                       BOOKING_NOT_INVOICED and the three PAYMENT_* kinds) and a second run that finds them;
                                       see "demo reconciliation" in the log
                ===========================================================""",
                httpPort, managementPort, s.get("q2c.kafka.bootstrap-servers"), s.get("q2c.db.url"),
                s.get("q2c.db.username"), intervalSeconds, root(s.get("q2c.netsuite.base-url")),
                s.get("q2c.stripe.api-base"), root(s.get("q2c.notify.webhook-url")), s.get("q2c.salesforce.login-url"),
                DemoFinance.ORDERS_BEFORE_RECONCILING);
    }

    private static String root(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    /** A customer without a name, sent the way an outside system would: refused with 400 and parked. */
    private void publishInvalidEvent() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/api/events"))
                .header("content-type", "application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", "demo-invalid-1")
                .header("ce-source", "/q2c-hub/sandbox/demo")
                .header("ce-type", EventTypes.CUSTOMER_CHANGED)
                .header("ce-subject", "demo-broken-customer")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"demo-broken-customer\",\"status\":\"ACTIVE\"}"))
                .build();
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            LOG.infof("demo traffic: a customer without a name was answered %d %s", answer.statusCode(), answer.body());
        } catch (IOException | InterruptedException e) {
            LOG.warnf("demo traffic: invalid event not sent: %s", e.getMessage());
        }
    }
}
