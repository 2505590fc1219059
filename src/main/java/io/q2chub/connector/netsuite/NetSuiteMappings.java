package io.q2chub.connector.netsuite;

import io.q2chub.ops.mappings.MappingSeed;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * The value mappings NetSuite needs, seeded from {@code q2c.netsuite.subsidiaries} and {@code q2c.netsuite.currencies}:
 * internal ids differ per account, so they are data an operator maintains ({@code /api/mappings/netsuite/...}).
 */
@ApplicationScoped
public class NetSuiteMappings implements MappingSeed {

    static final String SUBSIDIARY = "subsidiary";
    static final String CURRENCY = "currency";
    /** Billing SKU → NetSuite item internal id (posting invoices). */
    static final String ITEM = "item";
    /** Deposit purpose (deposit, bank-fee, refund-clearing; deposit-USD per currency) → GL account internal id. */
    static final String ACCOUNT = "account";

    private final NetSuiteConfig config;

    NetSuiteMappings(NetSuiteConfig config) {
        this.config = config;
    }

    @Override
    public String system() {
        return RecordApiClient.SYSTEM;
    }

    @Override
    public Map<String, Map<String, String>> configured() {
        return Map.of(SUBSIDIARY, NetSuiteSettings.codes(config.subsidiaries().orElse("")),
                CURRENCY, NetSuiteSettings.codes(config.currencies().orElse("")),
                ITEM, NetSuiteSettings.codes(config.items().orElse("")),
                ACCOUNT, NetSuiteSettings.codes(config.accounts().orElse("")));
    }
}
