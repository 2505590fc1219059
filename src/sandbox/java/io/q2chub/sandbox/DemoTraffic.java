package io.q2chub.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.q2chub.canonical.CanonicalJson;
import io.q2chub.canonical.CloudEventHeaders;
import io.q2chub.canonical.Contract;
import io.q2chub.canonical.Customer;
import io.q2chub.canonical.EventTypes;
import io.q2chub.canonical.Invoice;
import io.q2chub.canonical.InvoiceLine;
import io.q2chub.canonical.Money;
import io.q2chub.canonical.Payment;
import io.q2chub.canonical.TaxLine;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.ProducerTemplate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Demo traffic for the embedded default: every few seconds one quote-to-cash chain (customer, contract,
 * invoice, payment) published through the hub's own publishing route, in USD, JPY and KWD in turn, and once an
 * invalid event so the dead-letter path has something to show. Prints where to look.
 */
@ApplicationScoped
class DemoTraffic {

    private static final Logger LOG = Logger.getLogger(DemoTraffic.class);
    private static final String[][] MARKETS = {{"USD", "US", "US01", "1200.00", "12-3456789"},
            {"JPY", "JP", "JP01", "150000", "T1234567890123"}, {"KWD", "KW", "KW01", "375.125", "123456789012"}};

    private final ProducerTemplate producer;
    private final int intervalSeconds;
    private final int httpPort;
    private final int managementPort;
    private final ObjectMapper json = CanonicalJson.mapper();
    private final AtomicInteger chains = new AtomicInteger();
    private ScheduledExecutorService timer;

    DemoTraffic(ProducerTemplate producer,
            @ConfigProperty(name = "q2c.sandbox.demo-interval-seconds", defaultValue = "10") int intervalSeconds,
            @ConfigProperty(name = "quarkus.http.port") int httpPort,
            @ConfigProperty(name = "quarkus.management.port") int managementPort) {
        this.producer = producer;
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
        if (intervalSeconds > 0) {
            timer.scheduleWithFixedDelay(this::publishChain, 1, intervalSeconds, TimeUnit.SECONDS);
        }
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
                  Trace a transaction  http://localhost:%1$d/api/ledger/demo-cust-1   (any id of the chain works)
                  Publish an event     POST http://localhost:%1$d/api/events   (CloudEvents binary mode: ce-* headers, JSON body)
                  Operations console   http://localhost:%1$d/console/   (sign in as viewer or operator, see above)
                  Exception cases      http://localhost:%1$d/api/exception-cases   (HTTP Basic viewer / operator, see above)
                  OpenAPI              http://localhost:%2$d/q/openapi
                  Readiness            http://localhost:%2$d/q/health/ready
                  Prometheus metrics   http://localhost:%2$d/q/metrics
                  Kafka (KRaft)        %3$s   topics q2c.<entity>.v1, dead letters q2c.deadletter.v1
                  PostgreSQL           %4$s   (user %5$s)
                  NetSuite simulator   %7$s/_sim/customers   (what the ERP holds)
                  Stripe simulator     %8$s/_sim/customers   (what billing holds)
                  Slack webhook sim    %9$s/_sim/slack/messages   (exception notifications)
                  Demo traffic         one quote-to-cash chain every %6$d s; stop with Ctrl+C
                ===========================================================""",
                httpPort, managementPort, s.get("q2c.kafka.bootstrap-servers"), s.get("q2c.db.url"),
                s.get("q2c.db.username"), intervalSeconds, root(s.get("q2c.netsuite.base-url")),
                s.get("q2c.stripe.api-base"), root(s.get("q2c.notify.webhook-url")));
    }

    private static String root(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    private void publishChain() {
        int n = chains.incrementAndGet();
        String[] market = MARKETS[(n - 1) % MARKETS.length];
        Currency currency = Currency.getInstance(market[0]);
        Money price = Money.parse(market[3], market[0]);
        String customerId = "demo-cust-" + n;
        String contractId = "demo-contract-" + n;
        String invoiceId = "demo-inv-" + n;
        String correlation = "demo-q2c-" + n;
        LocalDate today = LocalDate.now();
        try {
            publish(EventTypes.CUSTOMER_CHANGED, correlation, new Customer(customerId, "Demo Customer " + n, null,
                    market[2], market[1], currency, market[4], "billing@example.com", Customer.Status.ACTIVE,
                    // No CRM id: these chains are published straight to the bus, not created in the CRM simulator.
                    Map.of()));
            publish(EventTypes.CONTRACT_BOOKED, correlation, new Contract(contractId, customerId, "006DEMO" + n,
                    "801DEMO" + n, currency, today, today.plusYears(1),
                    List.of(new Contract.Line("prod-platform", BigDecimal.ONE, price))));
            Money tax = Money.ofMinor(price.minorUnits() / 10, market[0]);
            Money total = price.plus(tax);
            publish(EventTypes.INVOICE_ISSUED, correlation, new Invoice(invoiceId, "INV-" + n, Invoice.Kind.INVOICE,
                    customerId, "demo-sub-" + n, null, currency, today, today.plusDays(30),
                    List.of(new InvoiceLine("line-1", "prod-platform", "PLATFORM-ANNUAL", "Platform, annual",
                            BigDecimal.ONE, price, price, today, today.plusYears(1).minusDays(1),
                            List.of(new TaxLine("VAT10", market[1], 1000, tax)))),
                    new Invoice.Totals(price, tax, total), Map.of("billing", "in_demo" + n)));
            publish(EventTypes.PAYMENT_RECORDED, correlation, new Payment("demo-pay-" + n, Payment.Kind.PAYMENT,
                    customerId, invoiceId, total, null, Instant.now(), "card", null));
        } catch (RuntimeException | JsonProcessingException e) {
            LOG.warnf("demo traffic: chain %d not published: %s", n, e.getMessage());
        }
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

    private void publish(String type, String correlation, Object data) throws JsonProcessingException {
        // The demo plays the CRM for its customers (the system of record of their names).
        producer.sendBodyAndHeaders("direct:publish-canonical-event", json.writeValueAsBytes(data),
                Map.of(CloudEventHeaders.TYPE, type, CloudEventHeaders.CORRELATION_ID, correlation,
                        CloudEventHeaders.SOURCE, "/q2c-hub/sandbox/demo", "q2c-source-role", "crm"));
    }
}
