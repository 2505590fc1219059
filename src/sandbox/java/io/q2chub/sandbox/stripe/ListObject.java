package io.q2chub.sandbox.stripe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stripe's list object ({@code {"object":"list","data":[...],"has_more":..,"url":..}}), as every list answer and nested list has it. */
final class ListObject {

    private ListObject() {
    }

    /** Mutable, so a nested list can add Stripe's {@code total_count} where the API sends one. */
    static Map<String, Object> of(String url, List<?> data, boolean hasMore) {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("object", "list");
        list.put("data", data);
        list.put("has_more", hasMore);
        list.put("url", url);
        return list;
    }
}
