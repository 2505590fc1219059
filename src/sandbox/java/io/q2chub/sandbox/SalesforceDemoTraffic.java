package io.q2chub.sandbox;

import io.q2chub.sandbox.salesforce.SalesforceSimulator;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sales people "work" in the simulated org of the embedded default: an account is created every interval and every
 * third one is renamed, so customer.changed events flow through the Salesforce ingress route. Once the hub has
 * onboarded an account (its Sync_Status__c says Synced), the account gets an order of the demo SKU in its currency
 * (USD, JPY, KWD in turn), which is activated: the whole chain runs from there (subscription in Stripe, its first
 * invoice by webhook, the NetSuite invoice, the status back on the order). EUR accounts get no order: billing has
 * no EUR price.
 */
@ApplicationScoped
class SalesforceDemoTraffic {

    private static final Logger LOG = Logger.getLogger(SalesforceDemoTraffic.class);
    private static final String[][] MARKETS = {{"US", "USD", "12-3456789"}, {"JP", "JPY", "T1234567890123"},
            {"KW", "KWD", "123456789012"}, {"DE", "EUR", "DE123456789"}};

    private final boolean enabled;
    private final int intervalSeconds;
    private static final String PRICEBOOK = "01s000000000001AAA";
    private final AtomicInteger accounts = new AtomicInteger();
    /** Accounts waiting to be onboarded before their order: account id → currency. */
    private final Map<String, String> awaitingOnboarding = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;
    /** While the demo reconciles (DemoFinance), no new order is activated: the window must hold still. */
    private boolean ordersPaused;

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
            LOG.infof("sandbox: Salesforce simulator at %s; a demo account every %d s arrives on q2c.customer.v1, and once"
                    + " onboarded an activated order of %s (accounts and orders held: GET %s/_sim/accounts, %s/_sim/orders)",
                    salesforce.loginUrl(), intervalSeconds, SandboxSimulators.DEMO_SKU, salesforce.loginUrl(), salesforce.loginUrl());
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
            if (SandboxSimulators.DEMO_PRICES.containsKey(market[1])) {
                awaitingOnboarding.put(id, market[1]);
            }
            orderForOnboardedAccounts(salesforce);
        } catch (RuntimeException e) {
            LOG.warnf("sandbox: Salesforce demo traffic failed: %s", e.getMessage());
        }
    }

    private synchronized void orderForOnboardedAccounts(SalesforceSimulator salesforce) {
        if (ordersPaused) {
            return;
        }
        for (Map.Entry<String, String> waiting : List.copyOf(awaitingOnboarding.entrySet())) {
            boolean onboarded = salesforce.account(waiting.getKey())
                    .map(a -> "Synced".equals(a.get("Sync_Status__c"))).orElse(false);
            if (onboarded) {
                awaitingOnboarding.remove(waiting.getKey());
                String order = activatedOrder(salesforce, waiting.getKey(), waiting.getValue());
                LOG.infof("sandbox: demo order %s activated (%s); follow it: /api/ledger/ctr-sf-%s", order,
                        waiting.getValue(), order);
            }
        }
    }

    /**
     * Stops activating orders; returns once an order being activated right now is done (same monitor), so nothing
     * is booked behind the caller's back. Accounts keep coming and get their orders after {@link #resumeOrders()}.
     */
    synchronized void pauseOrders() {
        ordersPaused = true;
    }

    synchronized void resumeOrders() {
        ordersPaused = false;
    }

    /** A draft order with one item of the demo SKU at its list price, as a sales rep builds it, then activated. */
    static String activatedOrder(SalesforceSimulator salesforce, String accountId, String currency) {
        return activatedOrder(salesforce, accountId, currency, SandboxSimulators.DEMO_PRICES.get(currency));
    }

    /** The same at a given price in minor units, also in a currency billing has no price for. */
    static String activatedOrder(SalesforceSimulator salesforce, String accountId, String currency, long unitPriceMinor) {
        BigDecimal unitPrice = BigDecimal.valueOf(unitPriceMinor, Currency.getInstance(currency).getDefaultFractionDigits());
        LocalDate start = LocalDate.now(java.time.ZoneOffset.UTC); // the reconciliation dates bookings in UTC
        String order = salesforce.createRecord("Order", Map.of("AccountId", accountId, "EffectiveDate", start.toString(),
                "EndDate", start.plusYears(1).minusDays(1).toString(), "Status", "Draft", "CurrencyIsoCode", currency,
                "Pricebook2Id", PRICEBOOK));
        String product = salesforce.createRecord("Product2", Map.of("Name", "Platform, annual",
                "ProductCode", SandboxSimulators.DEMO_SKU, "IsActive", true));
        String entry = salesforce.createRecord("PricebookEntry", Map.of("Pricebook2Id", PRICEBOOK, "Product2Id", product,
                "UnitPrice", unitPrice, "CurrencyIsoCode", currency, "IsActive", true));
        salesforce.createRecord("OrderItem", Map.of("OrderId", order, "Product2Id", product, "PricebookEntryId", entry,
                "Quantity", BigDecimal.ONE, "UnitPrice", unitPrice));
        salesforce.activateOrder(order);
        return order;
    }
}
