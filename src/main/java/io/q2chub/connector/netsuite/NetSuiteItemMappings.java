package io.q2chub.connector.netsuite;

import io.q2chub.ops.mappings.MappingSeed;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The NetSuite item each product is sold as: kind {@value #ITEM}, SKU → item internal id. Seeded from
 * {@code q2c.netsuite.items} ({@code SKU-1=101,SKU-2=102}); operators add the rest through
 * {@code /api/mappings/netsuite/item}. Subscription activation checks it before billing starts, so invoice posting
 * never meets a product the books cannot carry.
 */
@ApplicationScoped
public class NetSuiteItemMappings implements MappingSeed {

    public static final String ITEM = "item";

    private final Optional<String> items;

    NetSuiteItemMappings(@ConfigProperty(name = "q2c.netsuite.items") Optional<String> items) {
        this.items = items;
    }

    @Override
    public String system() {
        return RecordApiClient.SYSTEM;
    }

    @Override
    public Map<String, Map<String, String>> configured() {
        return Map.of(ITEM, NetSuiteSettings.codes(items.orElse("")));
    }
}
