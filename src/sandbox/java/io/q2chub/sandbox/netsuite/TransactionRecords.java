package io.q2chub.sandbox.netsuite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.q2chub.sandbox.netsuite.CustomerRecords.Rejected;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The simulated account's invoices and credit memos, validated as NetSuite OneWorld with SuiteTax validates them:
 * the customer, items and tax codes must exist (INVALID_KEY_OR_REF), the currency must be one the subsidiary
 * allows, a credit memo may apply no more than the invoice still owes. Totals are computed here, as NetSuite does.
 * Stricter than NetSuite in one point: an amount with more decimals than its currency has is refused, not rounded,
 * so a client's conversion error shows.
 */
final class TransactionRecords {

    static final String INVOICE = "invoice";
    static final String CREDIT_MEMO = "creditMemo";
    static final String CUSTOMER_PAYMENT = "customerPayment";
    static final String CUSTOMER_REFUND = "customerRefund";
    static final String DEPOSIT = "deposit";
    private static final Set<String> PAYMENT_FIELDS = Set.of("externalId", "customer", "subsidiary", "currency",
            "tranDate", "payment", "memo", "apply", "paymentMethod");
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final Set<String> FIELDS = Set.of("externalId", "tranId", "entity", "subsidiary", "currency",
            "tranDate", "dueDate", "department", "class", "location", "taxDetailsOverride", "item", "taxDetails",
            "apply", "memo");
    private static final Set<String> LINE_FIELDS = Set.of("item", "description", "quantity", "rate", "amount",
            "taxDetailsReference", "revRecStartDate", "revRecEndDate", "revRecTermInMonths");

    private final CustomerRecords customers;
    private final Map<String, Subsidiary> subsidiaries;
    private final Map<String, CatalogItem> items;
    private final Map<String, Transaction> byKey = new ConcurrentHashMap<>();
    private final Map<String, String> keyByInternalId = new ConcurrentHashMap<>();
    private final AtomicLong nextInternalId = new AtomicLong(5000);

    TransactionRecords(CustomerRecords customers, List<Subsidiary> subsidiaries, List<CatalogItem> items) {
        this.customers = customers;
        this.subsidiaries = subsidiaries.stream().collect(Collectors.toUnmodifiableMap(Subsidiary::id, s -> s));
        this.items = items.stream().collect(Collectors.toUnmodifiableMap(CatalogItem::id, i -> i));
    }

    Optional<CatalogItem> item(String recordType, String id) {
        return Optional.ofNullable(items.get(id)).filter(i -> i.recordType().equals(recordType));
    }

    /** PUT /{type}/eid:{externalId}: creates or replaces the transaction's body and lines. */
    synchronized Transaction upsert(String type, String externalId, ObjectNode body) {
        JsonNode bodyExternalId = body.get("externalId");
        if (bodyExternalId != null && !externalId.equals(bodyExternalId.asText())) {
            throw new Rejected(400, "USER_ERROR", "Error while accessing a resource. The externalId in the request"
                    + " body does not match the external ID in the URL: externalId");
        }
        Transaction existing = byKey.get(key(type, externalId));
        ObjectNode fields = existing == null ? NODES.objectNode() : existing.fields();
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name) && !name.startsWith("custbody")) {
                throw new Rejected(400, "INVALID_CONTENT", "Error while accessing a resource. Invalid field name: "
                        + name + ".");
            }
        });
        if (existing != null && existing.fields().has("apply")) {
            unapply(existing);
        }
        fields.setAll(body);
        fields.put("externalId", externalId);
        computed(fields);
        if (type.equals(CREDIT_MEMO)) {
            apply(fields);
        } else if (existing == null) {
            fields.put("amountRemaining", fields.get("total").decimalValue());
        }
        return store(type, externalId, existing, fields);
    }

    /**
     * POST /invoice/{id}/!transform/creditMemo: a credit memo with the invoice's lines, applied to it in full (what
     * is left of it). Its externalId comes from the request body.
     */
    synchronized Transaction transformToCreditMemo(String invoiceInternalId, ObjectNode body) {
        Transaction invoice = byInternalId(invoiceInternalId).filter(t -> t.type().equals(INVOICE))
                .orElseThrow(CustomerRecords::missing);
        String externalId = body.path("externalId").asText(null);
        if (externalId != null && byKey.containsKey(key(CREDIT_MEMO, externalId))) {
            throw new Rejected(400, "DUP_RCRD", "A record with the specified external ID already exists.");
        }
        ObjectNode fields = NODES.objectNode();
        for (String copied : List.of("entity", "subsidiary", "currency", "department", "class", "location",
                "taxDetailsOverride", "item", "taxDetails")) {
            if (invoice.fields().has(copied)) {
                fields.set(copied, invoice.fields().get(copied));
            }
        }
        fields.setAll(body);
        fields.putObject("createdFrom").put("id", invoice.internalId());
        computed(fields);
        ObjectNode apply = fields.putObject("apply").putArray("items").addObject();
        apply.putObject("doc").put("id", invoice.internalId());
        apply.put("apply", true);
        apply.put("amount", invoice.amountRemaining().min(fields.get("total").decimalValue()));
        apply(fields);
        return store(CREDIT_MEMO, externalId, null, fields);
    }

    /**
     * PUT /customerPayment/eid:{externalId}: money received, applied to invoices by {@code apply.items} (each at
     * most what the invoice still owes, in total at most the payment); the rest stays on the customer as unapplied
     * credit. Writing it again first takes back its earlier applications, as editing a payment does in NetSuite.
     */
    synchronized Transaction upsertPayment(String externalId, ObjectNode body) {
        Transaction existing = checked(CUSTOMER_PAYMENT, externalId, body);
        ObjectNode fields = NODES.objectNode();
        fields.setAll(body);
        fields.put("externalId", externalId);
        CustomerRecord customer = customerOf(fields, "customer");
        Currency currency = currencyOf(fields, customer);
        BigDecimal payment = amount(fields, "payment", currency);
        if (payment.signum() <= 0) {
            throw new Rejected(400, "USER_ERROR", "The payment amount must be greater than zero.");
        }
        if (existing != null) {
            unapply(existing);
        }
        BigDecimal applied = BigDecimal.ZERO;
        JsonNode apply = fields.path("apply").path("items");
        for (JsonNode application : apply) {
            if (!application.path("apply").asBoolean(false)) {
                continue;
            }
            Transaction invoice = invoiceToApply(application, fields);
            BigDecimal amount = amount(application, "amount", currency);
            if (amount.compareTo(invoice.amountRemaining()) > 0) {
                reapply(existing);
                throw new Rejected(400, "USER_ERROR", "The amount applied to invoice " + invoice.text("tranId")
                        + " (" + amount.toPlainString() + ") exceeds its amount due ("
                        + invoice.amountRemaining().toPlainString() + ").");
            }
            applied = applied.add(amount);
        }
        if (applied.compareTo(payment) > 0) {
            reapply(existing);
            throw new Rejected(400, "USER_ERROR", "The total amount applied (" + applied.toPlainString()
                    + ") exceeds the payment amount (" + payment.toPlainString() + ").");
        }
        for (JsonNode application : apply) {
            if (application.path("apply").asBoolean(false)) {
                adjustRemaining(application.path("doc").path("id").asText(),
                        application.path("amount").decimalValue().negate());
            }
        }
        int digits = currency.getDefaultFractionDigits();
        fields.put("total", payment.setScale(digits));
        fields.put("applied", applied.setScale(digits));
        fields.put("unapplied", payment.subtract(applied).setScale(digits));
        if (existing != null && existing.fields().has("refunded")) {
            fields.set("refunded", existing.fields().get("refunded"));
        }
        return store(CUSTOMER_PAYMENT, externalId, existing, fields);
    }

    /**
     * PUT /customerRefund/eid:{externalId}: money returned to the customer against one of its customer payments
     * ({@code apply.items}, at most what the payment received minus what was refunded from it before). Simpler
     * than NetSuite, which refunds only unapplied credit (the payment's applications are taken back first, or a
     * credit memo is applied): here the refund is recorded against the payment and reduces its refundable amount.
     */
    synchronized Transaction upsertRefund(String externalId, ObjectNode body) {
        Transaction existing = checked(CUSTOMER_REFUND, externalId, body);
        if (existing != null) {
            // a refund is money out of the bank: NetSuite would need it deleted and entered again
            throw new Rejected(400, "USER_ERROR", "This customer refund has been paid and cannot be changed.");
        }
        ObjectNode fields = NODES.objectNode();
        fields.setAll(body);
        fields.put("externalId", externalId);
        CustomerRecord customer = customerOf(fields, "customer");
        Currency currency = currencyOf(fields, customer);
        BigDecimal total = BigDecimal.ZERO;
        List<Runnable> effects = new java.util.ArrayList<>();
        for (JsonNode application : fields.path("apply").path("items")) {
            if (!application.path("apply").asBoolean(false)) {
                continue;
            }
            String docId = application.path("doc").path("id").asText(null);
            Transaction payment = byInternalId(docId == null ? "" : docId)
                    .filter(t -> t.type().equals(CUSTOMER_PAYMENT))
                    .orElseThrow(() -> new Rejected(400, "INVALID_KEY_OR_REF", "Invalid doc reference key " + docId
                            + "."));
            if (!payment.fields().path("customer").equals(fields.path("customer"))) {
                throw new Rejected(400, "USER_ERROR", "You cannot refund a payment of another customer.");
            }
            BigDecimal amount = amount(application, "amount", currency);
            BigDecimal refunded = payment.fields().has("refunded") ? payment.fields().get("refunded").decimalValue()
                    : BigDecimal.ZERO;
            BigDecimal refundable = payment.total().subtract(refunded);
            if (amount.compareTo(refundable) > 0) {
                throw new Rejected(400, "USER_ERROR", "The amount refunded (" + amount.toPlainString()
                        + ") exceeds what payment " + payment.externalId() + " can still refund ("
                        + refundable.toPlainString() + ").");
            }
            total = total.add(amount);
            BigDecimal after = refunded.add(amount);
            effects.add(() -> {
                ObjectNode paymentFields = payment.fields();
                paymentFields.put("refunded", after);
                byKey.put(keyByInternalId.get(payment.internalId()), new Transaction(payment.type(),
                        payment.internalId(), payment.externalId(), paymentFields, payment.writes()));
            });
        }
        if (total.signum() <= 0) {
            throw new Rejected(400, "USER_ERROR", "You must apply the refund to at least one credit.");
        }
        effects.forEach(Runnable::run);
        fields.put("total", total.setScale(currency.getDefaultFractionDigits()));
        return store(CUSTOMER_REFUND, externalId, null, fields);
    }

    private Transaction checked(String type, String externalId, ObjectNode body) {
        JsonNode bodyExternalId = body.get("externalId");
        if (bodyExternalId != null && !externalId.equals(bodyExternalId.asText())) {
            throw new Rejected(400, "USER_ERROR", "Error while accessing a resource. The externalId in the request"
                    + " body does not match the external ID in the URL: externalId");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!PAYMENT_FIELDS.contains(name) && !name.startsWith("custbody")) {
                throw new Rejected(400, "INVALID_CONTENT", "Error while accessing a resource. Invalid field name: "
                        + name + ".");
            }
        });
        return byKey.get(key(type, externalId));
    }

    private Transaction invoiceToApply(JsonNode application, ObjectNode payment) {
        String docId = application.path("doc").path("id").asText(null);
        Transaction invoice = byInternalId(docId == null ? "" : docId).filter(t -> t.type().equals(INVOICE))
                .orElseThrow(() -> new Rejected(400, "INVALID_KEY_OR_REF", "Invalid doc reference key " + docId
                        + "."));
        if (!invoice.fields().path("entity").equals(payment.path("customer"))) {
            throw new Rejected(400, "USER_ERROR", "You cannot apply a payment to an invoice of another customer.");
        }
        if (!invoice.fields().path("currency").equals(payment.path("currency"))) {
            throw new Rejected(400, "USER_ERROR", "The payment currency does not match the currency of invoice "
                    + invoice.text("tranId") + ".");
        }
        return invoice;
    }

    /** Puts back applications taken back for a rewrite that was then refused. */
    private void reapply(Transaction existing) {
        if (existing == null) {
            return;
        }
        for (JsonNode application : existing.applied()) {
            if (application.path("apply").asBoolean(false)) {
                adjustRemaining(application.path("doc").path("id").asText(),
                        application.path("amount").decimalValue().negate());
            }
        }
    }

    private CustomerRecord customerOf(ObjectNode fields, String field) {
        String entity = fields.path(field).path("id").asText(null);
        if (entity == null) {
            throw new Rejected(400, "USER_ERROR", "Please enter value(s) for: " + field);
        }
        return customers.externalIdOf(entity).flatMap(customers::byExternalId).orElseThrow(() ->
                new Rejected(400, "INVALID_KEY_OR_REF", "Invalid " + field + " reference key " + entity + "."));
    }

    private Currency currencyOf(ObjectNode fields, CustomerRecord customer) {
        if (!fields.has("subsidiary")) {
            fields.putObject("subsidiary").put("id", customer.subsidiaryId());
        }
        Subsidiary subsidiary = subsidiaries.get(customer.subsidiaryId());
        if (!fields.has("currency")) {
            fields.putObject("currency").put("id", customer.currencyId());
        }
        String currencyId = fields.path("currency").path("id").asText();
        if (subsidiary == null || !subsidiary.currencyIds().contains(currencyId)) {
            throw invalid(currencyId, "currency");
        }
        return Currency.getInstance(Subsidiary.CURRENCIES.get(currencyId));
    }

    Optional<Transaction> byExternalId(String type, String externalId) {
        return Optional.ofNullable(byKey.get(key(type, externalId)));
    }

    Optional<Transaction> byInternalId(String internalId) {
        return Optional.ofNullable(keyByInternalId.get(internalId)).map(byKey::get);
    }

    List<Transaction> all() {
        return byKey.values().stream().sorted(Comparator.comparingLong(t -> Long.parseLong(t.internalId()))).toList();
    }

    /** Seeding: an invoice's total (and what is owed on it) changed in NetSuite by hand. */
    synchronized void changeTotal(String externalId, BigDecimal total) {
        Transaction invoice = byExternalId(INVOICE, externalId).orElseThrow();
        ObjectNode fields = invoice.fields();
        BigDecimal paid = invoice.total().subtract(invoice.amountRemaining());
        fields.put("total", total);
        fields.put("amountRemaining", total.subtract(paid));
        byKey.put(key(INVOICE, externalId), new Transaction(INVOICE, invoice.internalId(), externalId, fields,
                invoice.writes()));
    }

    /**
     * Seeding in bulk (benchmarks): an open invoice of the customer with this external id, stored as a posting would
     * leave it (totals only, no lines), without the HTTP round trip.
     */
    synchronized Transaction seedInvoice(String externalId, String customerExternalId, String tranDate,
            BigDecimal total) {
        CustomerRecord customer = customers.byExternalId(customerExternalId).orElseThrow();
        ObjectNode fields = NODES.objectNode();
        fields.putObject("entity").put("id", customer.internalId());
        fields.putObject("subsidiary").put("id", customer.subsidiaryId());
        fields.putObject("currency").put("id", customer.currencyId());
        fields.put("externalId", externalId);
        fields.put("tranId", "INV" + (nextInternalId.get() + 1));
        fields.put("tranDate", tranDate);
        fields.put("subtotal", total);
        fields.put("taxTotal", BigDecimal.ZERO.setScale(total.scale()));
        fields.put("total", total);
        fields.put("amountRemaining", total);
        return store(INVOICE, externalId, byKey.get(key(INVOICE, externalId)), fields);
    }

    /**
     * Seeding in bulk (benchmarks): a customer payment of the invoice's customer applied to it in full, stored as
     * payment application would leave it, without the HTTP round trip.
     */
    synchronized Transaction seedPayment(String externalId, String invoiceExternalId, String tranDate) {
        Transaction invoice = byExternalId(INVOICE, invoiceExternalId).orElseThrow();
        BigDecimal amount = invoice.amountRemaining();
        ObjectNode fields = NODES.objectNode();
        fields.putObject("customer").put("id", invoice.fields().path("entity").path("id").asText());
        fields.putObject("currency").put("id", invoice.currencyId());
        fields.put("externalId", externalId);
        fields.put("tranId", "PYMT" + (nextInternalId.get() + 1));
        fields.put("tranDate", tranDate);
        fields.put("payment", amount);
        ObjectNode line = fields.putObject("apply").putArray("items").addObject();
        line.putObject("doc").put("id", invoice.internalId());
        line.put("apply", true);
        line.put("amount", amount);
        fields.put("total", amount);
        fields.put("applied", amount);
        fields.put("unapplied", BigDecimal.ZERO.setScale(amount.scale()));
        adjustRemaining(invoice.internalId(), amount.negate());
        return store(CUSTOMER_PAYMENT, externalId, null, fields);
    }

    /** Seeding: a copy of an invoice entered in NetSuite by hand, with no external id. */
    synchronized Transaction enterByHand(String likeExternalId) {
        ObjectNode fields = byExternalId(INVOICE, likeExternalId).orElseThrow().fields();
        fields.remove("externalId");
        fields.put("tranId", "MANUAL-" + (nextInternalId.get() + 1));
        return store(INVOICE, null, null, fields);
    }

    /** Seeding: the customer payment's amount changed by hand; its applications stay, the rest is unapplied. */
    synchronized void changePaymentAmount(String externalId, BigDecimal amount) {
        Transaction payment = byExternalId(CUSTOMER_PAYMENT, externalId).orElseThrow();
        ObjectNode fields = payment.fields();
        BigDecimal applied = fields.path("applied").decimalValue();
        fields.put("payment", amount);
        fields.put("total", amount);
        fields.put("unapplied", amount.subtract(applied));
        byKey.put(key(CUSTOMER_PAYMENT, externalId), new Transaction(CUSTOMER_PAYMENT, payment.internalId(),
                externalId, fields, payment.writes()));
    }

    /** Seeding: a copy of a customer payment keyed in by hand, without an external id and applied to nothing. */
    synchronized Transaction enterPaymentByHand(String likeExternalId) {
        ObjectNode fields = byExternalId(CUSTOMER_PAYMENT, likeExternalId).orElseThrow().fields();
        fields.remove("externalId");
        fields.remove("apply");
        fields.put("tranId", "MANUAL-" + (nextInternalId.get() + 1));
        BigDecimal total = fields.path("total").decimalValue();
        fields.put("applied", BigDecimal.ZERO.setScale(total.scale()));
        fields.put("unapplied", total);
        return store(CUSTOMER_PAYMENT, null, null, fields);
    }

    void clear() {
        byKey.clear();
        keyByInternalId.clear();
        depositedIn.clear();
    }

    private Transaction store(String type, String externalId, Transaction existing, ObjectNode fields) {
        String internalId = existing != null ? existing.internalId() : String.valueOf(nextInternalId.incrementAndGet());
        Transaction stored = new Transaction(type, internalId, externalId, fields,
                existing == null ? 1 : existing.writes() + 1);
        String key = key(type, externalId != null ? externalId : "id:" + internalId);
        byKey.put(key, stored);
        keyByInternalId.put(internalId, key);
        return stored;
    }

    /** Validates references and computes subtotal, taxTotal and total. */
    private void computed(ObjectNode fields) {
        CustomerRecord customer = customerOf(fields);
        if (!fields.has("subsidiary")) {
            fields.putObject("subsidiary").put("id", customer.subsidiaryId());
        }
        String subsidiaryId = fields.path("subsidiary").path("id").asText();
        Subsidiary subsidiary = subsidiaries.get(subsidiaryId);
        if (subsidiary == null || !subsidiaryId.equals(customer.subsidiaryId())) {
            throw invalid(subsidiaryId, "subsidiary");
        }
        if (!fields.has("currency")) {
            fields.putObject("currency").put("id", customer.currencyId());
        }
        String currencyId = fields.path("currency").path("id").asText();
        if (!subsidiary.currencyIds().contains(currencyId)) {
            throw invalid(currencyId, "currency");
        }
        Currency currency = Currency.getInstance(Subsidiary.CURRENCIES.get(currencyId));
        JsonNode lines = fields.path("item").path("items");
        if (!lines.isArray() || lines.isEmpty()) {
            throw new Rejected(400, "USER_ERROR", "You must enter at least one line item for this transaction.");
        }
        BigDecimal subtotal = BigDecimal.ZERO;
        Set<String> references = new HashSet<>();
        for (JsonNode line : lines) {
            line.fieldNames().forEachRemaining(name -> {
                if (!LINE_FIELDS.contains(name) && !name.startsWith("custcol")) {
                    throw new Rejected(400, "INVALID_CONTENT", "Error while accessing a resource. Invalid field name:"
                            + " item.items." + name + ".");
                }
            });
            String itemId = line.path("item").path("id").asText(null);
            if (itemId == null || !items.containsKey(itemId)) {
                throw new Rejected(400, "INVALID_KEY_OR_REF", "Invalid item reference key " + itemId
                        + " for subsidiary " + subsidiaryId + ".");
            }
            subtotal = subtotal.add(amount(line, "amount", currency));
            if (line.hasNonNull("taxDetailsReference")) {
                references.add(line.get("taxDetailsReference").asText());
            }
        }
        BigDecimal tax = BigDecimal.ZERO;
        for (JsonNode detail : fields.path("taxDetails").path("items")) {
            String code = detail.path("taxCode").path("id").asText(null);
            if (code == null || !CatalogItem.TAX_CODES.containsKey(code)) {
                throw new Rejected(400, "INVALID_KEY_OR_REF", "Invalid taxcode reference key " + code + ".");
            }
            if (!references.contains(detail.path("taxDetailsReference").asText())) {
                throw new Rejected(400, "USER_ERROR", "The tax details reference "
                        + detail.path("taxDetailsReference").asText() + " does not match any item line.");
            }
            tax = tax.add(amount(detail, "taxAmount", currency));
        }
        int digits = currency.getDefaultFractionDigits();
        fields.put("subtotal", subtotal.setScale(digits));
        fields.put("taxTotal", tax.setScale(digits));
        fields.put("total", subtotal.add(tax).setScale(digits));
    }

    /** A credit memo's applications reduce what each invoice still owes. */
    private void apply(ObjectNode memo) {
        BigDecimal applied = BigDecimal.ZERO;
        JsonNode apply = memo.path("apply").path("items");
        for (JsonNode application : apply) {
            if (!application.path("apply").asBoolean(false)) {
                continue;
            }
            String docId = application.path("doc").path("id").asText(null);
            Transaction invoice = byInternalId(docId == null ? "" : docId).filter(t -> t.type().equals(INVOICE))
                    .orElseThrow(() -> new Rejected(400, "INVALID_KEY_OR_REF", "Invalid doc reference key " + docId
                            + "."));
            if (!invoice.fields().path("entity").equals(memo.path("entity"))) {
                throw new Rejected(400, "USER_ERROR", "You cannot apply a credit memo to an invoice of another customer.");
            }
            BigDecimal amount = application.path("amount").decimalValue();
            if (amount.compareTo(invoice.amountRemaining()) > 0) {
                throw new Rejected(400, "USER_ERROR", "The amount applied to invoice " + invoice.text("tranId")
                        + " (" + amount.toPlainString() + ") exceeds its amount due ("
                        + invoice.amountRemaining().toPlainString() + ").");
            }
            applied = applied.add(amount);
        }
        BigDecimal total = memo.get("total").decimalValue();
        if (applied.compareTo(total) > 0) {
            throw new Rejected(400, "USER_ERROR", "The total amount applied (" + applied.toPlainString()
                    + ") exceeds the credit memo total (" + total.toPlainString() + ").");
        }
        for (JsonNode application : apply) {
            if (application.path("apply").asBoolean(false)) {
                adjustRemaining(application.path("doc").path("id").asText(), application.path("amount").decimalValue().negate());
            }
        }
        memo.put("applied", applied);
        memo.put("unapplied", total.subtract(applied));
    }

    private void unapply(Transaction memo) {
        for (JsonNode application : memo.applied()) {
            if (application.path("apply").asBoolean(false)) {
                adjustRemaining(application.path("doc").path("id").asText(), application.path("amount").decimalValue());
            }
        }
    }

    private void adjustRemaining(String invoiceId, BigDecimal change) {
        Transaction invoice = byInternalId(invoiceId).orElseThrow();
        ObjectNode fields = invoice.fields();
        BigDecimal remaining = invoice.amountRemaining().add(change);
        fields.put("amountRemaining", remaining);
        fields.put("status", remaining.signum() == 0 ? "Paid In Full" : "Open");
        byKey.put(keyByInternalId.get(invoiceId), new Transaction(invoice.type(), invoice.internalId(),
                invoice.externalId(), fields, invoice.writes()));
    }

    private CustomerRecord customerOf(ObjectNode fields) {
        String entity = fields.path("entity").path("id").asText(null);
        if (entity == null) {
            throw new Rejected(400, "USER_ERROR", "Please enter value(s) for: entity");
        }
        return customers.externalIdOf(entity).flatMap(customers::byExternalId).orElseThrow(() ->
                new Rejected(400, "INVALID_KEY_OR_REF", "Invalid entity reference key " + entity + "."));
    }

    private static BigDecimal amount(JsonNode node, String field, Currency currency) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber()) {
            throw new Rejected(400, "USER_ERROR", "Please enter value(s) for: " + field);
        }
        BigDecimal amount = value.decimalValue();
        if (amount.stripTrailingZeros().scale() > currency.getDefaultFractionDigits()) {
            throw new Rejected(400, "USER_ERROR", "Invalid " + field + " " + amount.toPlainString() + ": "
                    + currency.getCurrencyCode() + " has " + currency.getDefaultFractionDigits() + " decimals.");
        }
        return amount;
    }

    private static Rejected invalid(String value, String field) {
        return new Rejected(400, "USER_ERROR", "Error while accessing a resource. You have entered an Invalid"
                + " Field Value " + value + " for the following field: " + field);
    }

    private static String key(String type, String externalId) {
        return type + "/" + externalId;
    }

    // ---- deposits (issue 6: payouts) -----------------------------------------------------------------------------

    /** The sandbox chart of accounts deposits may name: internal id → type ("Bank" may receive a deposit). */
    static final Map<String, String> ACCOUNTS = Map.of("1001", "Bank", "1002", "Bank", "1099", "OthCurrAsset",
            "6010", "Expense");
    private static final Set<String> DEPOSIT_FIELDS = Set.of("externalId", "account", "subsidiary", "currency",
            "tranDate", "memo", "payment", "other", "cashBack", "department", "class", "location");
    /** Customer payment internal id → the deposit that holds it: a payment is deposited once. */
    private final Map<String, String> depositedIn = new ConcurrentHashMap<>();

    /**
     * PUT /deposit/eid:{externalId}: a bank deposit. {@code account} must be a bank account; the {@code payment}
     * sublist deposits customer payments ({@code doc}, {@code deposit: true}, {@code paymentAmount} = the payment's
     * full amount, same currency, not deposited elsewhere); {@code other} adds and {@code cashBack} takes out
     * amounts to any account. {@code total} = payments + other − cash back, computed here and never negative.
     */
    synchronized Transaction upsertDeposit(String externalId, ObjectNode body) {
        JsonNode bodyExternalId = body.get("externalId");
        if (bodyExternalId != null && !externalId.equals(bodyExternalId.asText())) {
            throw new Rejected(400, "USER_ERROR", "Error while accessing a resource. The externalId in the request"
                    + " body does not match the external ID in the URL: externalId");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!DEPOSIT_FIELDS.contains(name) && !name.startsWith("custbody")) {
                throw new Rejected(400, "INVALID_CONTENT", "Error while accessing a resource. Invalid field name: "
                        + name + ".");
            }
        });
        Transaction existing = byKey.get(key(DEPOSIT, externalId));
        ObjectNode fields = NODES.objectNode();
        fields.setAll(body);
        fields.put("externalId", externalId);
        String account = fields.path("account").path("id").asText(null);
        if (account == null) {
            throw new Rejected(400, "USER_ERROR", "Please enter value(s) for: account");
        }
        if (!"Bank".equals(ACCOUNTS.get(account))) {
            throw new Rejected(400, "INVALID_KEY_OR_REF", "Invalid account reference key " + account + ".");
        }
        String currencyId = fields.path("currency").path("id").asText(null);
        if (currencyId == null || !Subsidiary.CURRENCIES.containsKey(currencyId)) {
            throw invalid(String.valueOf(currencyId), "currency");
        }
        Currency currency = Currency.getInstance(Subsidiary.CURRENCIES.get(currencyId));
        BigDecimal total = BigDecimal.ZERO;
        List<String> payments = new java.util.ArrayList<>();
        for (JsonNode line : fields.path("payment").path("items")) {
            if (!line.path("deposit").asBoolean(false)) {
                continue;
            }
            String docId = line.path("doc").path("id").asText(null);
            Transaction payment = byInternalId(docId == null ? "" : docId)
                    .filter(t -> t.type().equals(CUSTOMER_PAYMENT))
                    .orElseThrow(() -> new Rejected(400, "INVALID_KEY_OR_REF", "Invalid doc reference key " + docId
                            + "."));
            if (!currencyId.equals(payment.currencyId())) {
                throw new Rejected(400, "USER_ERROR", "The currency of payment " + payment.externalId()
                        + " does not match the currency of the deposit.");
            }
            BigDecimal amount = amount(line, "paymentAmount", currency);
            if (amount.compareTo(payment.total()) != 0) {
                throw new Rejected(400, "USER_ERROR", "The deposited amount of payment " + payment.externalId()
                        + " (" + amount.toPlainString() + ") must equal its amount (" + payment.total().toPlainString()
                        + ").");
            }
            String holder = depositedIn.get(docId);
            if (holder != null && (existing == null || !holder.equals(existing.internalId())) || payments.contains(docId)) {
                throw new Rejected(400, "USER_ERROR", "Payment " + payment.externalId() + " has already been"
                        + " deposited.");
            }
            if (!fields.has("subsidiary")) {
                fields.set("subsidiary", payment.fields().get("subsidiary"));
            }
            payments.add(docId);
            total = total.add(amount);
        }
        for (String sublist : List.of("other", "cashBack")) {
            for (JsonNode line : fields.path(sublist).path("items")) {
                String lineAccount = line.path("account").path("id").asText(null);
                if (lineAccount == null || !ACCOUNTS.containsKey(lineAccount)) {
                    throw new Rejected(400, "INVALID_KEY_OR_REF", "Invalid " + sublist + ".account reference key "
                            + lineAccount + ".");
                }
                BigDecimal amount = amount(line, "amount", currency);
                if (amount.signum() <= 0) {
                    throw new Rejected(400, "USER_ERROR", "Invalid " + sublist + " amount " + amount.toPlainString()
                            + ": amounts are positive.");
                }
                total = sublist.equals("other") ? total.add(amount) : total.subtract(amount);
            }
        }
        if (total.signum() < 0) {
            throw new Rejected(400, "USER_ERROR", "The total of the deposit cannot be negative.");
        }
        fields.put("total", total.setScale(currency.getDefaultFractionDigits()));
        if (existing != null) {
            depositedIn.values().removeIf(existing.internalId()::equals);
        }
        Transaction stored = store(DEPOSIT, externalId, existing, fields);
        payments.forEach(id -> depositedIn.put(id, stored.internalId()));
        return stored;
    }

    /**
     * PATCH /invoice/{id}: sets custom body fields (e.g. a dispute flag) and leaves everything else as it is. The
     * simulator patches custom fields only; NetSuite would patch standard fields too, which the hub never does.
     */
    synchronized Transaction patchCustomFields(String type, String key, ObjectNode body) {
        Transaction existing = (key.startsWith("eid:") ? byExternalId(type, key.substring(4))
                : byInternalId(key).filter(t -> t.type().equals(type))).orElseThrow(CustomerRecords::missing);
        body.fieldNames().forEachRemaining(name -> {
            if (!name.startsWith("custbody")) {
                throw new Rejected(400, "INVALID_CONTENT", "Error while accessing a resource. The simulator patches"
                        + " custom body fields only: " + name + ".");
            }
        });
        ObjectNode fields = existing.fields();
        fields.setAll(body);
        return store(type, existing.externalId(), existing, fields);
    }

    /** Seeding: a deposit's total changed in NetSuite by hand (a discrepancy against its payout). */
    synchronized void changeDepositTotal(String externalId, BigDecimal total) {
        Transaction deposit = byExternalId(DEPOSIT, externalId).orElseThrow();
        ObjectNode fields = deposit.fields();
        fields.put("total", total);
        byKey.put(key(DEPOSIT, externalId), new Transaction(DEPOSIT, deposit.internalId(), externalId, fields,
                deposit.writes()));
    }

    /** Seeding: a bank deposit entered by hand (no external id), dated and totalled like the given one. */
    synchronized Transaction enterDepositByHand(String likeExternalId) {
        ObjectNode fields = byExternalId(DEPOSIT, likeExternalId).orElseThrow().fields();
        fields.remove("externalId");
        fields.remove("payment");
        return store(DEPOSIT, null, null, fields);
    }
}
