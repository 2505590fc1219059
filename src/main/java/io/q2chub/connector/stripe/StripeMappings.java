package io.q2chub.connector.stripe;

import io.q2chub.ops.mappings.MappingSeed;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The value mappings Stripe needs: kind {@value #PRICE}, {@code SKU:CURRENCY} → Stripe price id (one price per
 * product and currency, amounts in the currency's minor unit). Seeded from {@code q2c.stripe.prices}
 * ({@code SKU-1:JPY=price_123,SKU-1:KWD=price_456}); operators add the rest through {@code /api/mappings/stripe/price}.
 */
@ApplicationScoped
public class StripeMappings implements MappingSeed {

    public static final String PRICE = "price";

    private final Optional<String> prices;

    StripeMappings(@ConfigProperty(name = "q2c.stripe.prices") Optional<String> prices) {
        this.prices = prices;
    }

    @Override
    public String system() {
        return StripeFailures.SYSTEM;
    }

    @Override
    public Map<String, Map<String, String>> configured() {
        Map<String, String> codes = new LinkedHashMap<>();
        for (String pair : prices.orElse("").split(",")) {
            String[] parts = pair.split("=", 2);
            if (parts.length == 2 && !parts[0].isBlank() && !parts[1].isBlank()) {
                codes.put(parts[0].trim(), parts[1].trim());
            } else if (!pair.isBlank()) {
                throw new IllegalArgumentException("q2c.stripe.prices: expected SKU:CURRENCY=price_id, got '" + pair.trim() + "'");
            }
        }
        return Map.of(PRICE, codes);
    }
}
