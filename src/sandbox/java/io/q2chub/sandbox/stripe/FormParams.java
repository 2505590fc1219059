package io.q2chub.sandbox.stripe;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parameters of one request as Stripe reads them: application/x-www-form-urlencoded pairs (body of a POST,
 * query string of a GET) whose keys nest with brackets, {@code metadata[key]=value}, {@code expand[]=x} or
 * {@code expand[0]=x} (stripe-java sends indexed arrays).
 */
final class FormParams {

    private final List<Map.Entry<String, String>> pairs;

    private FormParams(List<Map.Entry<String, String>> pairs) {
        this.pairs = pairs;
    }

    static FormParams parse(String encoded) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        if (encoded != null && !encoded.isEmpty()) {
            for (String pair : encoded.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                pairs.add(Map.entry(key, value));
            }
        }
        return new FormParams(pairs);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** The last value of a plain key, or null. */
    String get(String key) {
        String value = null;
        for (Map.Entry<String, String> pair : pairs) {
            if (pair.getKey().equals(key)) {
                value = pair.getValue();
            }
        }
        return value;
    }

    boolean has(String key) {
        return get(key) != null;
    }

    /** The members of a hash parameter: {@code metadata[a]=1&metadata[b]=2} gives {a=1, b=2}, in request order. */
    Map<String, String> hash(String name) {
        Map<String, String> members = new LinkedHashMap<>();
        String prefix = name + "[";
        for (Map.Entry<String, String> pair : pairs) {
            String key = pair.getKey();
            if (key.startsWith(prefix) && key.endsWith("]") && key.indexOf('[', prefix.length()) < 0) {
                members.put(key.substring(prefix.length(), key.length() - 1), pair.getValue());
            }
        }
        return members;
    }

    /** Top-level parameter names: {@code metadata[a]} and {@code expand[]} count as {@code metadata}, {@code expand}. */
    List<String> topLevelNames() {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String> pair : pairs) {
            String key = pair.getKey();
            int bracket = key.indexOf('[');
            String name = bracket < 0 ? key : key.substring(0, bracket);
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * What Stripe compares when an idempotency key comes again: the parameters, not their byte order (a client
     * may encode a map in another order on a retry). Sorted by key, values in their original order per key.
     */
    String fingerprint() {
        Map<String, List<String>> sorted = new TreeMap<>();
        for (Map.Entry<String, String> pair : pairs) {
            sorted.computeIfAbsent(pair.getKey(), k -> new ArrayList<>()).add(pair.getValue());
        }
        return sorted.toString();
    }

    List<Map.Entry<String, String>> pairs() {
        return Collections.unmodifiableList(pairs);
    }
}
