package io.q2chub.sandbox.stripe;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The account balance and its payouts, as Stripe keeps them: every charge, refund and lost dispute becomes a
 * balance transaction (charge: {@code fee} with {@code fee_details}, {@code net} = amount − fee; refund and dispute
 * withdrawal: negative amount, no fee), and a payout sweeps everything not paid out yet in one currency (its own
 * balance transaction of type {@code payout} is listed with it, as for automatic payouts).
 *
 * <p>Booked from the events the other resources emit (no edit of them needed). Fees follow Stripe's US card
 * pricing: 2.9 % + 30 minor units for currencies with decimals, 3.6 % for zero-decimal ones, rounded half up to the
 * minor unit. The simulator books a dispute's withdrawal when it is lost (Stripe withdraws on opening and returns the
 * money when it is won; in one payout the two cancel out, which the hub's mapping does not need to see).
 *
 * <pre>
 * GET /v1/payouts/{id}
 * GET /v1/payouts?created[gte]=&amp;created[lt]=&amp;limit=&amp;starting_after=
 * GET /v1/balance_transactions/{id}
 * GET /v1/balance_transactions?payout=po_..&amp;limit=&amp;starting_after=
 * </pre>
 */
final class PayoutApi implements ResourceApi {

    private final List<Map<String, Object>> transactions = new ArrayList<>();
    private final Map<String, Map<String, Object>> payouts = new LinkedHashMap<>();
    private final Set<String> bookedRefunds = new java.util.HashSet<>();
    private final BiConsumer<String, Map<String, Object>> events;

    PayoutApi(BiConsumer<String, Map<String, Object>> events) {
        this.events = events;
    }

    // ---- booking, from the events other resources emit ------------------------------------------------------------

    /** Sees every event the account emits and books the money movements among them. */
    @SuppressWarnings("unchecked")
    synchronized void book(String type, Map<String, Object> object) {
        switch (type) {
            case "invoice_payment.paid" -> {
                Map<String, Object> payment = (Map<String, Object>) object.get("payment");
                long amount = ((Number) object.get("amount_paid")).longValue();
                String currency = (String) object.get("currency");
                long fee = fee(amount, currency);
                add("charge", "charge", amount, fee, currency, (String) payment.get("charge"), "Invoice payment");
            }
            case "charge.refunded" -> {
                Map<String, Object> refunds = (Map<String, Object>) object.get("refunds");
                for (Map<String, Object> refund : (List<Map<String, Object>>) refunds.get("data")) {
                    String id = (String) refund.get("id");
                    if (bookedRefunds.add(id)) {
                        add("refund", "refund", -((Number) refund.get("amount")).longValue(), 0,
                                (String) refund.get("currency"), id, "REFUND FOR CHARGE");
                    }
                }
            }
            case "charge.dispute.closed" -> {
                if ("lost".equals(object.get("status"))) {
                    add("adjustment", "dispute", -((Number) object.get("amount")).longValue(), 0,
                            (String) object.get("currency"), (String) object.get("id"),
                            "Chargeback withdrawal for " + object.get("charge"));
                }
            }
            default -> {
                // other events move no money
            }
        }
    }

    /**
     * Pays out everything in {@code currency} not paid out yet, as a payout that arrives today: {@code payout.created}
     * and {@code payout.paid} with the payout. {@code amountError} (minor units, normally 0) is added to the payout's
     * amount only, to seed numbers that do not add up. Null when nothing is left to pay out.
     */
    synchronized Map<String, Object> payOut(String currency, long amountError) {
        String cur = currency.toLowerCase(Locale.ROOT);
        List<Map<String, Object>> pending = transactions.stream()
                .filter(t -> cur.equals(t.get("currency")) && t.get("payout") == null).toList();
        if (pending.isEmpty()) {
            return null;
        }
        long net = pending.stream().mapToLong(t -> ((Number) t.get("net")).longValue()).sum();
        long now = Instant.now().getEpochSecond();
        Map<String, Object> payout = new LinkedHashMap<>();
        String id = StripeIds.next("po");
        long amount = net + amountError;
        Map<String, Object> own = add("payout", "payout", -amount, 0, cur, id, "STRIPE PAYOUT");
        payout.put("id", id);
        payout.put("object", "payout");
        payout.put("amount", amount);
        payout.put("application_fee", null);
        payout.put("application_fee_amount", null);
        payout.put("arrival_date", LocalDate.now(ZoneOffset.UTC).atStartOfDay().toEpochSecond(ZoneOffset.UTC));
        payout.put("automatic", true);
        payout.put("balance_transaction", own.get("id"));
        payout.put("created", now);
        payout.put("currency", cur);
        payout.put("description", "STRIPE PAYOUT");
        payout.put("destination", "ba_1SimBankAccount");
        payout.put("failure_balance_transaction", null);
        payout.put("failure_code", null);
        payout.put("failure_message", null);
        payout.put("livemode", false);
        payout.put("metadata", Map.of());
        payout.put("method", "standard");
        payout.put("original_payout", null);
        payout.put("reconciliation_status", "completed");
        payout.put("reversed_by", null);
        payout.put("source_type", "card");
        payout.put("statement_descriptor", null);
        payout.put("status", "in_transit");
        payout.put("type", "bank_account");
        for (Map<String, Object> t : pending) {
            t.put("payout", id);
        }
        own.put("payout", id);
        payouts.put(id, payout);
        events.accept("payout.created", new LinkedHashMap<>(payout));
        payout.put("status", "paid");
        events.accept("payout.paid", new LinkedHashMap<>(payout));
        return new LinkedHashMap<>(payout);
    }

    synchronized List<Map<String, Object>> payoutsJson() {
        return payouts.values().stream().map(p -> (Map<String, Object>) new LinkedHashMap<>(p)).toList();
    }

    synchronized void reset() {
        transactions.clear();
        payouts.clear();
        bookedRefunds.clear();
    }

    // ---- API ------------------------------------------------------------------------------------------------------

    @Override
    public Operation operation(String method, String path) {
        if (!"GET".equals(method)) {
            return null;
        }
        String[] p = path.split("/");
        if (p.length < 3 || p.length > 4 || !"v1".equals(p[1])) {
            return null;
        }
        String id = p.length == 4 ? p[3] : null;
        return switch (p[2]) {
            case "payouts" -> new Operation(id == null ? "payouts.list" : "payouts.retrieve", id);
            case "balance_transactions" -> new Operation(id == null ? "balance_transactions.list"
                    : "balance_transactions.retrieve", id);
            default -> null;
        };
    }

    @Override
    public synchronized Answer call(Operation operation, FormParams params) {
        return switch (operation.name()) {
            case "payouts.retrieve" -> payouts.containsKey(operation.id()) ? Answer.ok(payouts.get(operation.id()))
                    : Answer.error(StripeError.notFound("payout", operation.id()));
            case "payouts.list" -> listPayouts(params);
            case "balance_transactions.retrieve" -> transactions.stream()
                    .filter(t -> t.get("id").equals(operation.id())).findFirst().map(Answer::ok)
                    .orElseGet(() -> Answer.error(StripeError.notFound("balance_transaction", operation.id())));
            default -> listTransactions(params);
        };
    }

    /** Newest first, {@code created[gte]}/{@code created[lt]}, {@code status}, limit and starting_after paging. */
    private Answer listPayouts(FormParams params) {
        Map<String, String> created = params.hash("created");
        long gte = created.containsKey("gte") ? Long.parseLong(created.get("gte")) : Long.MIN_VALUE;
        long lt = created.containsKey("lt") ? Long.parseLong(created.get("lt")) : Long.MAX_VALUE;
        String status = params.get("status");
        List<Map<String, Object>> matching = new ArrayList<>();
        for (Map<String, Object> payout : payouts.values()) {
            long at = ((Number) payout.get("created")).longValue();
            if (at >= gte && at < lt && (status == null || status.equals(payout.get("status")))) {
                matching.add(0, payout);
            }
        }
        return page("/v1/payouts", matching, params);
    }

    /** Newest first; {@code payout} (required here: the hub lists a payout's transactions), limit, starting_after. */
    private Answer listTransactions(FormParams params) {
        String payout = params.get("payout");
        if (payout != null && !payouts.containsKey(payout)) {
            return Answer.error(StripeError.notFound("payout", payout));
        }
        List<Map<String, Object>> matching = new ArrayList<>();
        for (Map<String, Object> t : transactions) {
            if (payout == null || payout.equals(t.get("payout"))) {
                matching.add(0, t);
            }
        }
        return page("/v1/balance_transactions", matching, params);
    }

    private static Answer page(String url, List<Map<String, Object>> matching, FormParams params) {
        int limit = params.has("limit") ? Math.max(1, Math.min(100, Integer.parseInt(params.get("limit")))) : 10;
        int start = 0;
        String after = params.get("starting_after");
        if (after != null) {
            for (int i = 0; i < matching.size(); i++) {
                if (matching.get(i).get("id").equals(after)) {
                    start = i + 1;
                    break;
                }
            }
        }
        List<Map<String, Object>> data = new ArrayList<>();
        for (Map<String, Object> item : matching.subList(Math.min(start, matching.size()),
                Math.min(matching.size(), start + limit))) {
            Map<String, Object> copy = new LinkedHashMap<>(item);
            copy.remove("payout"); // Stripe does not show it on the object; it is the list filter
            data.add(copy);
        }
        return Answer.ok(ListObject.of(url, data, start + limit < matching.size()));
    }

    private Map<String, Object> add(String type, String category, long amount, long fee, String currency,
            String source, String description) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", StripeIds.next("txn"));
        t.put("object", "balance_transaction");
        t.put("amount", amount);
        t.put("available_on", now);
        t.put("created", now);
        t.put("currency", currency);
        t.put("description", description);
        t.put("exchange_rate", null);
        t.put("fee", fee);
        List<Map<String, Object>> details = new ArrayList<>();
        if (fee != 0) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("amount", fee);
            detail.put("application", null);
            detail.put("currency", currency);
            detail.put("description", "Stripe processing fees");
            detail.put("type", "stripe_fee");
            details.add(detail);
        }
        t.put("fee_details", details);
        t.put("net", amount - fee);
        t.put("reporting_category", category);
        t.put("source", source);
        t.put("status", "available");
        t.put("type", type);
        t.put("payout", null);
        transactions.add(t);
        return t;
    }

    /** 2.9 % + 30 minor units; 3.6 % for zero-decimal currencies (no fixed part), half up. */
    static long fee(long amount, String currency) {
        boolean zeroDecimal = InvoiceApi.zeroDecimal(currency);
        BigDecimal rate = new BigDecimal(zeroDecimal ? "0.036" : "0.029");
        long percentage = BigDecimal.valueOf(amount).multiply(rate).setScale(0, RoundingMode.HALF_UP).longValueExact();
        return percentage + (zeroDecimal ? 0 : 30);
    }
}
