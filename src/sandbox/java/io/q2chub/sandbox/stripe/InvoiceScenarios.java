package io.q2chub.sandbox.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulator's control surface for invoices, {@code /_sim/stripe/...}, for tests and the demo: one call builds
 * what takes a client several (tax rates, invoice items, invoice, finalize), through the same API code, so the
 * same events are emitted.
 *
 * <pre>
 * POST /_sim/stripe/invoices            {"customer":"cus_..","currency":"kwd","finalize":true,"daysUntilDue":30,
 *                                        "lines":[{"description":"..","quantity":2,"unitAmount":1250,"sku":"PLAT-1",
 *                                                  "periodStart":1767225600,"periodEnd":1769904000,
 *                                                  "tax":{"percentage":"8.25","jurisdiction":"US-CA","name":"Sales tax"}}]}
 * POST /_sim/stripe/invoices/{id}/finalize | pay | void
 * POST /_sim/stripe/credit_notes        {"invoice":"in_..","lines":[{"line":"il_..","quantity":1}],"reason":"..."}
 * POST /_sim/stripe/webhooks/endpoint   {"url":"http://..","secret":"whsec_.."}
 * GET  /_sim/stripe/webhooks            delivery attempts
 * GET  /_sim/stripe/invoices            every invoice, with its metadata
 * POST /_sim/stripe/payouts             {"currency":"usd"}: pays out the settled balance (payout.paid webhook)
 * </pre>
 */
final class InvoiceScenarios {

    static final String PATH = "/_sim/stripe/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StripeSimulator simulator;

    InvoiceScenarios(StripeSimulator simulator) {
        this.simulator = simulator;
    }

    Answer handle(String method, String path, byte[] body) throws IOException {
        String rest = path.substring(PATH.length());
        JsonNode request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        if ("GET".equals(method) && "webhooks".equals(rest)) {
            List<Map<String, Object>> attempts = new ArrayList<>();
            for (WebhookDelivery.Attempt attempt : simulator.webhooks().attempts()) {
                attempts.add(Map.of("eventId", attempt.eventId(), "type", attempt.type(), "attempt", attempt.attempt(),
                        "status", attempt.status(), "at", attempt.at().toString()));
            }
            return Answer.ok(Map.of("attempts", attempts, "events", List.copyOf(simulator.webhooks().events().keySet())));
        }
        if ("GET".equals(method) && "invoices".equals(rest)) {
            return Answer.ok(Map.of("invoices", simulator.invoices()));
        }
        if ("POST".equals(method) && "webhooks/endpoint".equals(rest)) {
            simulator.webhooks().endpoint(text(request, "url"), text(request, "secret"));
            return Answer.ok(Map.of("url", String.valueOf(text(request, "url"))));
        }
        if ("POST".equals(method) && "invoices".equals(rest)) {
            return createInvoice(request);
        }
        if ("POST".equals(method) && "payouts".equals(rest)) {
            // {"currency":"usd"}: pays out the settled balance in that currency (payout.paid to the endpoint)
            Map<String, Object> payout = simulator.payOut(text(request, "currency") == null ? "usd"
                    : text(request, "currency"));
            return payout != null ? Answer.ok(payout) : Answer.rejected(StripeError.invalidParam("balance_insufficient",
                    "currency", "There is no settled balance to pay out in this currency."));
        }
        if ("POST".equals(method) && "credit_notes".equals(rest)) {
            return createCreditNote(request);
        }
        String[] parts = rest.split("/");
        if ("POST".equals(method) && parts.length == 3 && "invoices".equals(parts[0])) {
            return simulator.invoiceCall("invoices." + parts[2], parts[1], FormParams.parse(""));
        }
        return Answer.rejected(new StripeError(404, "invalid_request_error", null, "Unknown simulator path " + path, null));
    }

    /** A draft invoice with the given lines and exclusive tax rates, finalized unless "finalize": false. */
    Answer createInvoice(JsonNode request) {
        String customer = text(request, "customer");
        String currency = text(request, "currency");
        Form invoice = new Form().add("customer", customer).add("currency", currency)
                .add("collection_method", "send_invoice");
        if (request.has("daysUntilDue")) {
            invoice.add("days_until_due", request.get("daysUntilDue").asText());
        }
        if (request.has("subscription")) {
            invoice.add("subscription", request.get("subscription").asText());
        }
        Answer created = simulator.invoiceCall("invoices.create", null, invoice.params());
        if (created.status() != 200) {
            return created;
        }
        String invoiceId = (String) ((Map<?, ?>) created.json()).get("id");
        for (JsonNode line : request.path("lines")) {
            Form item = new Form().add("customer", customer).add("currency", currency).add("invoice", invoiceId)
                    .add("description", text(line, "description"))
                    .add("quantity", line.path("quantity").asText("1"))
                    .add("unit_amount_decimal", line.path("unitAmount").asText());
            if (line.has("sku")) {
                item.add("metadata[sku]", line.get("sku").asText());
            }
            if (line.has("periodStart")) {
                item.add("period[start]", line.get("periodStart").asText()).add("period[end]", line.get("periodEnd").asText());
            }
            int index = 0;
            for (JsonNode tax : line.path("taxes").isArray() ? line.path("taxes") : JSON.createArrayNode().add(line.path("tax"))) {
                if (tax.isMissingNode() || tax.isNull()) {
                    continue;
                }
                Answer rate = simulator.invoiceCall("tax_rates.create", null, new Form()
                        .add("display_name", tax.path("name").asText("Tax"))
                        .add("percentage", tax.path("percentage").asText())
                        .add("jurisdiction", text(tax, "jurisdiction"))
                        .add("inclusive", "false").params());
                item.add("tax_rates[" + index++ + "]", (String) ((Map<?, ?>) rate.json()).get("id"));
            }
            Answer added = simulator.invoiceCall("invoiceitems.create", null, item.params());
            if (added.status() != 200) {
                return added;
            }
        }
        if (request.path("finalize").asBoolean(true)) {
            return simulator.invoiceCall("invoices.finalize", invoiceId, FormParams.parse(""));
        }
        return simulator.invoiceCall("invoices.retrieve", invoiceId, FormParams.parse(""));
    }

    private Answer createCreditNote(JsonNode request) {
        Form form = new Form().add("invoice", text(request, "invoice"));
        if (request.has("reason")) {
            form.add("reason", request.get("reason").asText());
        }
        int index = 0;
        for (JsonNode line : request.path("lines")) {
            form.add("lines[" + index + "][type]", "invoice_line_item")
                    .add("lines[" + index + "][invoice_line_item]", text(line, "line"));
            if (line.has("quantity")) {
                form.add("lines[" + index + "][quantity]", line.get("quantity").asText());
            }
            index++;
        }
        return simulator.invoiceCall("credit_notes.create", null, form.params());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    /** Form parameters as a client would encode them. */
    private static final class Form {
        private final List<String> pairs = new ArrayList<>();

        Form add(String key, String value) {
            if (value != null) {
                pairs.add(URLEncoder.encode(key, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
            return this;
        }

        FormParams params() {
            return FormParams.parse(String.join("&", pairs));
        }
    }

    static Map<String, Object> asMap(Object json) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) json;
        return new LinkedHashMap<>(map);
    }
}
