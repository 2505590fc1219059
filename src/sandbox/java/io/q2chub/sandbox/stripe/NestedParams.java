package io.q2chub.sandbox.stripe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stripe's nested form parameters beyond one level: {@code lines[0][invoice_line_item]=il_1},
 * {@code tax_rates[]=txr_1} or {@code tax_rates[0]=txr_1} (stripe-java sends indexed arrays),
 * {@code expand[0]=lines.data.taxes.tax_rate_details.tax_rate}.
 */
final class NestedParams {

    private NestedParams() {
    }

    /** Values of an array parameter, in index order ({@code name[]} in request order). */
    static List<String> array(FormParams params, String name) {
        TreeMap<Integer, String> indexed = new TreeMap<>();
        List<String> plain = new ArrayList<>();
        for (Map.Entry<String, String> pair : params.pairs()) {
            String key = pair.getKey();
            if (key.equals(name + "[]")) {
                plain.add(pair.getValue());
            } else if (key.startsWith(name + "[") && key.endsWith("]") && key.indexOf('[', name.length() + 1) < 0) {
                try {
                    indexed.put(Integer.parseInt(key.substring(name.length() + 1, key.length() - 1)), pair.getValue());
                } catch (NumberFormatException ignored) {
                    // a hash member, not an array element
                }
            }
        }
        List<String> values = new ArrayList<>(indexed.values());
        values.addAll(plain);
        return values;
    }

    /** Members of an array of hashes: {@code lines[0][a]=1&lines[0][b]=2&lines[1][a]=3} → [{a=1,b=2},{a=3}]. */
    static List<Map<String, String>> hashes(FormParams params, String name) {
        TreeMap<Integer, Map<String, String>> items = new TreeMap<>();
        String prefix = name + "[";
        for (Map.Entry<String, String> pair : params.pairs()) {
            String key = pair.getKey();
            if (!key.startsWith(prefix)) {
                continue;
            }
            int close = key.indexOf(']', prefix.length());
            if (close < 0 || close + 1 >= key.length() || key.charAt(close + 1) != '[') {
                continue;
            }
            int index;
            try {
                index = Integer.parseInt(key.substring(prefix.length(), close));
            } catch (NumberFormatException e) {
                continue;
            }
            String member = key.substring(close + 2, key.length() - 1);
            items.computeIfAbsent(index, i -> new LinkedHashMap<>()).put(member, pair.getValue());
        }
        return new ArrayList<>(items.values());
    }
}
