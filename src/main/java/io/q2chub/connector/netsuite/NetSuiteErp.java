package io.q2chub.connector.netsuite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.q2chub.canonical.Customer;
import io.q2chub.connector.Erp;
import io.q2chub.canonical.Money;
import io.q2chub.connector.ErpPayment;
import io.q2chub.connector.ErpPosting;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.TransientFailure;
import io.q2chub.ops.mappings.MappingLookup;
import io.q2chub.ops.mappings.ValueMappings;
import io.q2chub.ops.resilience.SystemGuard;
import io.q2chub.ops.resilience.SystemGuards;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The ERP role on NetSuite's REST Record API. Customers are keyed by the hub's canonical id as NetSuite's
 * external id ({@code PUT /customer/eid:{id}} is an upsert), so a retried or replayed write never creates a
 * second customer. Legal entity codes and ISO currencies are mapped to NetSuite internal ids through the hub's value
 * mappings ({@code netsuite/subsidiary}, {@code netsuite/currency}; seeded from {@code q2c.netsuite.subsidiaries} and
 * {@code q2c.netsuite.currencies}) because those ids differ per account and an operator adds them at run time.
 */
@ApplicationScoped
@Named("netsuite")
@RegisterForReflection
public class NetSuiteErp implements Erp {

    // Exact decimals when reading amounts back (amountRemaining 12.345 KWD), never through a double.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

    private final NetSuiteSettings settings;
    private final RecordApiClient api;
    private final List<String> missingKeys;
    private final MappingLookup mappings;

    /**
     * For plain tests and manual wiring: the mappings are the settings' and never change; its own concurrency budget
     * (q2c.netsuite.max-concurrency), no circuit.
     */
    public NetSuiteErp(NetSuiteSettings settings) {
        this(Objects.requireNonNull(settings, "settings"), List.of(), MappingLookup.fixed(Map.of(
                NetSuiteMappings.SUBSIDIARY, settings.subsidiaries(), NetSuiteMappings.CURRENCY, settings.currencies(),
                NetSuiteMappings.ITEM, Map.of())),
                SystemGuard.budgetOnly(RecordApiClient.SYSTEM, settings.maxConcurrency()));
    }

    /**
     * From {@code q2c.netsuite.*}; the hub starts without them, and only using the connector then fails. Requests
     * pass the hub's shared NetSuite guard ({@code q2c.resilience.netsuite.*}).
     */
    @Inject
    NetSuiteErp(NetSuiteConfig config, ValueMappings mappings, SystemGuards guards) {
        this(NetSuiteSettings.from(config).orElse(null), NetSuiteSettings.missingKeys(config),
                mappings.forSystem(RecordApiClient.SYSTEM), guards.forSystem(RecordApiClient.SYSTEM));
    }

    /** From configuration, outside the hub's shared guard (tests of the unconfigured connector). */
    NetSuiteErp(NetSuiteConfig config, MappingLookup mappings) {
        this(NetSuiteSettings.from(config).orElse(null), NetSuiteSettings.missingKeys(config), mappings,
                SystemGuard.budgetOnly(RecordApiClient.SYSTEM, Math.max(1, config.maxConcurrency())));
    }

    NetSuiteErp(NetSuiteSettings settings, List<String> missingKeys, MappingLookup mappings, SystemGuard guard) {
        this.settings = settings;
        this.api = settings == null ? null : new RecordApiClient(settings, guard);
        this.missingKeys = missingKeys;
        this.mappings = mappings;
    }

    @Override
    public String system() {
        return RecordApiClient.SYSTEM;
    }

    @Override
    public String upsertCustomer(Customer customer, String subsidiary) {
        requireConfigured();
        ObjectNode body = JSON.createObjectNode()
                .put("externalId", customer.id())
                .put("companyName", customer.name())
                .put("isInactive", customer.status() == Customer.Status.INACTIVE);
        body.putObject("subsidiary").put("id", subsidiaryId(subsidiary != null ? subsidiary : customer.legalEntity()));
        if (customer.currency() != null) {
            body.putObject("currency").put("id", currencyId(customer.currency().getCurrencyCode()));
        }
        if (customer.email() != null) {
            body.put("email", customer.email());
        }
        String path = customerPath(customer.id());
        HttpResponse<String> response = api.send("PUT", path, body.toString());
        if (response.statusCode() == 404) {
            throw NetSuiteError.of(404, response.body()).failure("PUT " + path);
        }
        return internalIdFrom(response, path);
    }

    @Override
    public void deactivateCustomer(String canonicalId) {
        requireConfigured();
        String path = customerPath(canonicalId);
        HttpResponse<String> response = api.send("PATCH", path, "{\"isInactive\":true}");
        if (response.statusCode() == 404) {
            // nothing to deactivate is not success: the hub believed NetSuite had this customer
            throw NetSuiteError.of(404, response.body()).failure("PATCH " + path);
        }
    }

    @Override
    public Optional<ErpCustomer> findCustomer(String canonicalId) {
        requireConfigured();
        HttpResponse<String> response = api.send("GET", customerPath(canonicalId), null);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        JsonNode record = parse(response.body());
        String subsidiaryId = record.path("subsidiary").path("id").asText(null);
        return Optional.of(new ErpCustomer(record.path("id").asText(), record.path("externalId").asText(null),
                record.path("companyName").asText(null), legalEntityOf(subsidiaryId),
                record.path("isInactive").asBoolean(false), record.path("receivablesAccount").path("id").asText(null)));
    }

    /**
     * SuiteQL over the transaction table (type CustInvc), 1000 rows a page (NetSuite's maximum), with the currency's
     * ISO code from the currency table: ceil(n / 1000) calls. Amounts are exact in the invoice's own currency.
     */
    @Override
    public List<ErpInvoice> listInvoices(LocalDate from, LocalDate to) {
        requireConfigured();
        String query = "SELECT t.id, t.externalid, t.tranid, t.trandate, t.foreigntotal, t.foreignamountremaining,"
                + " c.symbol AS currency FROM transaction t JOIN currency c ON c.id = t.currency"
                + " WHERE t.type = 'CustInvc' AND t.trandate >= TO_DATE('" + from + "', 'YYYY-MM-DD')"
                + " AND t.trandate < TO_DATE('" + to + "', 'YYYY-MM-DD') ORDER BY t.id";
        List<ErpInvoice> invoices = new java.util.ArrayList<>();
        int limit = 1000;
        for (int offset = 0; ; offset += limit) {
            JsonNode page = parse(api.suiteQl(query, limit, offset).body());
            for (JsonNode row : page.path("items")) {
                String currency = row.path("currency").asText();
                invoices.add(new ErpInvoice(row.path("id").asText(), textOrNull(row, "externalid"),
                        textOrNull(row, "tranid"), LocalDate.parse(row.path("trandate").asText()),
                        io.q2chub.canonical.Money.parse(row.path("foreigntotal").asText(), currency),
                        io.q2chub.canonical.Money.parse(row.path("foreignamountremaining").asText("0"), currency)));
            }
            if (!page.path("hasMore").asBoolean(false)) {
                return invoices;
            }
        }
    }

    /**
     * SuiteQL on {@code transaction} of types {@code CustPymt} (customer payment) and {@code CustRfnd} (customer
     * refund) dated in the range, joined to {@code currency} for the ISO code, 1,000 rows a page as for invoices:
     * ceil(n / 1000) calls.
     */
    @Override
    public List<ErpReceipt> listPayments(LocalDate from, LocalDate to) {
        requireConfigured();
        String query = "SELECT t.id, t.externalid, t.type, t.tranid, t.trandate, t.foreigntotal,"
                + " c.symbol AS currency FROM transaction t JOIN currency c ON c.id = t.currency"
                + " WHERE t.type IN ('CustPymt', 'CustRfnd') AND t.trandate >= TO_DATE('" + from + "', 'YYYY-MM-DD')"
                + " AND t.trandate < TO_DATE('" + to + "', 'YYYY-MM-DD') ORDER BY t.id";
        List<ErpReceipt> receipts = new java.util.ArrayList<>();
        int limit = 1000;
        for (int offset = 0; ; offset += limit) {
            JsonNode page = parse(api.suiteQl(query, limit, offset).body());
            for (JsonNode row : page.path("items")) {
                io.q2chub.canonical.Payment.Kind kind = "CustRfnd".equals(row.path("type").asText())
                        ? io.q2chub.canonical.Payment.Kind.REFUND : io.q2chub.canonical.Payment.Kind.PAYMENT;
                // NetSuite may sign a refund's total negative (money out); the kind says the direction.
                Money amount = Money.parse(new BigDecimal(row.path("foreigntotal").asText()).abs().toPlainString(),
                        row.path("currency").asText());
                receipts.add(new ErpReceipt(kind, row.path("id").asText(), textOrNull(row, "externalid"),
                        textOrNull(row, "tranid"), LocalDate.parse(row.path("trandate").asText()), amount));
            }
            if (!page.path("hasMore").asBoolean(false)) {
                return receipts;
            }
        }
    }

    private static String textOrNull(JsonNode row, String field) {
        JsonNode value = row.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }

    @Override
    public String postInvoice(ErpPosting posting) {
        requireConfigured();
        String path = "/invoice/eid:" + TokenBasedAuth.encode(posting.externalId());
        String body = NetSuitePostings.transaction(posting, this::itemId, subsidiaryId(posting.legalEntity()),
                currencyId(posting.currency().getCurrencyCode())).toString();
        return upsert(path, body);
    }

    @Override
    public String postCreditMemo(ErpPosting posting, String invoiceErpId) {
        requireConfigured();
        String path = "/creditMemo/eid:" + TokenBasedAuth.encode(posting.externalId());
        String body = NetSuitePostings.creditMemo(posting, this::itemId, subsidiaryId(posting.legalEntity()),
                currencyId(posting.currency().getCurrencyCode()), invoiceErpId).toString();
        return upsert(path, body);
    }

    /**
     * REST has no "void" (transaction.void is SuiteScript only), so a void is what NetSuite's transform gives: the
     * invoice transformed into a credit memo with all its lines, applied to it in full. The transform is not an
     * upsert, so the credit memo is looked up by its external id first: a retry returns the first reversal.
     */
    @Override
    public String reverseInvoice(String reversalId, String invoiceErpId, LocalDate date, String memo) {
        requireConfigured();
        String existing = "/creditMemo/eid:" + TokenBasedAuth.encode(reversalId);
        HttpResponse<String> found = api.send("GET", existing, null);
        if (found.statusCode() != 404) {
            return parse(found.body()).path("id").asText();
        }
        ObjectNode body = JSON.createObjectNode().put("externalId", reversalId);
        if (date != null) {
            body.put("tranDate", date.toString());
        }
        if (memo != null) {
            body.put("memo", memo);
        }
        String path = "/invoice/" + TokenBasedAuth.encode(invoiceErpId) + "/!transform/creditMemo";
        HttpResponse<String> response = api.send("POST", path, body.toString());
        if (response.statusCode() == 404) {
            throw NetSuiteError.of(404, response.body()).failure("POST " + path);
        }
        return internalIdFrom(response, path);
    }

    /**
     * {@code GET /customerPayment/eid:{id}} first: a payment NetSuite already holds is returned as it is (a
     * redelivery must not re-apply it against a balance that already counts it). Otherwise the invoice's amount
     * remaining decides the application ({@code GET /invoice/{id}}), and {@code PUT /customerPayment/eid:{id}}
     * records the payment with that application; the rest is unapplied credit on the customer.
     */
    @Override
    public ErpPayment.Applied applyPayment(ErpPayment payment) {
        requireConfigured();
        String path = "/customerPayment/eid:" + TokenBasedAuth.encode(payment.externalId());
        HttpResponse<String> found = api.send("GET", path, null);
        if (found.statusCode() != 404) {
            return applied(parse(found.body()), payment.amount().currency());
        }
        Money toApply = Money.zero(payment.amount().currency());
        if (payment.invoiceErpId() != null) {
            String invoicePath = "/invoice/" + TokenBasedAuth.encode(payment.invoiceErpId());
            HttpResponse<String> invoice = api.send("GET", invoicePath, null);
            if (invoice.statusCode() == 404) {
                throw NetSuiteError.of(404, invoice.body()).failure("GET " + invoicePath);
            }
            BigDecimal remaining = parse(invoice.body()).path("amountRemaining").decimalValue();
            Money owed = Money.parse(remaining.toPlainString(), payment.amount().currency().getCurrencyCode());
            toApply = owed.minorUnits() < payment.amount().minorUnits() ? owed : payment.amount();
        }
        ObjectNode body = JSON.createObjectNode().put("externalId", payment.externalId());
        body.putObject("customer").put("id", payment.erpCustomerId());
        body.putObject("currency").put("id", currencyId(payment.amount().currency().getCurrencyCode()));
        if (payment.date() != null) {
            body.put("tranDate", payment.date().toString());
        }
        body.put("payment", payment.amount().toBigDecimal());
        if (payment.memo() != null) {
            body.put("memo", payment.memo());
        }
        if (toApply.minorUnits() > 0) {
            ObjectNode line = body.putObject("apply").putArray("items").addObject();
            line.putObject("doc").put("id", payment.invoiceErpId());
            line.put("apply", true);
            line.put("amount", toApply.toBigDecimal());
        }
        String erpId = upsert(path, body.toString());
        return new ErpPayment.Applied(erpId, toApply, payment.amount().minus(toApply));
    }

    /** {@code GET /customerRefund/eid:{id}} (already refunded?), else {@code PUT} against the customer payment. */
    @Override
    public String refundPayment(String refundId, String erpCustomerId, String paymentErpId, Money amount,
            LocalDate date, String memo) {
        requireConfigured();
        String path = "/customerRefund/eid:" + TokenBasedAuth.encode(refundId);
        HttpResponse<String> found = api.send("GET", path, null);
        if (found.statusCode() != 404) {
            return parse(found.body()).path("id").asText();
        }
        ObjectNode body = JSON.createObjectNode().put("externalId", refundId);
        body.putObject("customer").put("id", erpCustomerId);
        body.putObject("currency").put("id", currencyId(amount.currency().getCurrencyCode()));
        if (date != null) {
            body.put("tranDate", date.toString());
        }
        if (memo != null) {
            body.put("memo", memo);
        }
        ObjectNode line = body.putObject("apply").putArray("items").addObject();
        line.putObject("doc").put("id", paymentErpId);
        line.put("apply", true);
        line.put("amount", amount.toBigDecimal());
        return upsert(path, body.toString());
    }

    private static ErpPayment.Applied applied(JsonNode record, java.util.Currency currency) {
        return new ErpPayment.Applied(record.path("id").asText(),
                Money.parse(record.path("applied").decimalValue().toPlainString(), currency.getCurrencyCode()),
                Money.parse(record.path("unapplied").decimalValue().toPlainString(), currency.getCurrencyCode()));
    }

    private String upsert(String path, String body) {
        HttpResponse<String> response = api.send("PUT", path, body);
        if (response.statusCode() == 404) {
            throw NetSuiteError.of(404, response.body()).failure("PUT " + path);
        }
        return internalIdFrom(response, path);
    }

    private String itemId(String sku) {
        return mappings.target(NetSuiteMappings.ITEM, sku).orElseThrow(() -> new BusinessFailure(system(),
                "NETSUITE_UNMAPPED_ITEM", "SKU " + sku + " has no NetSuite item id: add it with PUT /api/mappings/"
                + "netsuite/item/" + sku + " (or q2c.netsuite.items), then replay"));
    }

    private void requireConfigured() {
        if (settings == null) {
            throw new BusinessFailure(system(), "NETSUITE_NOT_CONFIGURED",
                    "the NetSuite connector is used but not configured; missing " + String.join(", ", missingKeys));
        }
    }

    private String subsidiaryId(String legalEntity) {
        if (legalEntity == null) {
            throw new BusinessFailure(system(), "NETSUITE_SUBSIDIARY_MISSING",
                    "no legal entity given: every NetSuite OneWorld customer belongs to a subsidiary");
        }
        return mappings.target(NetSuiteMappings.SUBSIDIARY, legalEntity).orElseThrow(() -> new BusinessFailure(
                system(), "NETSUITE_UNMAPPED_SUBSIDIARY", "legal entity '" + legalEntity + "' has no NetSuite"
                + " subsidiary id: add it with PUT /api/mappings/netsuite/subsidiary/" + legalEntity
                + " (or q2c.netsuite.subsidiaries), then replay"));
    }

    private String currencyId(String isoCode) {
        return mappings.target(NetSuiteMappings.CURRENCY, isoCode).orElseThrow(() -> new BusinessFailure(
                system(), "NETSUITE_UNMAPPED_CURRENCY", "currency " + isoCode + " has no NetSuite currency id: add it"
                + " with PUT /api/mappings/netsuite/currency/" + isoCode + " (or q2c.netsuite.currencies), then replay"));
    }

    /** The subsidiary's legal entity code, or its internal id when no mapping names it. */
    private String legalEntityOf(String subsidiaryId) {
        return subsidiaryId == null ? null : mappings.code(NetSuiteMappings.SUBSIDIARY, subsidiaryId).orElse(subsidiaryId);
    }

    /** NetSuite answers an upsert 204 with the record's URL: its internal id, without a second request. */
    private String internalIdFrom(HttpResponse<String> response, String path) {
        String location = response.headers().firstValue("Location").orElse("");
        int slash = location.lastIndexOf('/');
        String id = slash < 0 ? "" : location.substring(slash + 1);
        if (id.isEmpty() || !id.chars().allMatch(Character::isDigit)) {
            // the write landed (it is an upsert, so repeating it is safe): retry to learn the id
            throw new TransientFailure(system(), "NETSUITE_NO_LOCATION", "NetSuite PUT " + path
                    + " answered " + response.statusCode() + " without a record Location");
        }
        return id;
    }

    private static String customerPath(String canonicalId) {
        return "/customer/eid:" + TokenBasedAuth.encode(canonicalId);
    }

    private JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new TransientFailure(system(), "NETSUITE_BAD_RESPONSE", "NetSuite answered unreadable JSON", e);
        }
    }

    // ---- deposits (issue 6: payouts) ---------------------------------------------------------------------------

    /**
     * {@code GET /deposit/eid:{id}} first (a deposit NetSuite holds is returned as it is), else {@code PUT
     * /deposit/eid:{id}}: {@code account} = the bank account (netsuite/account mapping {@code deposit-<ISO>}, else
     * {@code deposit}), the {@code payment} sublist marks the customer payments deposited, and {@code cashBack}
     * lines take out refunds (account {@code refund-clearing}) and the processor's fees (account {@code bank-fee}).
     */
    @Override
    public String recordDeposit(io.q2chub.connector.ErpDeposit deposit) {
        requireConfigured();
        String path = "/deposit/eid:" + TokenBasedAuth.encode(deposit.externalId());
        HttpResponse<String> found = api.send("GET", path, null);
        if (found.statusCode() != 404) {
            return parse(found.body()).path("id").asText();
        }
        String currency = deposit.net().currency().getCurrencyCode();
        ObjectNode body = JSON.createObjectNode().put("externalId", deposit.externalId());
        body.putObject("account").put("id", account("deposit-" + currency, "deposit"));
        body.putObject("currency").put("id", currencyId(currency));
        if (deposit.date() != null) {
            body.put("tranDate", deposit.date().toString());
        }
        if (deposit.memo() != null) {
            body.put("memo", deposit.memo());
        }
        var payments = body.putObject("payment").putArray("items");
        for (io.q2chub.connector.ErpDeposit.Deposited payment : deposit.payments()) {
            ObjectNode line = payments.addObject();
            line.putObject("doc").put("id", payment.erpPaymentId());
            line.put("deposit", true);
            line.put("paymentAmount", payment.amount().toBigDecimal());
        }
        var cashBack = body.putObject("cashBack").putArray("items");
        for (io.q2chub.connector.ErpDeposit.Withdrawal withdrawal : deposit.withdrawals()) {
            String purpose = withdrawal.purpose() == io.q2chub.connector.ErpDeposit.Purpose.FEE ? "bank-fee"
                    : "refund-clearing";
            ObjectNode line = cashBack.addObject();
            line.putObject("account").put("id", account(purpose + "-" + currency, purpose));
            line.put("amount", withdrawal.amount().toBigDecimal());
            if (withdrawal.memo() != null) {
                line.put("memo", withdrawal.memo());
            }
        }
        return upsert(path, body.toString());
    }

    private String account(String specific, String general) {
        return mappings.target(NetSuiteMappings.ACCOUNT, specific)
                .or(() -> mappings.target(NetSuiteMappings.ACCOUNT, general))
                .orElseThrow(() -> new BusinessFailure(system(), "NETSUITE_UNMAPPED_ACCOUNT", "no NetSuite account"
                        + " for " + general + ": add it with PUT /api/mappings/netsuite/account/" + general
                        + " (or q2c.netsuite.accounts), then replay"));
    }

    // ---- dispute flags (issue 6: disputes) ---------------------------------------------------------------------

    /** Visible to finance on the invoice: dispute id and state; empty once the dispute is won. */
    static final String DISPUTE_FLAG = "custbody_q2c_dispute";
    /** What the flag was last set from ({@code du_…|LOST|2026-11-27T09:00:00Z}), to keep the latest state. */
    static final String DISPUTE_STATE = "custbody_q2c_dispute_state";

    /**
     * {@code GET /customerPayment/{id}} names the invoices it was applied to; for each, {@code GET /invoice/{id}}
     * reads the state its flag was set from, and {@code PATCH /invoice/{id}} sets both custom body fields when the
     * new mark supersedes it.
     */
    @Override
    public List<String> markDispute(String paymentErpId, DisputeMark mark) {
        requireConfigured();
        String paymentPath = "/customerPayment/" + TokenBasedAuth.encode(paymentErpId);
        HttpResponse<String> payment = api.send("GET", paymentPath, null);
        if (payment.statusCode() == 404) {
            throw NetSuiteError.of(404, payment.body()).failure("GET " + paymentPath);
        }
        List<String> changed = new java.util.ArrayList<>();
        for (JsonNode application : parse(payment.body()).path("apply").path("items")) {
            if (!application.path("apply").asBoolean(false)) {
                continue;
            }
            String invoicePath = "/invoice/" + TokenBasedAuth.encode(application.path("doc").path("id").asText());
            HttpResponse<String> invoice = api.send("GET", invoicePath, null);
            if (invoice.statusCode() == 404) {
                throw NetSuiteError.of(404, invoice.body()).failure("GET " + invoicePath);
            }
            if (!mark.supersedes(disputeState(parse(invoice.body()).path(DISPUTE_STATE).asText("")))) {
                continue;
            }
            ObjectNode patch = JSON.createObjectNode();
            patch.put(DISPUTE_FLAG, switch (mark.status()) {
                case "WON" -> "";
                case "LOST" -> mark.disputeId() + " lost " + mark.at();
                default -> mark.disputeId() + " open since " + mark.at();
            });
            patch.put(DISPUTE_STATE, mark.disputeId() + "|" + mark.status() + "|" + mark.at());
            HttpResponse<String> patched = api.send("PATCH", invoicePath, patch.toString());
            if (patched.statusCode() >= 300) {
                throw NetSuiteError.of(patched.statusCode(), patched.body()).failure("PATCH " + invoicePath);
            }
            changed.add(application.path("doc").path("id").asText());
        }
        return changed;
    }

    private static DisputeMark disputeState(String text) {
        String[] parts = text.split("\\|");
        if (parts.length != 3) {
            return null;
        }
        try {
            return new DisputeMark(parts[0], parts[1], java.time.Instant.parse(parts[2]));
        } catch (java.time.format.DateTimeParseException e) {
            return null; // edited by hand: the hub's mark replaces it
        }
    }

    // ---- failed payment flags (issue 6: failed payments) -------------------------------------------------------

    /** Visible to finance on the invoice: the latest decline, e.g. {@code insufficient_funds (attempt 2, …)}. */
    static final String PAYMENT_FAILURE_FLAG = "custbody_q2c_payment_failure";
    /** How many attempts failed: only grows, so an older attempt delivered late changes nothing. */
    static final String PAYMENT_FAILURE_ATTEMPTS = "custbody_q2c_payment_attempts";

    /** {@code GET /invoice/{id}} for the attempts it shows, {@code PATCH /invoice/{id}} when this one is later. */
    @Override
    public boolean markPaymentFailure(String invoiceErpId, String declineCode, int attemptCount,
            java.time.Instant failedAt) {
        requireConfigured();
        String invoicePath = "/invoice/" + TokenBasedAuth.encode(invoiceErpId);
        HttpResponse<String> invoice = api.send("GET", invoicePath, null);
        if (invoice.statusCode() == 404) {
            throw NetSuiteError.of(404, invoice.body()).failure("GET " + invoicePath);
        }
        if (parse(invoice.body()).path(PAYMENT_FAILURE_ATTEMPTS).asInt(0) >= attemptCount) {
            return false;
        }
        ObjectNode patch = JSON.createObjectNode();
        patch.put(PAYMENT_FAILURE_FLAG, (declineCode == null ? "declined" : declineCode) + " (attempt " + attemptCount
                + ", " + failedAt + ")");
        patch.put(PAYMENT_FAILURE_ATTEMPTS, attemptCount);
        HttpResponse<String> patched = api.send("PATCH", invoicePath, patch.toString());
        if (patched.statusCode() >= 300) {
            throw NetSuiteError.of(patched.statusCode(), patched.body()).failure("PATCH " + invoicePath);
        }
        return true;
    }

    // ---- deposits in the reconciliation (issue 6) ----------------------------------------------------------------

    /** SuiteQL on transaction type 'Deposit' dated in the range, 1000 rows a page. */
    @Override
    public List<HeldDeposit> listDeposits(LocalDate from, LocalDate to) {
        requireConfigured();
        String query = "SELECT t.id, t.externalid, t.trandate, t.foreigntotal, c.symbol AS currency FROM transaction t"
                + " JOIN currency c ON c.id = t.currency WHERE t.type = 'Deposit' AND t.trandate >= TO_DATE('" + from
                + "', 'YYYY-MM-DD') AND t.trandate < TO_DATE('" + to + "', 'YYYY-MM-DD') ORDER BY t.id";
        List<HeldDeposit> deposits = new java.util.ArrayList<>();
        int limit = 1000;
        for (int offset = 0; ; offset += limit) {
            JsonNode page = parse(api.suiteQl(query, limit, offset).body());
            for (JsonNode row : page.path("items")) {
                deposits.add(new HeldDeposit(row.path("id").asText(), textOrNull(row, "externalid"),
                        LocalDate.parse(row.path("trandate").asText()), io.q2chub.canonical.Money.parse(
                                row.path("foreigntotal").asText(), row.path("currency").asText())));
            }
            if (!page.path("hasMore").asBoolean(false)) {
                return deposits;
            }
        }
    }
}
