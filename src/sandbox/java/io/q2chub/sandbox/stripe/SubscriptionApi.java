package io.q2chub.sandbox.stripe;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /v1/subscriptions}: create (customer, {@code items[n][price]}, {@code items[n][quantity]}, metadata) and
 * retrieve. Like Stripe, every item's price must exist and be recurring, all in one currency, and the customer must
 * exist; the subscription starts now and its first period runs one price interval (on the items, as in API versions
 * from 2025-03-31 on). Creation calls the {@link SubscriptionCreated} listeners, where the first invoice is made.
 */
final class SubscriptionApi implements ResourceApi {

    private static final String SUBSCRIPTIONS = "/v1/subscriptions";
    private static final Pattern ITEM = Pattern.compile("items\\[(\\d+)]\\[(\\w+)]");

    private final CatalogApi catalog;
    private final Predicate<String> customerExists;
    private final Map<String, Map<String, Object>> subscriptions = new LinkedHashMap<>();
    private final List<SubscriptionCreated> listeners = new CopyOnWriteArrayList<>();

    SubscriptionApi(CatalogApi catalog, Predicate<String> customerExists) {
        this.catalog = catalog;
        this.customerExists = customerExists;
    }

    void onCreated(SubscriptionCreated listener) {
        listeners.add(listener);
    }

    @Override
    public Operation operation(String method, String path) {
        if (SUBSCRIPTIONS.equals(path)) {
            return "POST".equals(method) ? new Operation("subscriptions.create", null)
                    : "GET".equals(method) ? new Operation("subscriptions.list", null) : null;
        }
        if (path.startsWith(SUBSCRIPTIONS + "/") && path.indexOf('/', SUBSCRIPTIONS.length() + 1) < 0 && "GET".equals(method)) {
            return new Operation("subscriptions.retrieve", path.substring(SUBSCRIPTIONS.length() + 1));
        }
        return null;
    }

    @Override
    public Answer call(Operation operation, FormParams params) {
        return switch (operation.name()) {
            case "subscriptions.create" -> create(params);
            case "subscriptions.retrieve" -> retrieve(operation.id());
            default -> list(params.get("customer"));
        };
    }

    synchronized List<Map<String, Object>> all() {
        return subscriptions.values().stream().<Map<String, Object>>map(LinkedHashMap::new).toList();
    }

    synchronized void reset() {
        subscriptions.clear();
    }

    private Answer create(FormParams params) {
        String customer = params.get("customer");
        if (customer == null) {
            return Answer.rejected(StripeError.invalidParam("parameter_missing", "customer", "Missing required param: customer."));
        }
        if (!customerExists.test(customer)) {
            return Answer.error(StripeError.invalidParam("resource_missing", "customer", "No such customer: '" + customer + "'"));
        }
        Map<Integer, Map<String, String>> requested = items(params);
        if (requested.isEmpty()) {
            return Answer.rejected(StripeError.invalidParam("parameter_missing", "items", "Missing required param: items."));
        }
        long start = Instant.now().getEpochSecond();
        List<Map<String, Object>> items = new ArrayList<>();
        String currency = null;
        for (Map.Entry<Integer, Map<String, String>> entry : requested.entrySet()) {
            String param = "items[" + entry.getKey() + "]";
            String priceId = entry.getValue().get("price");
            Optional<Map<String, Object>> price = catalog.price(priceId == null ? "" : priceId);
            if (price.isEmpty()) {
                return Answer.error(StripeError.invalidParam("resource_missing", param + "[price]", "No such price: '" + priceId + "'"));
            }
            if (price.get().get("recurring") == null) {
                return Answer.error(StripeError.invalidParam(null, param + "[price]",
                        "The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`."));
            }
            if (currency != null && !currency.equals(price.get().get("currency"))) {
                return Answer.error(StripeError.invalidParam(null, param + "[price]",
                        "All prices on a subscription must have the same `currency`."));
            }
            currency = (String) price.get().get("currency");
            Long quantity = entry.getValue().containsKey("quantity") ? CatalogApi.wholeNumber(entry.getValue().get("quantity")) : Long.valueOf(1);
            if (quantity == null || quantity < 0) {
                return Answer.rejected(StripeError.invalidParam("parameter_invalid_integer", param + "[quantity]",
                        "Invalid integer: " + entry.getValue().get("quantity")));
            }
            items.add(item(price.get(), quantity, start));
        }
        Map<String, Object> subscription = new LinkedHashMap<>();
        subscription.put("id", StripeIds.next("sub"));
        subscription.put("object", "subscription");
        subscription.put("cancel_at_period_end", false);
        subscription.put("collection_method", "charge_automatically");
        subscription.put("created", start);
        subscription.put("currency", currency);
        subscription.put("customer", customer);
        subscription.put("items", ListObject.of("/v1/subscription_items", items, false));
        subscription.put("latest_invoice", null);
        subscription.put("livemode", false);
        subscription.put("metadata", params.hash("metadata"));
        subscription.put("start_date", start);
        subscription.put("status", "active");
        synchronized (this) {
            subscriptions.put((String) subscription.get("id"), subscription);
        }
        for (SubscriptionCreated listener : listeners) {
            String invoice = listener.created(new LinkedHashMap<>(subscription));
            if (invoice != null) {
                subscription.put("latest_invoice", invoice);
            }
        }
        return Answer.ok(subscription);
    }

    private synchronized Answer retrieve(String id) {
        Map<String, Object> subscription = subscriptions.get(id);
        return subscription == null ? Answer.error(StripeError.notFound("subscription", id)) : Answer.ok(subscription);
    }

    private synchronized Answer list(String customer) {
        List<Map<String, Object>> data = subscriptions.values().stream()
                .filter(s -> customer == null || customer.equals(s.get("customer"))).toList();
        return Answer.ok(ListObject.of(SUBSCRIPTIONS, data, false));
    }

    private static Map<String, Object> item(Map<String, Object> price, long quantity, long start) {
        @SuppressWarnings("unchecked")
        String interval = (String) ((Map<String, Object>) price.get("recurring")).get("interval");
        ZonedDateTime from = Instant.ofEpochSecond(start).atZone(ZoneOffset.UTC);
        ZonedDateTime to = switch (interval) {
            case "day" -> from.plusDays(1);
            case "week" -> from.plusWeeks(1);
            case "year" -> from.plusYears(1);
            default -> from.plusMonths(1);
        };
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", StripeIds.next("si"));
        item.put("object", "subscription_item");
        item.put("created", start);
        item.put("current_period_start", start);
        item.put("current_period_end", to.toEpochSecond());
        item.put("metadata", Map.of());
        item.put("price", price);
        item.put("quantity", quantity);
        return item;
    }

    /** {@code items[0][price]=..&items[0][quantity]=..} by index, in index order. */
    private static Map<Integer, Map<String, String>> items(FormParams params) {
        Map<Integer, Map<String, String>> items = new TreeMap<>();
        for (Map.Entry<String, String> pair : params.pairs()) {
            Matcher m = ITEM.matcher(pair.getKey());
            if (m.matches()) {
                items.computeIfAbsent(Integer.valueOf(m.group(1)), k -> new LinkedHashMap<>()).put(m.group(2), pair.getValue());
            }
        }
        return items;
    }
}
