package io.q2chub.sandbox;

import io.q2chub.sandbox.salesforce.SalesforceSimulator;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * With Salesforce switched on in the sandbox (QUARKUS_PROFILE=prod,salesforce), sales people "work" in the
 * simulated org: an account is created every interval and every third one is renamed, so customer.changed events
 * flow through the Salesforce ingress route.
 */
@ApplicationScoped
class SalesforceDemoTraffic {

    private static final Logger LOG = Logger.getLogger(SalesforceDemoTraffic.class);
    private static final String[][] MARKETS = {{"US", "USD", "12-3456789"}, {"JP", "JPY", "T1234567890123"},
            {"KW", "KWD", "123456789012"}, {"DE", "EUR", "DE123456789"}};

    private final boolean enabled;
    private final int intervalSeconds;
    private final AtomicInteger accounts = new AtomicInteger();
    private ScheduledExecutorService timer;

    SalesforceDemoTraffic(@ConfigProperty(name = "q2c.crm.salesforce.enabled") boolean enabled,
            @ConfigProperty(name = "q2c.sandbox.demo-interval-seconds", defaultValue = "10") int intervalSeconds) {
        this.enabled = enabled;
        this.intervalSeconds = intervalSeconds;
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled || intervalSeconds <= 0 || !Sandbox.started() || LaunchMode.current() == LaunchMode.TEST) {
            return;
        }
        Sandbox.salesforce().ifPresent(salesforce -> {
            LOG.infof("sandbox: Salesforce simulator at %s; a demo account every %d s arrives on q2c.customer.v1 "
                    + "(accounts held: GET %s/_sim/accounts)", salesforce.loginUrl(), intervalSeconds, salesforce.loginUrl());
            timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "q2c-salesforce-demo"));
            timer.scheduleWithFixedDelay(() -> work(salesforce), 3, intervalSeconds, TimeUnit.SECONDS);
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void work(SalesforceSimulator salesforce) {
        try {
            int n = accounts.incrementAndGet();
            String[] market = MARKETS[(n - 1) % MARKETS.length];
            String id = salesforce.createAccount(Map.of("Name", "Demo Account " + n, "BillingCountry", market[0],
                    "CurrencyIsoCode", market[1], "Tax_Id__c", market[2], "Type", "Customer"));
            if (n % 3 == 0) {
                salesforce.updateAccount(id, Map.of("Name", "Demo Account " + n + " (renamed)"));
            }
        } catch (RuntimeException e) {
            LOG.warnf("sandbox: Salesforce demo traffic failed: %s", e.getMessage());
        }
    }
}
