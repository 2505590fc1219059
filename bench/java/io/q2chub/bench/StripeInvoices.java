package io.q2chub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.q2chub.sandbox.stripe.StripeSimulator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finalized invoices in the Stripe simulator, one per business event, and the {@code invoice.finalized} event the
 * simulator recorded for each: the payload Stripe would deliver. The simulator has no webhook endpoint during the
 * run, so nothing is delivered behind the load generator's back.
 */
final class StripeInvoices {

    /** One webhook to deliver: the Stripe invoice it is about and the event body. */
    record Delivery(String invoiceId, String payload) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StripeSimulator stripe;
    private final List<String> customers;
    private final Set<String> seenEvents = new HashSet<>();
    private int made;

    StripeInvoices(StripeSimulator stripe, List<String> customers) {
        this.stripe = stripe;
        this.customers = customers;
    }

    /** A USD invoice of one PLAT-SUB line with California sales tax (the posting rules map US-CA 7.25 %). */
    List<Delivery> make(int count) throws Exception {
        Set<String> invoices = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String customer = customers.get(made++ % customers.size());
            invoices.add((String) stripe.createInvoice("""
                    {"customer":"%s","currency":"usd","lines":[{"description":"Platform subscription","quantity":1,
                     "unitAmount":120000,"sku":"PLAT-SUB","tax":{"percentage":"7.25","jurisdiction":"US-CA"}}]}"""
                    .formatted(customer)).get("id"));
        }
        List<Delivery> deliveries = new ArrayList<>(count);
        for (Map.Entry<String, String> event : stripe.webhooks().events().entrySet()) {
            if (!seenEvents.add(event.getKey())) {
                continue;
            }
            JsonNode body = JSON.readTree(event.getValue());
            String object = body.at("/data/object/id").asText();
            if ("invoice.finalized".equals(body.path("type").asText()) && invoices.contains(object)) {
                deliveries.add(new Delivery(object, event.getValue()));
            }
        }
        if (deliveries.size() != count) {
            throw new IllegalStateException("expected " + count + " invoice.finalized events, found " + deliveries.size());
        }
        return deliveries;
    }
}
