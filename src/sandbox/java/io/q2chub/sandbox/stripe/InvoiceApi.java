package io.q2chub.sandbox.stripe;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Tax rates, invoice items, invoices and credit notes over an in-memory store, in the shape of the API version
 * stripe-java speaks (dahlia): line {@code pricing} and {@code taxes}, invoice {@code total_taxes}. Amounts are
 * integers in the currency's minor unit exactly as Stripe sends them: JPY 1000 is ¥1000, KWD 1000 is 1.000 KWD.
 * Every state change emits the event Stripe would (invoice.created / finalized / paid / voided,
 * credit_note.created) to the webhook delivery.
 */
final class InvoiceApi {

    static final String EXPAND_LINE_TAX_RATES = "lines.data.taxes.tax_rate_details.tax_rate";
    static final String EXPAND_LINE_PRICES = "lines.data.pricing.price_details.price";
    static final String EXPAND_TOTAL_TAX_RATES = "total_taxes.tax_rate_details.tax_rate";
    private static final Set<String> ZERO_DECIMAL = Set.of("bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga",
            "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf");

    private final Map<String, Map<String, Object>> taxRates = new LinkedHashMap<>();
    private final Map<String, Item> pendingItems = new LinkedHashMap<>();
    private final Map<String, Inv> invoices = new LinkedHashMap<>();
    private final Map<String, CreditNote> creditNotes = new LinkedHashMap<>();
    /** By payment intent id and by charge id. */
    private final Map<String, Payment> payments = new LinkedHashMap<>();
    private final AtomicInteger numbers = new AtomicInteger(1000);
    private final BiConsumer<String, Map<String, Object>> events;

    InvoiceApi(BiConsumer<String, Map<String, Object>> events) {
        this.events = events;
    }

    /** Which invoice operation a method and path name, or null when the path is not one of these endpoints. */
    static String[] route(String method, String path) {
        String[] p = path.split("/");
        // "", "v1", resource, id, action
        if (p.length < 3 || !"v1".equals(p[1])) {
            return null;
        }
        String resource = p[2];
        String id = p.length > 3 ? p[3] : null;
        String action = p.length > 4 ? p[4] : null;
        boolean post = "POST".equals(method);
        boolean get = "GET".equals(method);
        switch (resource) {
            case "tax_rates":
                return id == null ? (post ? op("tax_rates.create", null) : null)
                        : get && action == null ? op("tax_rates.retrieve", id) : null;
            case "invoiceitems":
                return id == null && post ? op("invoiceitems.create", null) : null;
            case "invoices":
                if (id == null) {
                    return post ? op("invoices.create", null) : get ? op("invoices.list", null) : null;
                }
                if (action == null) {
                    return get ? op("invoices.retrieve", id) : post ? op("invoices.update", id) : null;
                }
                return post && Set.of("finalize", "pay", "void").contains(action) ? op("invoices." + action, id) : null;
            case "refunds":
                if (id == null) {
                    return post ? op("refunds.create", null) : get ? op("refunds.list", null) : null;
                }
                return get && action == null ? op("refunds.retrieve", id) : null;
            case "invoice_payments":
                return !get || action != null ? null : id == null ? op("invoice_payments.list", null)
                        : op("invoice_payments.retrieve", id);
            case "charges":
                return id != null && action == null && get ? op("charges.retrieve", id) : null;
            case "payment_intents":
                return id != null && action == null && get ? op("payment_intents.retrieve", id) : null;
            case "credit_notes":
                return id == null ? (post ? op("credit_notes.create", null) : null)
                        : get && action == null ? op("credit_notes.retrieve", id) : null;
            default:
                return null;
        }
    }

    private static String[] op(String operation, String id) {
        return new String[] {operation, id};
    }

    synchronized Answer call(String operation, String id, FormParams params) {
        List<String> expand = NestedParams.array(params, "expand");
        return switch (operation) {
            case "tax_rates.create" -> createTaxRate(params);
            case "tax_rates.retrieve" -> taxRates.containsKey(id) ? Answer.ok(taxRates.get(id))
                    : Answer.error(StripeError.notFound("tax_rate", id));
            case "invoiceitems.create" -> createItem(params);
            case "invoices.create" -> createInvoice(params, expand);
            case "invoices.retrieve" -> withInvoice(id, inv -> Answer.ok(json(inv, expand)));
            case "invoices.list" -> listInvoices(params, expand);
            case "invoices.update" -> withInvoice(id, inv -> updateInvoice(inv, params, expand));
            case "invoices.finalize" -> withInvoice(id, inv -> finalizeInvoice(inv, expand));
            case "invoices.pay" -> withInvoice(id, inv -> pay(inv, params, expand));
            case "refunds.create" -> createRefund(params);
            case "refunds.list" -> listed("/v1/refunds", params, refunds().stream()
                    .map(r -> new Listed(r.id, r.created, () -> json(r))).toList());
            case "refunds.retrieve" -> refunds().stream().filter(r -> r.id.equals(id)).findFirst()
                    .map(r -> Answer.ok(json(r))).orElseGet(() -> Answer.error(StripeError.notFound("refund", id)));
            case "invoice_payments.list" -> listed("/v1/invoice_payments", params, invoicePayments().stream()
                    .filter(p -> !params.has("invoice") || p.invoice.id.equals(params.get("invoice")))
                    .filter(p -> !params.has("status") || "paid".equals(params.get("status")))
                    .map(p -> new Listed(p.id, p.paidAt, () -> json(p))).toList());
            case "invoice_payments.retrieve" -> invoicePayments().stream().filter(p -> p.id.equals(id)).findFirst()
                    .map(p -> Answer.ok(json(p)))
                    .orElseGet(() -> Answer.error(StripeError.notFound("invoice_payment", id)));
            case "charges.retrieve" -> payments.containsKey(id) && id.startsWith("ch_")
                    ? Answer.ok(chargeJson(payments.get(id))) : Answer.error(StripeError.notFound("charge", id));
            case "invoices.void" -> withInvoice(id, inv -> voidInvoice(inv, expand));
            case "payment_intents.retrieve" -> payments.containsKey(id) && id.startsWith("pi_")
                    ? Answer.ok(paymentIntentJson(payments.get(id)))
                    : Answer.error(StripeError.notFound("payment_intent", id));
            case "credit_notes.create" -> createCreditNote(params, expand);
            case "credit_notes.retrieve" -> creditNotes.containsKey(id) ? Answer.ok(json(creditNotes.get(id), expand))
                    : Answer.error(StripeError.notFound("credit_note", id));
            default -> throw new IllegalArgumentException(operation);
        };
    }

    // ---- tax rates -----------------------------------------------------------------------------------------------

    private Answer createTaxRate(FormParams params) {
        if (params.get("display_name") == null || params.get("percentage") == null || params.get("inclusive") == null) {
            String missing = params.get("display_name") == null ? "display_name"
                    : params.get("percentage") == null ? "percentage" : "inclusive";
            return Answer.rejected(StripeError.invalidParam("parameter_missing", missing,
                    "Missing required param: " + missing + "."));
        }
        if (Boolean.parseBoolean(params.get("inclusive"))) {
            // Inclusive rates change how amounts split; the hub's invoices use exclusive tax only.
            return Answer.rejected(StripeError.invalidParam(null, "inclusive",
                    "The simulator supports exclusive tax rates only."));
        }
        Map<String, Object> rate = new LinkedHashMap<>();
        String id = StripeIds.next("txr");
        rate.put("id", id);
        rate.put("object", "tax_rate");
        rate.put("active", true);
        rate.put("country", params.get("country"));
        rate.put("created", Instant.now().getEpochSecond());
        rate.put("description", params.get("description"));
        rate.put("display_name", params.get("display_name"));
        rate.put("effective_percentage", new BigDecimal(params.get("percentage")));
        rate.put("inclusive", false);
        rate.put("jurisdiction", params.get("jurisdiction"));
        rate.put("livemode", false);
        rate.put("metadata", params.hash("metadata"));
        rate.put("percentage", new BigDecimal(params.get("percentage")));
        rate.put("state", params.get("state"));
        rate.put("tax_type", params.get("tax_type"));
        taxRates.put(id, rate);
        return Answer.ok(rate);
    }

    // ---- invoice items -------------------------------------------------------------------------------------------

    private Answer createItem(FormParams params) {
        String customer = params.get("customer");
        if (customer == null) {
            return Answer.rejected(StripeError.invalidParam("parameter_missing", "customer",
                    "Missing required param: customer."));
        }
        long quantity = params.has("quantity") ? Long.parseLong(params.get("quantity")) : 1;
        Long unit = params.has("unit_amount_decimal") ? Long.valueOf(new BigDecimal(params.get("unit_amount_decimal"))
                .longValueExact()) : null;
        Long amount = params.has("amount") ? Long.valueOf(params.get("amount")) : null;
        if (unit == null && amount == null) {
            return Answer.rejected(StripeError.invalidParam("parameter_missing", "amount",
                    "You must specify either `amount`, `unit_amount_decimal` or `pricing[price]`."));
        }
        List<String> rates = NestedParams.array(params, "tax_rates");
        for (String rate : rates) {
            if (!taxRates.containsKey(rate)) {
                return Answer.rejected(StripeError.invalidParam("resource_missing", "tax_rates",
                        "No such tax rate: '" + rate + "'"));
            }
        }
        Item item = new Item();
        item.id = StripeIds.next("ii");
        item.customer = customer;
        item.currency = lower(params.get("currency"));
        item.description = params.get("description");
        item.quantity = quantity;
        item.unitAmount = unit != null ? unit : amount / Math.max(quantity, 1);
        item.amount = amount != null ? amount : unit * quantity;
        Map<String, String> period = params.hash("period");
        item.periodStart = period.containsKey("start") ? Long.parseLong(period.get("start")) : Instant.now().getEpochSecond();
        item.periodEnd = period.containsKey("end") ? Long.parseLong(period.get("end")) : item.periodStart;
        item.metadata = params.hash("metadata");
        item.price = params.hash("pricing").get("price");
        item.taxRates = rates;
        String invoiceId = params.get("invoice");
        if (invoiceId != null) {
            Inv inv = invoices.get(invoiceId);
            if (inv == null) {
                return Answer.error(StripeError.notFound("invoice", invoiceId));
            }
            if (!"draft".equals(inv.status)) {
                return Answer.rejected(StripeError.invalidParam("invoice_not_editable", "invoice",
                        "You can only add invoice items to draft invoices."));
            }
            inv.lines.add(item);
        } else {
            pendingItems.put(item.id, item);
        }
        return Answer.ok(itemJson(item, invoiceId));
    }

    // ---- invoices ------------------------------------------------------------------------------------------------

    private Answer createInvoice(FormParams params, List<String> expand) {
        String customer = params.get("customer");
        if (customer == null) {
            return Answer.rejected(StripeError.invalidParam("parameter_missing", "customer",
                    "Missing required param: customer."));
        }
        Inv inv = new Inv();
        inv.id = StripeIds.next("in");
        inv.customer = customer;
        inv.currency = lower(params.get("currency") == null ? "usd" : params.get("currency"));
        inv.created = Instant.now().getEpochSecond();
        inv.metadata = new LinkedHashMap<>(params.hash("metadata"));
        inv.subscription = params.get("subscription");
        inv.description = params.get("description");
        inv.daysUntilDue = params.has("days_until_due") ? Long.parseLong(params.get("days_until_due")) : null;
        // Since API 2022-08-01 pending items are left out unless asked for.
        if ("include".equals(params.get("pending_invoice_items_behavior"))) {
            pendingItems.values().removeIf(item -> {
                if (item.customer.equals(customer) && (item.currency == null || item.currency.equals(inv.currency))) {
                    inv.lines.add(item);
                    return true;
                }
                return false;
            });
        }
        invoices.put(inv.id, inv);
        events.accept("invoice.created", json(inv, List.of()));
        return Answer.ok(json(inv, expand));
    }

    /**
     * GET /v1/invoices: newest first as Stripe lists them, {@code created[gte]}/{@code created[lt]},
     * {@code status}, {@code limit} (1..100, default 10) and {@code starting_after} paging; drafts included.
     */
    private Answer listInvoices(FormParams params, List<String> expand) {
        Map<String, String> created = params.hash("created");
        long gte = created.containsKey("gte") ? Long.parseLong(created.get("gte")) : Long.MIN_VALUE;
        long lt = created.containsKey("lt") ? Long.parseLong(created.get("lt")) : Long.MAX_VALUE;
        int limit = params.has("limit") ? Math.max(1, Math.min(100, Integer.parseInt(params.get("limit")))) : 10;
        String status = params.get("status");
        List<Inv> matching = new ArrayList<>();
        for (Inv inv : invoices.values()) {
            if (inv.created >= gte && inv.created < lt && (status == null || status.equals(inv.status))) {
                matching.add(0, inv); // newest first, insertion order breaking ties
            }
        }
        int start = 0;
        String after = params.get("starting_after");
        if (after != null) {
            for (int i = 0; i < matching.size(); i++) {
                if (matching.get(i).id.equals(after)) {
                    start = i + 1;
                    break;
                }
            }
        }
        List<Map<String, Object>> data = new ArrayList<>();
        for (Inv inv : matching.subList(start, Math.min(matching.size(), start + limit))) {
            data.add(json(inv, expand));
        }
        return Answer.ok(ListObject.of("/v1/invoices", data, start + limit < matching.size()));
    }

    /** One object of a list: its id and creation time for the filters and paging, its JSON built for its page only. */
    private record Listed(String id, long created, java.util.function.Supplier<Map<String, Object>> json) {
    }

    /**
     * A Stripe list: newest first (creation order breaking ties), {@code created[gte]}/{@code created[lt]},
     * {@code limit} (1..100, default 10) and {@code starting_after} paging.
     */
    private static Answer listed(String url, FormParams params, List<Listed> oldestFirst) {
        Map<String, String> created = params.hash("created");
        long gte = created.containsKey("gte") ? Long.parseLong(created.get("gte")) : Long.MIN_VALUE;
        long lt = created.containsKey("lt") ? Long.parseLong(created.get("lt")) : Long.MAX_VALUE;
        int limit = params.has("limit") ? Math.max(1, Math.min(100, Integer.parseInt(params.get("limit")))) : 10;
        List<Listed> matching = new ArrayList<>();
        for (Listed listed : oldestFirst) {
            if (listed.created() >= gte && listed.created() < lt) {
                matching.add(0, listed);
            }
        }
        int start = 0;
        String after = params.get("starting_after");
        if (after != null) {
            for (int i = 0; i < matching.size(); i++) {
                if (matching.get(i).id().equals(after)) {
                    start = i + 1;
                    break;
                }
            }
        }
        List<Map<String, Object>> data = new ArrayList<>();
        for (Listed listed : matching.subList(start, Math.min(matching.size(), start + limit))) {
            data.add(listed.json().get());
        }
        return Answer.ok(ListObject.of(url, data, start + limit < matching.size()));
    }

    /** Every invoice payment, in the order they were made. */
    private List<Payment> invoicePayments() {
        List<Payment> all = new ArrayList<>(new java.util.LinkedHashSet<>(payments.values()));
        all.sort(java.util.Comparator.comparingLong(p -> p.paidAt));
        return all;
    }

    private List<Refund> refunds() {
        List<Refund> all = new ArrayList<>();
        for (Payment p : invoicePayments()) {
            all.addAll(p.refunds);
        }
        all.sort(java.util.Comparator.comparingLong(r -> r.created));
        return all;
    }

    /** Test seeding: moves an invoice's creation time (e.g. into a past reconciliation window). */
    synchronized void backdate(String invoiceId, long createdEpochSecond) {
        invoices.get(invoiceId).created = createdEpochSecond;
    }

    /** Test seeding of a discrepancy: an invoice whose status changed at Stripe without its webhook. */
    synchronized void forceStatus(String invoiceId, String status) {
        invoices.get(invoiceId).status = status;
    }

    private Answer updateInvoice(Inv inv, FormParams params, List<String> expand) {
        for (String name : params.topLevelNames()) {
            if (!Set.of("metadata", "expand", "description").contains(name)) {
                return Answer.rejected(StripeError.unknownParam(name));
            }
        }
        params.hash("metadata").forEach((key, value) -> {
            if (value.isEmpty()) {
                inv.metadata.remove(key);
            } else {
                inv.metadata.put(key, value);
            }
        });
        if (params.has("description")) {
            inv.description = params.get("description");
        }
        events.accept("invoice.updated", json(inv, List.of()));
        return Answer.ok(json(inv, expand));
    }

    private Answer finalizeInvoice(Inv inv, List<String> expand) {
        if (!"draft".equals(inv.status)) {
            return Answer.rejected(statusError(inv, "finalize"));
        }
        inv.status = "open";
        inv.number = inv.customer.substring(Math.max(0, inv.customer.length() - 8)).toUpperCase() + "-"
                + numbers.incrementAndGet();
        inv.finalizedAt = Instant.now().getEpochSecond();
        events.accept("invoice.finalized", json(inv, List.of()));
        return Answer.ok(json(inv, expand));
    }

    /**
     * Pays what the invoice still owes, or {@code amount} of it (a partial payment: Stripe's partial invoice
     * payments; the invoice stays open for the rest). Each payment is a payment intent with its charge, recorded as
     * an invoice payment: {@code invoice_payment.paid} for every payment, {@code invoice.paid} once nothing is
     * left, carrying all its payments.
     */
    private Answer pay(Inv inv, FormParams params, List<String> expand) {
        if (!"open".equals(inv.status)) {
            return Answer.rejected(statusError(inv, "pay"));
        }
        long remaining = total(inv) - paid(inv);
        long amount = params.has("amount") ? Long.parseLong(params.get("amount")) : remaining;
        if (amount <= 0 || amount > remaining) {
            return Answer.rejected(StripeError.invalidParam("amount_too_large", "amount", "The amount " + amount
                    + " must be positive and at most the amount remaining (" + remaining + ")."));
        }
        Payment payment = new Payment();
        payment.id = StripeIds.next("inpay");
        payment.paymentIntent = StripeIds.next("pi");
        payment.charge = StripeIds.next("ch");
        payment.amount = amount;
        payment.paidAt = Instant.now().getEpochSecond();
        inv.payments.add(payment);
        payments.put(payment.paymentIntent, payment);
        payments.put(payment.charge, payment);
        payment.invoice = inv;
        events.accept("invoice_payment.paid", json(payment));
        if (paid(inv) == total(inv)) {
            inv.status = "paid";
            inv.paidAt = payment.paidAt;
            events.accept("invoice.paid", json(inv, List.of()));
        }
        return Answer.ok(json(inv, expand));
    }

    /**
     * POST /v1/refunds with {@code payment_intent} or {@code charge} and an optional {@code amount} (default: all
     * not refunded yet): {@code refund.created} with the refund and {@code charge.refunded} with the charge and its
     * refunds.
     */
    private Answer createRefund(FormParams params) {
        String target = params.has("payment_intent") ? params.get("payment_intent") : params.get("charge");
        if (target == null) {
            return Answer.rejected(StripeError.invalidParam("parameter_missing", "charge",
                    "One of the following params should be provided for this request: payment_intent or charge."));
        }
        Payment payment = payments.get(target);
        if (payment == null) {
            return Answer.error(StripeError.notFound(target.startsWith("pi_") ? "payment_intent" : "charge", target));
        }
        long refundable = payment.amount - payment.refunds.stream().mapToLong(r -> r.amount).sum();
        long amount = params.has("amount") ? Long.parseLong(params.get("amount")) : refundable;
        if (refundable == 0) {
            return Answer.rejected(StripeError.invalidParam("charge_already_refunded", null,
                    "Charge " + payment.charge + " has already been refunded."));
        }
        if (amount <= 0 || amount > refundable) {
            return Answer.rejected(StripeError.invalidParam("amount_too_large", "amount", "Refund amount ("
                    + amount + ") is greater than unrefunded amount on charge (" + refundable + ")"));
        }
        Refund refund = new Refund();
        refund.id = StripeIds.next("re");
        refund.amount = amount;
        refund.created = Instant.now().getEpochSecond();
        refund.reason = params.get("reason");
        refund.payment = payment;
        payment.refunds.add(refund);
        Map<String, Object> json = json(refund);
        events.accept("refund.created", json);
        events.accept("charge.refunded", chargeJson(payment));
        return Answer.ok(json);
    }

    /**
     * A card network dispute of a whole payment, opened and closed at once (test hook: disputes are not created
     * through the API): {@code charge.dispute.created}, then {@code charge.dispute.closed} with status won or lost.
     */
    synchronized Map<String, Object> dispute(String paymentIntent, boolean won) {
        Map<String, Object> opened = openDispute(paymentIntent);
        return closeDispute((String) opened.get("id"), won);
    }

    private final Map<String, Map<String, Object>> disputes = new LinkedHashMap<>();

    /** A dispute of the whole payment opened (status needs_response): {@code charge.dispute.created}. */
    synchronized Map<String, Object> openDispute(String paymentIntent) {
        Payment payment = payments.get(paymentIntent);
        if (payment == null) {
            throw new IllegalArgumentException("no payment " + paymentIntent);
        }
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", StripeIds.next("du"));
        j.put("object", "dispute");
        j.put("amount", payment.amount);
        j.put("charge", payment.charge);
        j.put("created", Instant.now().getEpochSecond());
        j.put("currency", payment.invoice.currency);
        j.put("is_charge_refundable", false);
        j.put("livemode", false);
        j.put("payment_intent", payment.paymentIntent);
        j.put("reason", "fraudulent");
        j.put("status", "needs_response");
        disputes.put((String) j.get("id"), j);
        events.accept("charge.dispute.created", new LinkedHashMap<>(j));
        return new LinkedHashMap<>(j);
    }

    /** The dispute closed, won or lost: {@code charge.dispute.closed}. */
    synchronized Map<String, Object> closeDispute(String disputeId, boolean won) {
        Map<String, Object> j = disputes.get(disputeId);
        if (j == null) {
            throw new IllegalArgumentException("no dispute " + disputeId);
        }
        j.put("status", won ? "won" : "lost");
        events.accept("charge.dispute.closed", new LinkedHashMap<>(j));
        return new LinkedHashMap<>(j);
    }

    /**
     * An automatic collection attempt the card declined: the attempt is an open invoice payment whose payment intent
     * carries {@code last_payment_error.decline_code}; the invoice's {@code attempt_count} goes up and
     * {@code invoice.payment_failed} is sent with the invoice. Nothing is paid.
     */
    synchronized Map<String, Object> failPayment(String invoiceId, String declineCode) {
        Inv inv = invoices.get(invoiceId);
        if (inv == null || !"open".equals(inv.status)) {
            throw new IllegalArgumentException("no open invoice " + invoiceId);
        }
        Payment attempt = new Payment();
        attempt.id = StripeIds.next("inpay");
        attempt.paymentIntent = StripeIds.next("pi");
        attempt.charge = StripeIds.next("ch");
        attempt.amount = total(inv) - paid(inv);
        attempt.paidAt = Instant.now().getEpochSecond();
        attempt.invoice = inv;
        attempt.status = "open";
        attempt.declineCode = declineCode;
        inv.payments.add(attempt);
        payments.put(attempt.paymentIntent, attempt);
        inv.attemptCount++;
        Map<String, Object> json = json(inv, List.of());
        events.accept("invoice.payment_failed", json);
        return json;
    }

    private Map<String, Object> paymentIntentJson(Payment p) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", p.paymentIntent);
        j.put("object", "payment_intent");
        j.put("amount", p.amount);
        j.put("amount_received", "paid".equals(p.status) ? p.amount : 0);
        j.put("created", p.paidAt);
        j.put("currency", p.invoice.currency);
        j.put("customer", p.invoice.customer);
        j.put("latest_charge", p.charge);
        Map<String, Object> error = null;
        if (p.declineCode != null) {
            error = new LinkedHashMap<>();
            error.put("charge", p.charge);
            error.put("code", "card_declined");
            error.put("decline_code", p.declineCode);
            error.put("message", "Your card was declined.");
            error.put("type", "card_error");
        }
        j.put("last_payment_error", error);
        j.put("livemode", false);
        j.put("status", "paid".equals(p.status) ? "succeeded" : "requires_payment_method");
        return j;
    }

    /** As json(Inv) computes it: lines plus each line's tax per rate. */
    private long total(Inv inv) {
        long total = 0;
        for (Item line : inv.lines) {
            total += line.amount;
            for (String rate : line.taxRates) {
                total += tax(line.amount, rate);
            }
        }
        return total;
    }

    private static long paid(Inv inv) {
        return inv.payments.stream().filter(p -> "paid".equals(p.status)).mapToLong(p -> p.amount).sum();
    }

    private Answer voidInvoice(Inv inv, List<String> expand) {
        if (!"open".equals(inv.status)) {
            return Answer.rejected(statusError(inv, "void"));
        }
        inv.status = "void";
        inv.voidedAt = Instant.now().getEpochSecond();
        events.accept("invoice.voided", json(inv, List.of()));
        return Answer.ok(json(inv, expand));
    }

    private static StripeError statusError(Inv inv, String action) {
        return StripeError.invalidParam("invoice_unexpected_state", null,
                "You cannot " + action + " this invoice because it has a status of " + inv.status + ".");
    }

    private Answer withInvoice(String id, java.util.function.Function<Inv, Answer> action) {
        Inv inv = invoices.get(id);
        return inv == null ? Answer.error(StripeError.notFound("invoice", id)) : action.apply(inv);
    }

    // ---- credit notes --------------------------------------------------------------------------------------------

    private Answer createCreditNote(FormParams params, List<String> expand) {
        Inv inv = invoices.get(params.get("invoice"));
        if (inv == null) {
            return params.get("invoice") == null
                    ? Answer.rejected(StripeError.invalidParam("parameter_missing", "invoice", "Missing required param: invoice."))
                    : Answer.error(StripeError.notFound("invoice", params.get("invoice")));
        }
        if (!"open".equals(inv.status) && !"paid".equals(inv.status)) {
            return Answer.rejected(StripeError.invalidParam("invoice_unexpected_state", "invoice",
                    "You can only create credit notes for open or paid invoices."));
        }
        CreditNote note = new CreditNote();
        note.id = StripeIds.next("cn");
        note.invoice = inv;
        note.created = Instant.now().getEpochSecond();
        note.reason = params.get("reason");
        note.memo = params.get("memo");
        note.metadata = params.hash("metadata");
        note.number = inv.number + "-CN-" + (creditNotes.values().stream().filter(c -> c.invoice == inv).count() + 1);
        for (Map<String, String> line : NestedParams.hashes(params, "lines")) {
            Item source = inv.lines.stream().filter(l -> l.lineId().equals(line.get("invoice_line_item"))).findFirst()
                    .orElse(null);
            if (!"invoice_line_item".equals(line.get("type")) || source == null) {
                return Answer.rejected(StripeError.invalidParam(null, "lines",
                        "The simulator credits invoice lines only: lines[n][type]=invoice_line_item with an existing "
                                + "lines[n][invoice_line_item]."));
            }
            Item credited = new Item();
            credited.id = StripeIds.next("cnli");
            credited.source = source;
            credited.description = source.description;
            credited.quantity = line.containsKey("quantity") ? Long.parseLong(line.get("quantity")) : source.quantity;
            credited.unitAmount = source.unitAmount;
            credited.amount = credited.quantity == source.quantity ? source.amount : source.unitAmount * credited.quantity;
            credited.taxRates = source.taxRates;
            credited.periodStart = source.periodStart;
            credited.periodEnd = source.periodEnd;
            credited.metadata = source.metadata;
            note.lines.add(credited);
        }
        if (note.lines.isEmpty()) {
            return Answer.rejected(StripeError.invalidParam(null, "lines", "A credit note needs at least one line."));
        }
        creditNotes.put(note.id, note);
        events.accept("credit_note.created", json(note, List.of()));
        return Answer.ok(json(note, expand));
    }

    // ---- subscriptions ------------------------------------------------------------------------------------------

    /**
     * The first invoice of a new subscription, as Stripe makes it: one line per item (price, quantity, the item's
     * current period), finalized at once, so invoice.created and invoice.finalized go out. The price's metadata
     * (e.g. {@code sku}) is on the line's price when expanded ({@value #EXPAND_LINE_PRICES}).
     */
    @SuppressWarnings("unchecked")
    synchronized String firstInvoice(Map<String, Object> subscription) {
        Inv inv = new Inv();
        inv.id = StripeIds.next("in");
        inv.customer = (String) subscription.get("customer");
        inv.currency = lower((String) subscription.get("currency"));
        inv.created = Instant.now().getEpochSecond();
        inv.subscription = (String) subscription.get("id");
        inv.daysUntilDue = null;
        for (Map<String, Object> item : (List<Map<String, Object>>) ((Map<String, Object>) subscription.get("items")).get("data")) {
            Map<String, Object> price = (Map<String, Object>) item.get("price");
            Item line = new Item();
            line.id = StripeIds.next("ii");
            line.customer = inv.customer;
            line.currency = inv.currency;
            line.description = String.valueOf(price.get("nickname") == null ? price.get("product") : price.get("nickname"));
            line.quantity = ((Number) item.get("quantity")).longValue();
            line.unitAmount = ((Number) price.get("unit_amount")).longValue();
            line.amount = line.unitAmount * line.quantity;
            line.periodStart = ((Number) item.get("current_period_start")).longValue();
            line.periodEnd = ((Number) item.get("current_period_end")).longValue();
            line.price = (String) price.get("id");
            line.priceObject = price;
            line.product = (String) price.get("product");
            inv.lines.add(line);
        }
        invoices.put(inv.id, inv);
        events.accept("invoice.created", json(inv, List.of()));
        finalizeInvoice(inv, List.of());
        return inv.id;
    }

    // ---- control surface -----------------------------------------------------------------------------------------

    /** Every invoice, oldest first, with its metadata (e.g. the ERP id the hub wrote back). */
    synchronized List<Map<String, Object>> invoicesJson() {
        return invoices.values().stream().map(inv -> json(inv, List.<String>of())).toList();
    }

    synchronized Map<String, Object> invoiceJson(String id) {
        Inv inv = invoices.get(id);
        return inv == null ? null : json(inv, List.of(EXPAND_LINE_TAX_RATES));
    }

    synchronized void reset() {
        taxRates.clear();
        pendingItems.clear();
        invoices.clear();
        creditNotes.clear();
        payments.clear();
        disputes.clear();
    }

    // ---- JSON ----------------------------------------------------------------------------------------------------

    private Map<String, Object> json(Inv inv, List<String> expand) {
        Map<String, Object> j = new LinkedHashMap<>();
        long subtotal = inv.lines.stream().mapToLong(l -> l.amount).sum();
        List<Map<String, Object>> lines = new ArrayList<>();
        Map<String, long[]> taxByRate = new LinkedHashMap<>();
        for (Item line : inv.lines) {
            lines.add(lineJson(line, inv, expand.contains(EXPAND_LINE_TAX_RATES), expand.contains(EXPAND_LINE_PRICES)));
            for (String rate : line.taxRates) {
                long[] sums = taxByRate.computeIfAbsent(rate, r -> new long[2]);
                sums[0] += tax(line.amount, rate);
                sums[1] += line.amount;
            }
        }
        long taxTotal = taxByRate.values().stream().mapToLong(s -> s[0]).sum();
        long total = subtotal + taxTotal;
        long paidAmount = paid(inv);
        j.put("id", inv.id);
        j.put("object", "invoice");
        j.put("account_country", "US");
        j.put("amount_due", total);
        j.put("amount_paid", paidAmount);
        j.put("amount_remaining", "void".equals(inv.status) ? 0 : total - paidAmount);
        j.put("attempt_count", inv.attemptCount);
        j.put("attempted", inv.attemptCount > 0 || inv.paidAt != null);
        j.put("collection_method", "send_invoice");
        j.put("created", inv.created);
        j.put("currency", inv.currency);
        j.put("customer", inv.customer);
        j.put("description", inv.description);
        j.put("due_date", inv.daysUntilDue == null || inv.finalizedAt == null ? null
                : inv.finalizedAt + inv.daysUntilDue * 86_400);
        j.put("effective_at", inv.finalizedAt);
        Map<String, Object> list = ListObject.of("/v1/invoices/" + inv.id + "/lines", lines, false);
        list.put("total_count", lines.size());
        j.put("lines", list);
        j.put("livemode", false);
        j.put("metadata", new LinkedHashMap<>(inv.metadata));
        j.put("number", inv.number);
        j.put("parent", inv.subscription == null ? null : Map.of("type", "subscription_details",
                "subscription_details", Map.of("subscription", inv.subscription, "metadata", Map.of())));
        j.put("payments", ListObject.of("/v1/invoice_payments?invoice=" + inv.id,
                inv.payments.stream().map(this::json).toList(), false));
        j.put("period_start", inv.created);
        j.put("period_end", inv.created);
        j.put("status", inv.status);
        Map<String, Object> transitions = new LinkedHashMap<>();
        transitions.put("finalized_at", inv.finalizedAt);
        transitions.put("marked_uncollectible_at", null);
        transitions.put("paid_at", inv.paidAt);
        transitions.put("voided_at", inv.voidedAt);
        j.put("status_transitions", transitions);
        j.put("subtotal", subtotal);
        j.put("subtotal_excluding_tax", subtotal);
        j.put("total", total);
        j.put("total_excluding_tax", subtotal);
        List<Map<String, Object>> totalTaxes = new ArrayList<>();
        taxByRate.forEach((rate, sums) -> totalTaxes.add(taxJson(rate, sums[0], sums[1],
                expand.contains(EXPAND_TOTAL_TAX_RATES))));
        j.put("total_taxes", totalTaxes);
        return j;
    }

    private Map<String, Object> lineJson(Item line, Inv inv, boolean expandRates, boolean expandPrice) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", line.lineId());
        j.put("object", "line_item");
        j.put("amount", line.amount);
        j.put("currency", inv.currency);
        j.put("description", line.description);
        j.put("invoice", inv.id);
        j.put("livemode", false);
        j.put("metadata", new LinkedHashMap<>(line.metadata));
        j.put("parent", inv.subscription != null && line.priceObject != null
                ? Map.of("type", "subscription_item_details", "subscription_item_details",
                        Map.of("subscription", inv.subscription, "proration", false))
                : Map.of("type", "invoice_item_details", "invoice_item_details",
                        Map.of("invoice_item", line.id, "proration", false)));
        j.put("period", Map.of("start", line.periodStart, "end", line.periodEnd));
        Map<String, Object> pricing = new LinkedHashMap<>();
        pricing.put("type", "price_details");
        Map<String, Object> priceDetails = new LinkedHashMap<>();
        priceDetails.put("price", expandPrice && line.priceObject != null ? line.priceObject : line.price);
        priceDetails.put("product", line.product);
        pricing.put("price_details", priceDetails);
        pricing.put("unit_amount_decimal", String.valueOf(line.unitAmount));
        j.put("pricing", pricing);
        j.put("quantity", line.quantity);
        j.put("quantity_decimal", String.valueOf(line.quantity));
        List<Map<String, Object>> taxes = new ArrayList<>();
        for (String rate : line.taxRates) {
            taxes.add(taxJson(rate, tax(line.amount, rate), line.amount, expandRates));
        }
        j.put("taxes", taxes);
        return j;
    }

    private Map<String, Object> json(CreditNote note, List<String> expand) {
        boolean expandRates = expand.contains(EXPAND_LINE_TAX_RATES);
        Map<String, Object> j = new LinkedHashMap<>();
        long subtotal = note.lines.stream().mapToLong(l -> l.amount).sum();
        List<Map<String, Object>> lines = new ArrayList<>();
        Map<String, long[]> taxByRate = new LinkedHashMap<>();
        for (Item line : note.lines) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("id", line.id);
            l.put("object", "credit_note_line_item");
            l.put("amount", line.amount);
            l.put("description", line.description);
            l.put("invoice_line_item", line.source.lineId());
            l.put("livemode", false);
            l.put("quantity", line.quantity);
            List<Map<String, Object>> taxes = new ArrayList<>();
            for (String rate : line.taxRates) {
                long amount = tax(line.amount, rate);
                taxes.add(taxJson(rate, amount, line.amount, expandRates));
                long[] sums = taxByRate.computeIfAbsent(rate, r -> new long[2]);
                sums[0] += amount;
                sums[1] += line.amount;
            }
            l.put("taxes", taxes);
            l.put("type", "invoice_line_item");
            l.put("unit_amount_decimal", String.valueOf(line.unitAmount));
            lines.add(l);
        }
        long taxTotal = taxByRate.values().stream().mapToLong(s -> s[0]).sum();
        j.put("id", note.id);
        j.put("object", "credit_note");
        j.put("amount", subtotal + taxTotal);
        j.put("created", note.created);
        j.put("currency", note.invoice.currency);
        j.put("customer", note.invoice.customer);
        j.put("effective_at", note.created);
        j.put("invoice", note.invoice.id);
        Map<String, Object> list = ListObject.of("/v1/credit_notes/" + note.id + "/lines", lines, false);
        list.put("total_count", lines.size());
        j.put("lines", list);
        j.put("livemode", false);
        j.put("memo", note.memo);
        j.put("metadata", note.metadata);
        j.put("number", note.number);
        j.put("reason", note.reason);
        j.put("status", "issued");
        j.put("subtotal", subtotal);
        j.put("subtotal_excluding_tax", subtotal);
        j.put("total", subtotal + taxTotal);
        j.put("total_excluding_tax", subtotal);
        List<Map<String, Object>> totalTaxes = new ArrayList<>();
        taxByRate.forEach((rate, sums) -> totalTaxes.add(taxJson(rate, sums[0], sums[1],
                expand.contains(EXPAND_TOTAL_TAX_RATES))));
        j.put("total_taxes", totalTaxes);
        j.put("type", "paid".equals(note.invoice.status) ? "post_payment" : "pre_payment");
        return j;
    }

    private Map<String, Object> taxJson(String rate, long amount, long taxable, boolean expandRate) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("amount", amount);
        t.put("tax_behavior", "exclusive");
        t.put("tax_rate_details", Map.of("tax_rate", expandRate ? taxRates.get(rate) : rate));
        t.put("taxability_reason", "standard_rated");
        t.put("taxable_amount", taxable);
        t.put("type", "tax_rate_details");
        return t;
    }

    private Map<String, Object> itemJson(Item item, String invoiceId) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", item.id);
        j.put("object", "invoiceitem");
        j.put("amount", item.amount);
        j.put("currency", item.currency);
        j.put("customer", item.customer);
        j.put("description", item.description);
        j.put("invoice", invoiceId);
        j.put("metadata", item.metadata);
        j.put("period", Map.of("start", item.periodStart, "end", item.periodEnd));
        j.put("quantity", item.quantity);
        j.put("tax_rates", item.taxRates.stream().map(taxRates::get).toList());
        return j;
    }

    /** Exclusive tax on one line, rounded half up to the minor unit (per line, as Stripe computes it). */
    private long tax(long amount, String rate) {
        BigDecimal percentage = (BigDecimal) taxRates.get(rate).get("percentage");
        return BigDecimal.valueOf(amount).multiply(percentage).divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_UP)
                .longValueExact();
    }

    private static String lower(String currency) {
        return currency == null ? null : currency.toLowerCase(java.util.Locale.ROOT);
    }

    static boolean zeroDecimal(String currency) {
        return ZERO_DECIMAL.contains(lower(currency));
    }

    /** An invoice item, which becomes an invoice line (il_ id) once on an invoice; also a credit note line. */
    private static final class Item {
        String id;
        String customer;
        String currency;
        String description;
        long quantity;
        long unitAmount;
        long amount;
        long periodStart;
        long periodEnd;
        Map<String, String> metadata = Map.of();
        String price;
        Map<String, Object> priceObject;
        String product;
        List<String> taxRates = List.of();
        Item source;

        String lineId() {
            return "il_" + id.substring(id.indexOf('_') + 1);
        }
    }

    private static final class Inv {
        String id;
        String customer;
        String currency;
        String status = "draft";
        String number;
        String subscription;
        String description;
        Long daysUntilDue;
        long created;
        Long finalizedAt;
        Long paidAt;
        Long voidedAt;
        int attemptCount;
        Map<String, String> metadata = new LinkedHashMap<>();
        final List<Item> lines = new ArrayList<>();
        final List<Payment> payments = new ArrayList<>();
    }

    /** An invoice payment: one payment intent and its charge, partly or wholly refunded later. */
    private static final class Payment {
        String id;
        String paymentIntent;
        String charge;
        long amount;
        long paidAt;
        Inv invoice;
        /** paid; open for an attempt the card declined (declineCode says why). */
        String status = "paid";
        String declineCode;
        final List<Refund> refunds = new ArrayList<>();
    }

    private static final class Refund {
        String id;
        long amount;
        long created;
        String reason;
        Payment payment;
    }

    private Map<String, Object> json(Payment p) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", p.id);
        j.put("object", "invoice_payment");
        j.put("amount_paid", "paid".equals(p.status) ? p.amount : 0);
        j.put("amount_requested", p.amount);
        j.put("created", p.paidAt);
        j.put("currency", p.invoice.currency);
        j.put("invoice", p.invoice.id);
        j.put("is_default", p.invoice.payments.indexOf(p) == 0);
        j.put("livemode", false);
        Map<String, Object> payment = new LinkedHashMap<>();
        payment.put("type", "payment_intent");
        payment.put("payment_intent", p.paymentIntent);
        payment.put("charge", p.charge);
        j.put("payment", payment);
        j.put("status", p.status);
        Map<String, Object> transitions = new LinkedHashMap<>();
        transitions.put("canceled_at", null);
        transitions.put("paid_at", "paid".equals(p.status) ? p.paidAt : null);
        j.put("status_transitions", transitions);
        return j;
    }

    private Map<String, Object> json(Refund r) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", r.id);
        j.put("object", "refund");
        j.put("amount", r.amount);
        j.put("charge", r.payment.charge);
        j.put("created", r.created);
        j.put("currency", r.payment.invoice.currency);
        j.put("metadata", Map.of());
        j.put("payment_intent", r.payment.paymentIntent);
        j.put("reason", r.reason);
        j.put("status", "succeeded");
        return j;
    }

    private Map<String, Object> chargeJson(Payment p) {
        Map<String, Object> j = new LinkedHashMap<>();
        long refunded = p.refunds.stream().mapToLong(r -> r.amount).sum();
        j.put("id", p.charge);
        j.put("object", "charge");
        j.put("amount", p.amount);
        j.put("amount_captured", p.amount);
        j.put("amount_refunded", refunded);
        j.put("created", p.paidAt);
        j.put("currency", p.invoice.currency);
        j.put("customer", p.invoice.customer);
        j.put("livemode", false);
        j.put("paid", true);
        j.put("payment_intent", p.paymentIntent);
        j.put("payment_method_details", Map.of("type", "card"));
        j.put("refunded", refunded == p.amount);
        j.put("refunds", ListObject.of("/v1/charges/" + p.charge + "/refunds",
                p.refunds.stream().map(this::json).toList(), false));
        j.put("status", "succeeded");
        return j;
    }

    private static final class CreditNote {
        String id;
        Inv invoice;
        String number;
        String reason;
        String memo;
        long created;
        Map<String, String> metadata = Map.of();
        final List<Item> lines = new ArrayList<>();
    }
}
