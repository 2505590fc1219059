package io.q2chub.sandbox;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.ProductCreateParams;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.salesforce.SalesforceSimulator;
import io.q2chub.sandbox.salesforce.Settings;
import io.q2chub.sandbox.slack.SlackWebhookSimulator;
import io.q2chub.sandbox.stripe.StripeSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The vendor simulators of the embedded default, and the settings that point the hub's connectors at them. Tests
 * that start their own simulators use the same settings methods, so both wire the connectors the same way.
 */
public final class SandboxSimulators {

    public static final String STRIPE_KEY = "sk_test_q2chubSandboxKey0001";
    /** The embedded default's Stripe webhook signing secret: a demo value, published here. */
    public static final String STRIPE_WEBHOOK_SECRET = "whsec_q2chubSandboxDemoSecret0001";

    /**
     * The embedded default's key for PII in parked payloads (q2c.exceptions.pii-key). Fixed, so cases parked in one
     * run can be replayed in the next; a demo value, published here, never to be used with real data.
     */
    static final String DEMO_PII_KEY = "cTJjLWh1Yi1zYW5kYm94LWRlbW8tcGlpLWtleS0wMDE=";

    /** The SKU the demo sells: the posting rules (config/posting-rules.yaml) and q2c.netsuite.items know it. */
    static final String DEMO_SKU = "PLATFORM-ANNUAL";
    /** Its yearly price per currency, in minor units: 1,200.00 USD, ¥150,000, 375.125 KWD. */
    static final Map<String, Long> DEMO_PRICES = Map.of("USD", 120_000L, "JPY", 150_000L, "KWD", 375_125L);

    private SandboxSimulators() {
    }

    static Map<String, String> start(List<AutoCloseable> running) {
        NetSuiteSimulator.Settings account = NetSuiteSimulator.Settings.sandbox();
        NetSuiteSimulator netsuite = NetSuiteSimulator.start(account);
        running.add(netsuite);
        StripeSimulator stripe = StripeSimulator.start(STRIPE_KEY, StripeSimulator.TEST_MODE_OPS_PER_SECOND);
        running.add(stripe);
        Map<String, String> settings = new LinkedHashMap<>(netsuite(netsuite, account));
        settings.putAll(stripe(stripe, STRIPE_KEY));
        settings.put("q2c.stripe.prices", demoPrices(stripe));
        settings.putAll(stripeWebhooks(stripe, hubBaseUrl(), STRIPE_WEBHOOK_SECRET));
        SlackWebhookSimulator slack = SlackWebhookSimulator.start();
        running.add(slack);
        settings.putAll(slack(slack));
        settings.put("q2c.exceptions.pii-key", DEMO_PII_KEY);
        settings.putAll(demoReconciliation());
        try {
            SalesforceSimulator salesforce = SalesforceSimulator.start(Settings.defaults());
            running.add(salesforce);
            settings.putAll(salesforce(salesforce, Settings.defaults()));
            settings.putAll(salesforceSwitchedOn(salesforce, Settings.defaults()));
        } catch (IOException e) {
            throw new UncheckedIOException("Salesforce simulator did not start", e);
        }
        return settings;
    }

    /**
     * Connector settings for a running Salesforce simulator. Tests switch Salesforce on with the config profile
     * "salesforce"; the embedded default switches it on itself (salesforceSwitchedOn).
     */
    public static Map<String, String> salesforce(SalesforceSimulator simulator, Settings org) {
        return Map.of(
                "q2c.salesforce.login-url", simulator.loginUrl(),
                "q2c.salesforce.client-id", org.clientId(),
                "q2c.salesforce.client-secret", org.clientSecret(),
                "q2c.salesforce.pub-sub-host", simulator.pubSubHost(),
                "q2c.salesforce.pub-sub-port", String.valueOf(simulator.pubSubPort()),
                "q2c.sandbox.salesforce.plain-text-pub-sub", "true");
    }

    /** Connector settings for a running NetSuite simulator (its sandbox account's subsidiaries and currencies). */
    public static Map<String, String> netsuite(NetSuiteSimulator simulator, NetSuiteSimulator.Settings account) {
        return Map.of(
                "q2c.netsuite.base-url", simulator.baseUrl(),
                "q2c.netsuite.account-id", account.accountId(),
                "q2c.netsuite.consumer-key", account.consumerKey(),
                "q2c.netsuite.consumer-secret", account.consumerSecret(),
                "q2c.netsuite.token-id", account.tokenId(),
                "q2c.netsuite.token-secret", account.tokenSecret(),
                "q2c.netsuite.subsidiaries", "US01=1,DE01=2,JP01=3,KW01=4,GB01=5",
                "q2c.netsuite.currencies", "USD=1,GBP=2,CAD=3,EUR=4,JPY=5,KWD=6",
                // SUPPORT-PREM (504) exists in the account but is left unmapped: the mapping an operator adds.
                "q2c.netsuite.items", "PLAT-SUB=501,API-CALLS=502,PRO-SVC=503,PLATFORM-ANNUAL=501",
                // deposits of payouts: the operating bank account (JPY has its own), bank charges, refund clearing
                "q2c.netsuite.accounts", "deposit=1001,deposit-JPY=1002,bank-fee=6010,refund-clearing=1099");
    }

    /**
     * What the config profile "salesforce" does, for the embedded default: the CRM is on, its ingress route is
     * loaded and the Salesforce component is configured (see application.properties, "CRM: Salesforce").
     */
    static Map<String, String> salesforceSwitchedOn(SalesforceSimulator simulator, Settings org) {
        return Map.of(
                "q2c.crm.salesforce.enabled", "true",
                "camel.main.routes-exclude-pattern", "file:none-excluded",
                "camel.component.salesforce.login-url", simulator.loginUrl(),
                "camel.component.salesforce.client-id", org.clientId(),
                "camel.component.salesforce.client-secret", org.clientSecret(),
                "camel.component.salesforce.authentication-type", "CLIENT_CREDENTIALS",
                "camel.component.salesforce.api-version", "60.0",
                "camel.component.salesforce.pub-sub-host", simulator.pubSubHost(),
                "camel.component.salesforce.pub-sub-port", String.valueOf(simulator.pubSubPort()));
    }

    /**
     * Notifications to a running Slack webhook simulator: new cases and backlog alerts show up at its
     * GET /_sim/slack/messages.
     */
    public static Map<String, String> slack(SlackWebhookSimulator simulator) {
        return Map.of("q2c.notify.webhook-url", simulator.webhookUrl());
    }

    /**
     * Points the simulator's webhook endpoint at the hub's own /webhooks/stripe and gives the hub the signing
     * secret, so invoices finalized, voided or credited in the simulator arrive as Stripe would send them.
     */
    public static Map<String, String> stripeWebhooks(StripeSimulator simulator, String hubBaseUrl, String secret) {
        simulator.webhooks().endpoint(hubBaseUrl + "/webhooks/stripe", secret);
        return Map.of("q2c.stripe.webhook-secrets", secret);
    }

    /** The embedded default listens where Quarkus does: Q2C_HTTP_PORT / quarkus.http.port, else 8080. */
    static String hubBaseUrl() {
        String port = System.getProperty("quarkus.http.port", System.getenv().getOrDefault("Q2C_HTTP_PORT", "8080"));
        return "http://127.0.0.1:" + port;
    }

    /**
     * The demo's one product in the Stripe simulator, as a catalog team sets it up: {@value #DEMO_SKU} with a yearly
     * price in USD, JPY and KWD (metadata.sku, which invoice lines carry back). Returns the q2c.stripe.prices seed
     * (stripe/price/SKU:CURRENCY); the NetSuite item of the SKU is seeded by q2c.netsuite.items.
     */
    static String demoPrices(StripeSimulator simulator) {
        StripeClient client = StripeClient.builder().setApiKey(STRIPE_KEY).setApiBase(simulator.baseUrl()).build();
        try {
            String product = client.v1().products().create(ProductCreateParams.builder().setName("Platform, annual")
                    .putMetadata("sku", DEMO_SKU).build()).getId();
            StringBuilder seed = new StringBuilder();
            for (Map.Entry<String, Long> price : DEMO_PRICES.entrySet()) {
                String id = client.v1().prices().create(PriceCreateParams.builder().setProduct(product)
                        .setCurrency(price.getKey().toLowerCase(java.util.Locale.ROOT)).setUnitAmount(price.getValue())
                        .setNickname("Platform, annual").putMetadata("sku", DEMO_SKU)
                        .setRecurring(PriceCreateParams.Recurring.builder()
                                .setInterval(PriceCreateParams.Recurring.Interval.YEAR).build())
                        .build()).getId();
                seed.append(seed.isEmpty() ? "" : ",").append(DEMO_SKU).append(':').append(price.getKey()).append('=').append(id);
            }
            return seed.toString();
        } catch (StripeException e) {
            throw new IllegalStateException("the demo prices could not be created in the Stripe simulator: " + e.getMessage(), e);
        }
    }

    /** Connector settings for a running Stripe simulator. */
    public static Map<String, String> stripe(StripeSimulator simulator, String apiKey) {
        return Map.of("q2c.stripe.api-key", apiKey, "q2c.stripe.api-base", simulator.baseUrl());
    }

    /**
     * The demo reconciles with payments compared, so an invoice paid in billing and still open in the ERP is a
     * STATUS_MISMATCH (DemoReconciliation seeds one). Only when the operator left the setting alone: an explicit
     * Q2C_RECONCILIATION_COMPARE_PAYMENTS or -Dq2c.reconciliation.compare-payments wins, and the demo then seeds a
     * void instead when it is false.
     */
    static Map<String, String> demoReconciliation() {
        if (System.getenv("Q2C_RECONCILIATION_COMPARE_PAYMENTS") != null
                || System.getProperty("q2c.reconciliation.compare-payments") != null) {
            return Map.of();
        }
        return Map.of("q2c.reconciliation.compare-payments", "true");
    }
}
