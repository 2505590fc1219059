package io.q2chub.connector.netsuite;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code q2c.netsuite.*}. The connection keys are optional so the hub starts without NetSuite (not every
 * deployment has it); using the connector unconfigured fails then, naming the missing keys.
 */
@ConfigMapping(prefix = "q2c.netsuite")
public interface NetSuiteConfig {

    /** Q2C_NETSUITE_BASE_URL: https://{account}.suitetalk.api.netsuite.com/services/rest/record/v1 */
    Optional<String> baseUrl();

    /** Q2C_NETSUITE_ACCOUNT_ID: the TBA realm, e.g. 1234567_SB1 */
    Optional<String> accountId();

    Optional<String> consumerKey();

    /** Secret. */
    Optional<String> consumerSecret();

    Optional<String> tokenId();

    /** Secret. */
    Optional<String> tokenSecret();

    /** Legal entity code → subsidiary internal id: {@code US01=1,DE01=2}. */
    Optional<String> subsidiaries();

    /** ISO currency → currency internal id: {@code USD=1,EUR=4}. */
    Optional<String> currencies();

    /** Billing SKU → item internal id: {@code PLAT-SUB=501,API-CALLS=502} (seed of the netsuite/item mappings). */
    Optional<String> items();

    /**
     * Purpose → GL account internal id for deposits (seed of the netsuite/account mappings):
     * {@code deposit=1001,bank-fee=6010,refund-clearing=1099}; {@code deposit-JPY=1002} overrides per currency.
     */
    Optional<String> accounts();

    @WithDefault("5")
    int maxConcurrency();

    @WithDefault("PT30S")
    Duration requestTimeout();

    @WithDefault("5")
    int throttleAttempts();

    @WithDefault("PT0.5S")
    Duration throttleBackoff();
}
