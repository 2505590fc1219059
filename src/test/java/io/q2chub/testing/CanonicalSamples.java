package io.q2chub.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Canonical events as a producer outside the hub would put them on the bus. */
public final class CanonicalSamples {

    private CanonicalSamples() {
    }

    public static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    public static byte[] customer(String customerId, String name) {
        return ("""
                {"id":"%s","name":"%s","legalEntity":"US01","billingCountry":"US","currency":"USD",
                 "status":"ACTIVE","externalIds":{"crm":"001000000000001AAA"}}""")
                .formatted(customerId, name).getBytes(StandardCharsets.UTF_8);
    }

    /** CloudEvents binary-mode headers of a customer.changed event. */
    public static Map<String, String> customerChangedHeaders(String eventId, String customerId) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ce_specversion", "1.0");
        h.put("ce_id", eventId);
        h.put("ce_source", "/test/crm");
        h.put("ce_type", "q2c.customer.changed.v1");
        h.put("ce_time", Instant.now().toString());
        h.put("ce_subject", customerId);
        h.put("ce_correlationid", "txn-" + customerId);
        h.put("content-type", "application/json");
        return h;
    }
}
