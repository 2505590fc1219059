package io.q2chub.connector.netsuite;

import io.q2chub.canonical.Customer;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import java.time.Duration;
import java.util.Currency;
import java.util.Map;

/** Connector settings pointing at a simulator's sandbox account, and sample customers. */
final class SandboxAccount {

    static final NetSuiteSimulator.Settings ACCOUNT = NetSuiteSimulator.Settings.sandbox();
    /** The simulator's subsidiaries, plus ZZ01 mapped to an id the account does not have. */
    static final Map<String, String> SUBSIDIARIES = NetSuiteSettings.codes("US01=1,DE01=2,JP01=3,KW01=4,GB01=5,ZZ01=99");
    static final Map<String, String> CURRENCIES = NetSuiteSettings.codes("USD=1,GBP=2,CAD=3,EUR=4,JPY=5,KWD=6");

    private SandboxAccount() {
    }

    static NetSuiteSettings settings(NetSuiteSimulator simulator) {
        return settings(simulator, 5, Duration.ofSeconds(5), ACCOUNT.tokenSecret());
    }

    static NetSuiteSettings settings(NetSuiteSimulator simulator, int maxConcurrency, Duration timeout,
            String tokenSecret) {
        // short backoff, more attempts: a storm of ten against a limit of two must drain within the test's time
        return new NetSuiteSettings(simulator.baseUrl(), ACCOUNT.accountId(), ACCOUNT.consumerKey(),
                ACCOUNT.consumerSecret(), ACCOUNT.tokenId(), tokenSecret, SUBSIDIARIES, CURRENCIES, maxConcurrency,
                timeout, 10, Duration.ofMillis(20));
    }

    /** Sandbox credentials against any address (e.g. a closed port). */
    static NetSuiteSettings withBaseUrl(String baseUrl) {
        return new NetSuiteSettings(baseUrl, ACCOUNT.accountId(), ACCOUNT.consumerKey(), ACCOUNT.consumerSecret(),
                ACCOUNT.tokenId(), ACCOUNT.tokenSecret(), SUBSIDIARIES, CURRENCIES, 5, Duration.ofSeconds(5), 10,
                Duration.ofMillis(20));
    }

    static NetSuiteSettings withThrottleAttempts(NetSuiteSettings s, int attempts) {
        return new NetSuiteSettings(s.baseUrl(), s.accountId(), s.consumerKey(), s.consumerSecret(), s.tokenId(),
                s.tokenSecret(), s.subsidiaries(), s.currencies(), s.maxConcurrency(), s.requestTimeout(), attempts,
                s.throttleBackoff());
    }

    static Customer customer(String id, String name, String legalEntity, String currency) {
        return new Customer(id, name, null, legalEntity, legalEntity.substring(0, 2), Currency.getInstance(currency),
                null, "ap@" + id + ".example", Customer.Status.ACTIVE, Map.of());
    }
}
