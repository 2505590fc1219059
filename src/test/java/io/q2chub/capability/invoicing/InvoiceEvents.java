package io.q2chub.capability.invoicing;

import io.q2chub.testing.CanonicalSamples;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Canonical q2c.invoice.issued.v1 events as the billing ingress publishes them: the contract, built by hand. */
final class InvoiceEvents {

    static final String TOPIC = "q2c.invoice.v1";

    record Tax(String jurisdiction, int rateBasisPoints, long amountMinor) {
    }

    record Line(String lineId, String sku, String quantity, long unitMinor, long amountMinor, String periodStart,
            String periodEnd, List<Tax> taxes) {
    }

    private final String id;
    private final String kind;
    private final String customerId;
    private final String currency;
    private String originalInvoiceId;
    private final List<Line> lines = new ArrayList<>();

    private InvoiceEvents(String id, String kind, String customerId, String currency) {
        this.id = id;
        this.kind = kind;
        this.customerId = customerId;
        this.currency = currency;
    }

    static InvoiceEvents invoice(String customerId, String currency) {
        return new InvoiceEvents(CanonicalSamples.newId("in"), "INVOICE", customerId, currency);
    }

    static InvoiceEvents creditNote(String customerId, String currency, String invoiceId) {
        InvoiceEvents note = new InvoiceEvents(CanonicalSamples.newId("cn"), "CREDIT_NOTE", customerId, currency);
        note.originalInvoiceId = invoiceId;
        return note;
    }

    static InvoiceEvents voidOf(String customerId, String currency, String invoiceId) {
        InvoiceEvents voided = new InvoiceEvents(CanonicalSamples.newId("void"), "VOID", customerId, currency);
        voided.originalInvoiceId = invoiceId;
        return voided;
    }

    InvoiceEvents line(String sku, String quantity, long unitMinor, long amountMinor, String periodStart,
            String periodEnd, Tax... taxes) {
        lines.add(new Line("li-" + (lines.size() + 1), sku, quantity, unitMinor, amountMinor, periodStart, periodEnd,
                List.of(taxes)));
        return this;
    }

    String id() {
        return id;
    }

    byte[] json() {
        long subtotal = 0;
        long tax = 0;
        StringBuilder lineJson = new StringBuilder();
        for (Line l : lines) {
            subtotal += l.amountMinor();
            StringBuilder taxJson = new StringBuilder();
            for (Tax t : l.taxes()) {
                tax += t.amountMinor();
                taxJson.append(taxJson.isEmpty() ? "" : ",").append("""
                        {"jurisdiction":"%s","rateBasisPoints":%d,"amount":%s}""".formatted(t.jurisdiction(),
                        t.rateBasisPoints(), money(t.amountMinor())));
            }
            lineJson.append(lineJson.isEmpty() ? "" : ",").append("""
                    {"lineId":"%s","sku":"%s","description":"%s","quantity":%s,"unitAmount":%s,"amount":%s,
                     "servicePeriodStart":"%s","servicePeriodEnd":"%s","taxLines":[%s]}""".formatted(l.lineId(),
                    l.sku(), l.sku() + " charge", l.quantity(), money(l.unitMinor()), money(l.amountMinor()),
                    l.periodStart(), l.periodEnd(), taxJson));
        }
        return ("""
                {"id":"%s","number":"%s","kind":"%s","customerId":"%s","originalInvoiceId":%s,"currency":"%s",
                 "issueDate":"2026-01-31","dueDate":%s,"lines":[%s],
                 "totals":{"subtotal":%s,"taxTotal":%s,"total":%s},"externalIds":{"billing":"%s"}}""").formatted(
                id, "N-" + id.substring(id.length() - 8), kind, customerId,
                originalInvoiceId == null ? "null" : "\"" + originalInvoiceId + "\"", currency,
                kind.equals("INVOICE") ? "\"2026-02-28\"" : "null", lineJson, money(subtotal), money(tax),
                money(subtotal + tax), id).getBytes(StandardCharsets.UTF_8);
    }

    Map<String, String> headers(String eventId) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ce_specversion", "1.0");
        h.put("ce_id", eventId);
        h.put("ce_source", "/test/billing");
        h.put("ce_type", "q2c.invoice.issued.v1");
        h.put("ce_time", Instant.now().toString());
        h.put("ce_subject", id);
        h.put("ce_correlationid", "txn-" + id);
        h.put("content-type", "application/json");
        return h;
    }

    private String money(long minor) {
        return "{\"amountMinor\":" + minor + ",\"currency\":\"" + currency + "\"}";
    }
}
