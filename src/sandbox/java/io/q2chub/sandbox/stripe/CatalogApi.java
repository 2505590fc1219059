package io.q2chub.sandbox.stripe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Products and prices ({@code /v1/products}, {@code /v1/prices}): what a subscription item points at. A price has a
 * currency and a {@code unit_amount} in the currency's minor unit (JPY 0 decimals, KWD 3), and a recurring interval.
 */
final class CatalogApi implements ResourceApi {

    private static final String PRODUCTS = "/v1/products";
    private static final String PRICES = "/v1/prices";
    private static final Set<String> INTERVALS = Set.of("day", "week", "month", "year");

    private final Map<String, Map<String, Object>> products = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> prices = new LinkedHashMap<>();

    @Override
    public Operation operation(String method, String path) {
        for (String base : List.of(PRODUCTS, PRICES)) {
            String resource = base.substring("/v1/".length());
            if (base.equals(path)) {
                return "POST".equals(method) ? new Operation(resource + ".create", null)
                        : "GET".equals(method) ? new Operation(resource + ".list", null) : null;
            }
            if (path.startsWith(base + "/") && path.indexOf('/', base.length() + 1) < 0 && "GET".equals(method)) {
                return new Operation(resource + ".retrieve", path.substring(base.length() + 1));
            }
        }
        return null;
    }

    @Override
    public synchronized Answer call(Operation operation, FormParams params) {
        return switch (operation.name()) {
            case "products.create" -> createProduct(params);
            case "products.retrieve" -> found("product", operation.id(), products.get(operation.id()));
            case "products.list" -> list(products.values());
            case "prices.create" -> createPrice(params);
            case "prices.retrieve" -> found("price", operation.id(), prices.get(operation.id()));
            default -> list(prices.values());
        };
    }

    synchronized Optional<Map<String, Object>> price(String id) {
        return Optional.ofNullable(prices.get(id)).map(LinkedHashMap::new);
    }

    synchronized List<Map<String, Object>> prices() {
        return prices.values().stream().<Map<String, Object>>map(LinkedHashMap::new).toList();
    }

    synchronized void reset() {
        products.clear();
        prices.clear();
    }

    private Answer createProduct(FormParams params) {
        if (!params.has("name")) {
            return Answer.rejected(StripeError.invalidParam("parameter_missing", "name", "Missing required param: name."));
        }
        Map<String, Object> product = new LinkedHashMap<>();
        product.put("id", params.has("id") ? params.get("id") : StripeIds.next("prod"));
        product.put("object", "product");
        product.put("active", true);
        product.put("created", Instant.now().getEpochSecond());
        product.put("livemode", false);
        product.put("metadata", params.hash("metadata"));
        product.put("name", params.get("name"));
        products.put((String) product.get("id"), product);
        return Answer.ok(product);
    }

    private Answer createPrice(FormParams params) {
        String currency = params.get("currency");
        if (currency == null || !currency.matches("[a-z]{3}")) {
            return Answer.rejected(StripeError.invalidParam("parameter_missing", "currency", "Missing required param: currency."));
        }
        String product = params.get("product");
        if (product == null || !products.containsKey(product)) {
            return Answer.rejected(StripeError.invalidParam("resource_missing", "product", "No such product: '" + product + "'"));
        }
        Long unitAmount = wholeNumber(params.get("unit_amount"));
        if (unitAmount == null || unitAmount < 0) {
            return Answer.rejected(StripeError.invalidParam("parameter_invalid_integer", "unit_amount",
                    "Invalid integer: " + params.get("unit_amount")));
        }
        Map<String, String> recurring = params.hash("recurring");
        String interval = recurring.get("interval");
        if (interval != null && !INTERVALS.contains(interval)) {
            return Answer.rejected(StripeError.invalidParam("invalid_request_error", "recurring[interval]",
                    "Invalid recurring[interval]: must be one of day, week, month, or year"));
        }
        Map<String, Object> price = new LinkedHashMap<>();
        price.put("id", StripeIds.next("price"));
        price.put("object", "price");
        price.put("active", true);
        price.put("billing_scheme", "per_unit");
        price.put("created", Instant.now().getEpochSecond());
        price.put("currency", currency);
        price.put("livemode", false);
        price.put("metadata", params.hash("metadata"));
        price.put("product", product);
        price.put("recurring", interval == null ? null : Map.of("interval", interval, "interval_count", 1, "usage_type", "licensed"));
        price.put("type", interval == null ? "one_time" : "recurring");
        price.put("unit_amount", unitAmount);
        price.put("unit_amount_decimal", String.valueOf(unitAmount));
        prices.put((String) price.get("id"), price);
        return Answer.ok(price);
    }

    private static Answer found(String resource, String id, Map<String, Object> object) {
        return object == null ? Answer.error(StripeError.notFound(resource, id)) : Answer.ok(object);
    }

    private static Answer list(java.util.Collection<Map<String, Object>> objects) {
        return Answer.ok(ListObject.of("/v1/list", new ArrayList<>(objects), false));
    }

    static Long wholeNumber(String text) {
        try {
            return text == null ? null : Long.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
