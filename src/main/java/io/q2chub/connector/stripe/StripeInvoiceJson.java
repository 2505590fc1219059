package io.q2chub.connector.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.q2chub.canonical.Invoice;
import io.q2chub.canonical.InvoiceLine;
import io.q2chub.canonical.Money;
import io.q2chub.canonical.TaxLine;
import io.q2chub.ops.failure.BusinessFailure;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stripe invoice and credit-note JSON (API version of stripe-java 33, "dahlia": line {@code pricing} and
 * {@code taxes}, {@code total_taxes}) to the canonical Invoice, with Stripe's ids left in place (the ingress
 * resolves canonical ones). Amounts are already integers in the currency's minor unit, as Stripe sends them
 * (JPY not multiplied, KWD in fils), so they are carried unchanged; nothing is converted through a double.
 *
 * <p>Stripe timestamps are Unix seconds; dates are taken in UTC. A line's {@code period.end} is the instant the
 * service ends (exclusive), the canonical {@code servicePeriodEnd} the last day (inclusive): the day of
 * {@code end - 1 s}; a one-off line (start = end) has none.
 */
final class StripeInvoiceJson {

    static final String SKU = "sku";
    static final String LINE_TAX_RATES = "lines.data.taxes.tax_rate_details.tax_rate";
    static final String LINE_PRICES = "lines.data.pricing.price_details.price";

    private StripeInvoiceJson() {
    }

    static Invoice invoice(JsonNode in) {
        String currency = text(in, "currency");
        List<InvoiceLine> lines = new ArrayList<>();
        for (JsonNode line : in.path("lines").path("data")) {
            lines.add(invoiceLine(line, currency));
        }
        if (in.path("lines").path("has_more").asBoolean(false)) {
            // Paging through /v1/invoices/{id}/lines is not built yet: posting part of an invoice would be worse.
            throw new BusinessFailure(StripeFailures.SYSTEM, "too_many_lines",
                    "invoice " + text(in, "id") + " has more lines than one page; paging is not supported yet");
        }
        long finalizedAt = in.path("status_transitions").path("finalized_at").asLong(0);
        return new Invoice(text(in, "id"), number(in), "void".equals(text(in, "status")) ? Invoice.Kind.VOID
                : Invoice.Kind.INVOICE, text(in, "customer"), subscriptionOf(in), null, currencyOf(currency),
                date(finalizedAt > 0 ? finalizedAt : in.path("created").asLong()),
                in.path("due_date").isNumber() ? date(in.path("due_date").asLong()) : null,
                lines, totals(in, currency), Map.of("billing", text(in, "id")));
    }

    /**
     * A credit note; {@code original} is the invoice it credits (fetched with it), whose lines give each credited
     * line its SKU and service period, which Stripe's credit-note lines do not repeat.
     */
    static Invoice creditNote(JsonNode in, JsonNode original) {
        String currency = text(in, "currency");
        Map<String, InvoiceLine> originalLines = new HashMap<>();
        for (InvoiceLine line : invoice(original).lines()) {
            originalLines.put(line.lineId(), line);
        }
        List<InvoiceLine> lines = new ArrayList<>();
        for (JsonNode line : in.path("lines").path("data")) {
            InvoiceLine credited = originalLines.get(text(line, "invoice_line_item"));
            lines.add(new InvoiceLine(text(line, "id"), null, credited == null ? null : credited.sku(),
                    text(line, "description"), quantity(line), unitAmount(line.path("unit_amount_decimal"), currency,
                    text(line, "id")), money(line.path("amount"), currency),
                    credited == null ? null : credited.servicePeriodStart(),
                    credited == null ? null : credited.servicePeriodEnd(), taxLines(line.path("taxes"), currency)));
        }
        return new Invoice(text(in, "id"), number(in), Invoice.Kind.CREDIT_NOTE, text(in, "customer"), null,
                text(in, "invoice"), currencyOf(currency), date(in.path("created").asLong()), null, lines,
                totals(in, currency), Map.of("billing", text(in, "id")));
    }

    private static InvoiceLine invoiceLine(JsonNode line, String currency) {
        JsonNode period = line.path("period");
        long start = period.path("start").asLong(0);
        long end = period.path("end").asLong(0);
        JsonNode pricing = line.path("pricing");
        return new InvoiceLine(text(line, "id"), null, skuOf(line), text(line, "description"), quantity(line),
                unitAmount(pricing.path("unit_amount_decimal"), currency, text(line, "id")),
                money(line.path("amount"), currency),
                start > 0 ? date(start) : null, end > start ? date(end - 1) : null,
                taxLines(line.path("taxes"), currency));
    }

    /** The agreed place: the price's {@code metadata.sku} (price expanded), else the line's own {@code metadata.sku}. */
    private static String skuOf(JsonNode line) {
        JsonNode price = line.path("pricing").path("price_details").path("price");
        String fromPrice = price.isObject() ? text(price.path("metadata"), SKU) : null;
        return fromPrice != null ? fromPrice : text(line.path("metadata"), SKU);
    }

    private static List<TaxLine> taxLines(JsonNode taxes, String currency) {
        List<TaxLine> lines = new ArrayList<>();
        for (JsonNode tax : taxes) {
            JsonNode rate = tax.path("tax_rate_details").path("tax_rate");
            if (!rate.isObject()) {
                throw new BusinessFailure(StripeFailures.SYSTEM, "tax_rate_not_expanded",
                        "tax of an invoice line came without its tax rate (expand " + LINE_TAX_RATES + ")");
            }
            lines.add(new TaxLine(text(rate, "tax_type"), jurisdictionOf(rate), basisPoints(rate),
                    money(tax.path("amount"), currency)));
        }
        return lines;
    }

    private static String jurisdictionOf(JsonNode rate) {
        String country = text(rate, "country");
        String state = text(rate, "state");
        if (country != null) {
            return state == null ? country : country + "-" + state;
        }
        String jurisdiction = text(rate, "jurisdiction");
        return jurisdiction != null ? jurisdiction : String.valueOf(text(rate, "display_name"));
    }

    private static int basisPoints(JsonNode rate) {
        BigDecimal percentage = rate.path("percentage").decimalValue();
        try {
            return percentage.movePointRight(2).intValueExact();
        } catch (ArithmeticException e) {
            throw new BusinessFailure(StripeFailures.SYSTEM, "tax_rate_precision",
                    "tax rate " + text(rate, "id") + " of " + percentage + " % is finer than a basis point");
        }
    }

    private static Invoice.Totals totals(JsonNode in, String currency) {
        long tax = 0;
        for (JsonNode t : in.path("total_taxes")) {
            tax = Math.addExact(tax, t.path("amount").asLong());
        }
        return new Invoice.Totals(money(in.path("subtotal"), currency), Money.ofMinor(tax, currency),
                money(in.path("total"), currency));
    }

    /** An invoice of a list page, for reconciliation: ids, status and total only (no lines). */
    static io.q2chub.connector.Billing.BillingInvoice listed(JsonNode in) {
        String currency = in.path("currency").asText();
        return new io.q2chub.connector.Billing.BillingInvoice(in.path("id").asText(), text(in, "number"),
                in.path("status").asText(), money(in.path("total"), currency), text(in, "customer"), subscriptionOf(in),
                java.time.Instant.ofEpochSecond(in.path("created").asLong()));
    }

    private static String subscriptionOf(JsonNode in) {
        return text(in.path("parent").path("subscription_details"), "subscription");
    }

    /** {@code quantity_decimal} where Stripe sends it (fractional quantities), else the integer {@code quantity}. */
    private static BigDecimal quantity(JsonNode line) {
        JsonNode decimal = line.path("quantity_decimal");
        if (decimal.isTextual() && !decimal.asText().isEmpty()) {
            return new BigDecimal(decimal.asText());
        }
        JsonNode quantity = line.path("quantity");
        return quantity.isNumber() ? quantity.decimalValue() : BigDecimal.ONE;
    }

    /**
     * Stripe allows unit prices in fractions of a minor unit (metered usage); a canonical Money cannot hold one,
     * and rounding it here would be the hub's own rounding, so such a line is a business failure to decide on.
     */
    private static Money unitAmount(JsonNode decimal, String currency, String lineId) {
        if (decimal.isMissingNode() || decimal.isNull()) {
            return Money.ofMinor(0, currency);
        }
        BigDecimal value = new BigDecimal(decimal.asText());
        try {
            return Money.ofMinor(value.longValueExact(), currency);
        } catch (ArithmeticException e) {
            throw new BusinessFailure(StripeFailures.SYSTEM, "fractional_unit_amount",
                    "line " + lineId + " has a unit amount of " + value + " minor units");
        }
    }

    private static Money money(JsonNode minorUnits, String currency) {
        if (!minorUnits.canConvertToExactIntegral()) {
            throw new BusinessFailure(StripeFailures.SYSTEM, "amount_missing", "amount is not an integer: " + minorUnits);
        }
        return Money.ofMinor(minorUnits.asLong(), currency);
    }

    private static java.util.Currency currencyOf(String code) {
        return Money.ofMinor(0, code).currency();
    }

    private static String number(JsonNode in) {
        String number = text(in, "number");
        // A draft has no number yet; only finalized documents are published, so this names a broken input.
        return number != null ? number : text(in, "id");
    }

    private static LocalDate date(long epochSeconds) {
        return LocalDate.ofInstant(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
