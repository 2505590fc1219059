package io.q2chub.sandbox.stripe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/** The /v1/customers endpoints over an in-memory store, with Stripe's parameter rules and answers. */
final class CustomerApi {

    private static final Set<String> WRITABLE = Set.of("name", "email", "description", "phone", "address", "metadata",
            "expand");
    private static final Set<String> ADDRESS_FIELDS = Set.of("city", "country", "line1", "line2", "postal_code", "state");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    // Stripe's documented metadata limits.
    private static final int MAX_METADATA_KEYS = 50;
    private static final int MAX_METADATA_KEY_LENGTH = 40;
    private static final int MAX_METADATA_VALUE_LENGTH = 500;

    private final Map<String, SimulatedCustomer> customers = new LinkedHashMap<>();
    private final Map<String, AtomicInteger> createsByCanonicalId = new ConcurrentHashMap<>();
    // Stripe's search index trails writes ("under normal conditions searchable in under 1 minute"); zero by default.
    private volatile long searchLagNanos;

    void searchLag(java.time.Duration lag) {
        searchLagNanos = lag.toNanos();
    }

    synchronized Answer create(FormParams params) {
        StripeError invalid = validateWrite(params);
        if (invalid != null) {
            return Answer.rejected(invalid);
        }
        SimulatedCustomer customer = new SimulatedCustomer(StripeIds.next("cus"), Instant.now().getEpochSecond());
        customer.apply(params);
        customers.put(customer.id(), customer);
        String canonicalId = params.hash("metadata").get("canonical_id");
        if (canonicalId != null) {
            createsByCanonicalId.computeIfAbsent(canonicalId, k -> new AtomicInteger()).incrementAndGet();
        }
        return Answer.ok(customer.toJson());
    }

    synchronized Answer retrieve(String id) {
        SimulatedCustomer customer = customers.get(id);
        return customer == null ? Answer.error(StripeError.notFound("customer", id)) : Answer.ok(customer.toJson());
    }

    synchronized Answer update(String id, FormParams params) {
        StripeError invalid = validateWrite(params);
        if (invalid != null) {
            return Answer.rejected(invalid);
        }
        SimulatedCustomer customer = customers.get(id);
        if (customer == null) {
            return Answer.error(StripeError.notFound("customer", id));
        }
        customer.apply(params);
        return Answer.ok(customer.toJson());
    }

    synchronized Answer search(FormParams params) {
        StripeError unknown = onlyKnown(params, Set.of("query", "limit", "page", "expand"));
        if (unknown != null) {
            return Answer.rejected(unknown);
        }
        String query = params.get("query");
        if (query == null) {
            return Answer.rejected(StripeError.invalidParam("parameter_missing", "query", "Missing required param: query."));
        }
        SearchQuery parsed = SearchQuery.parse(query);
        if (parsed == null) {
            return Answer.rejected(StripeError.invalidParam(null, "query",
                    "We were unable to parse your search query. Try using the format `metadata['key']:'value'`."));
        }
        Integer limit = limit(params);
        if (limit == null) {
            return Answer.rejected(limitError());
        }
        List<Object> data = new ArrayList<>();
        int matched = 0;
        for (SimulatedCustomer customer : customers.values()) {
            if (searchable(customer) && parsed.matches(customer)) {
                matched++;
                if (data.size() < limit) {
                    data.add(customer.toJson());
                }
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("object", "search_result");
        result.put("data", data);
        result.put("has_more", matched > data.size());
        result.put("next_page", null);
        result.put("url", "/v1/customers/search");
        return Answer.ok(result);
    }

    private boolean searchable(SimulatedCustomer customer) {
        return System.nanoTime() - customer.createdNanos() >= searchLagNanos;
    }

    synchronized Answer list(FormParams params) {
        StripeError unknown = onlyKnown(params, Set.of("email", "limit", "expand", "starting_after", "ending_before",
                "created", "test_clock"));
        if (unknown != null) {
            return Answer.rejected(unknown);
        }
        Integer limit = limit(params);
        if (limit == null) {
            return Answer.rejected(limitError());
        }
        String email = params.get("email");
        List<SimulatedCustomer> newestFirst = new ArrayList<>(customers.values());
        java.util.Collections.reverse(newestFirst);
        List<Object> data = new ArrayList<>();
        int matched = 0;
        for (SimulatedCustomer customer : newestFirst) {
            // Stripe's list filter on email is case-sensitive.
            if (email == null || email.equals(customer.email())) {
                matched++;
                if (data.size() < limit) {
                    data.add(customer.toJson());
                }
            }
        }
        return Answer.ok(ListObject.of("/v1/customers", data, matched > data.size()));
    }

    synchronized List<StoredCustomer> all() {
        List<StoredCustomer> all = new ArrayList<>();
        for (SimulatedCustomer c : customers.values()) {
            Map<String, Object> json = c.toJson();
            @SuppressWarnings("unchecked")
            Map<String, Object> address = (Map<String, Object>) json.get("address");
            all.add(new StoredCustomer(c.id(), c.name(), c.email(),
                    address == null ? null : (String) address.get("country"), c.metadata()));
        }
        return all;
    }

    int createCalls(String canonicalId) {
        AtomicInteger count = createsByCanonicalId.get(canonicalId);
        return count == null ? 0 : count.get();
    }

    Map<String, Integer> createCallsByCanonicalId() {
        Map<String, Integer> copy = new LinkedHashMap<>();
        createsByCanonicalId.forEach((key, value) -> copy.put(key, value.get()));
        return copy;
    }

    synchronized void reset() {
        customers.clear();
        createsByCanonicalId.clear();
        searchLagNanos = 0;
    }

    private static StripeError validateWrite(FormParams params) {
        StripeError unknown = onlyKnown(params, WRITABLE);
        if (unknown != null) {
            return unknown;
        }
        for (String field : params.hash("address").keySet()) {
            if (!ADDRESS_FIELDS.contains(field)) {
                return StripeError.unknownParam("address[" + field + "]");
            }
        }
        String email = params.get("email");
        if (email != null && !email.isEmpty() && !EMAIL.matcher(email).matches()) {
            return StripeError.invalidParam("email_invalid", "email", "Invalid email address: " + email);
        }
        return validateMetadata(params.hash("metadata"));
    }

    private static StripeError validateMetadata(Map<String, String> metadata) {
        if (metadata.size() > MAX_METADATA_KEYS) {
            return StripeError.invalidParam(null, "metadata",
                    "Invalid metadata: metadata cannot have more than " + MAX_METADATA_KEYS + " keys");
        }
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            if (entry.getKey().isEmpty() || entry.getKey().length() > MAX_METADATA_KEY_LENGTH) {
                return StripeError.invalidParam(null, "metadata[" + entry.getKey() + "]",
                        "Invalid metadata: keys must be between 1 and " + MAX_METADATA_KEY_LENGTH + " characters");
            }
            if (entry.getValue().length() > MAX_METADATA_VALUE_LENGTH) {
                return StripeError.invalidParam(null, "metadata[" + entry.getKey() + "]",
                        "Invalid metadata: values must be at most " + MAX_METADATA_VALUE_LENGTH + " characters");
            }
        }
        return null;
    }

    private static StripeError onlyKnown(FormParams params, Set<String> known) {
        for (String name : params.topLevelNames()) {
            if (!known.contains(name)) {
                return StripeError.unknownParam(name);
            }
        }
        return null;
    }

    /** Stripe's page size: 1 to 100, 10 when absent; null when the value is out of range. */
    private static Integer limit(FormParams params) {
        String text = params.get("limit");
        if (text == null) {
            return 10;
        }
        try {
            int limit = Integer.parseInt(text);
            return limit >= 1 && limit <= 100 ? limit : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static StripeError limitError() {
        return StripeError.invalidParam(null, "limit",
                "This value must be greater than or equal to 1 and less than or equal to 100.");
    }
}
