package io.q2chub.connector.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.model.CreditNote;
import com.stripe.model.Customer;
import com.stripe.model.Invoice;
import com.stripe.param.CreditNoteRetrieveParams;
import com.stripe.param.InvoiceListParams;
import com.stripe.param.InvoiceRetrieveParams;
import com.stripe.param.InvoiceUpdateParams;
import com.stripe.model.StripeSearchResult;
import com.stripe.model.Subscription;
import com.stripe.param.SubscriptionCreateParams;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerSearchParams;
import com.stripe.param.CustomerUpdateParams;
import io.q2chub.connector.Billing;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.resilience.SystemGuard;
import io.q2chub.ops.resilience.SystemGuards;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The billing role on Stripe, through stripe-java's per-instance {@link StripeClient} (no global
 * {@code Stripe.apiKey}, so two configurations can live side by side, e.g. in tests).
 *
 * <p>Without {@code q2c.stripe.api-key} the hub still starts (most deployments bill elsewhere); only a call to
 * this bean then fails, naming the missing key.
 */
@ApplicationScoped
@Named("stripe")
@RegisterForReflection
public class StripeBilling implements Billing {

    private static final Logger LOG = Logger.getLogger(StripeBilling.class);
    // One match is the normal case; a few more are enough to name the duplicates in the failure.
    private static final long SEARCH_LIMIT = 10;
    static final String ERP_ID = "erp_id";
    static final String ERP_NUMBER = "erp_number";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final StripeClient client;
    private final StripeFailures failures;
    private final SystemGuard guard;

    /** For plain Java use and tests: a client for exactly these settings, outside the hub's shared Stripe guard. */
    public StripeBilling(StripeSettings settings) {
        this.client = clientFor(settings);
        this.failures = new StripeFailures(settings.apiKey());
        this.guard = null;
    }

    /** As the hub builds it, but outside the shared guard (tests of the unconfigured connector). */
    StripeBilling(Optional<String> apiKey, String apiBase, Duration connectTimeout, Duration readTimeout) {
        Optional<StripeSettings> settings = apiKey.filter(key -> !key.isBlank())
                .map(key -> new StripeSettings(key, apiBase, connectTimeout, readTimeout));
        this.client = settings.map(StripeBilling::clientFor).orElse(null);
        this.failures = new StripeFailures(settings.map(StripeSettings::apiKey).orElse(null));
        this.guard = null;
    }

    /** Calls pass the hub's shared Stripe guard ({@code q2c.resilience.stripe.*}: requests per second, circuit). */
    @Inject
    StripeBilling(@ConfigProperty(name = "q2c.stripe.api-key") Optional<String> apiKey,
            @ConfigProperty(name = "q2c.stripe.api-base", defaultValue = StripeSettings.DEFAULT_API_BASE) String apiBase,
            @ConfigProperty(name = "q2c.stripe.connect-timeout", defaultValue = "PT30S") Duration connectTimeout,
            @ConfigProperty(name = "q2c.stripe.read-timeout", defaultValue = "PT80S") Duration readTimeout,
            SystemGuards guards) {
        Optional<StripeSettings> settings = apiKey.filter(key -> !key.isBlank())
                .map(key -> new StripeSettings(key, apiBase, connectTimeout, readTimeout));
        this.client = settings.map(StripeBilling::clientFor).orElse(null);
        this.failures = new StripeFailures(settings.map(StripeSettings::apiKey).orElse(null));
        this.guard = guards.forSystem(StripeFailures.SYSTEM);
    }

    private static StripeClient clientFor(StripeSettings settings) {
        return StripeClient.builder()
                .setApiKey(settings.apiKey())
                .setApiBase(settings.apiBase())
                .setConnectTimeout(Math.toIntExact(settings.connectTimeout().toMillis()))
                .setReadTimeout(Math.toIntExact(settings.readTimeout().toMillis()))
                // The route owns retries (backoff, parking): a library retry inside it would hide the failure
                // from the classification and multiply the attempts.
                .setMaxNetworkRetries(0)
                // each request in a client span of the caller's trace (README "Tracing and logs")
                .setHttpClient(new TracedStripeHttpClient())
                .build();
    }

    @Override
    public String system() {
        return StripeFailures.SYSTEM;
    }

    /**
     * One call when the billing id is known (update). Otherwise a search by canonical id first, then an update
     * of what it found or a create: two calls. The search is the safety net for a retry that arrives after
     * Stripe pruned the idempotency key (24 h); within those 24 h the key alone prevents a second customer,
     * which matters because Stripe's search index lags writes by up to about a minute.
     */
    @Override
    public String upsertCustomer(io.q2chub.canonical.Customer customer, String billingId, String idempotencyKey) {
        requireKey(idempotencyKey);
        CustomerFields fields = CustomerFields.of(customer);
        if (billingId != null && !billingId.isBlank()) {
            return update(billingId, fields.toUpdate(), idempotencyKey);
        }
        Optional<String> existing = findCustomerByCanonicalId(customer.id());
        if (existing.isPresent()) {
            LOG.debugf("Stripe customer %s found by canonical id %s; updating it", existing.get(), customer.id());
            return update(existing.get(), fields.toUpdate(), idempotencyKey);
        }
        return create(fields, idempotencyKey);
    }

    @Override
    public void deactivateCustomer(String billingId, String idempotencyKey) {
        requireKey(idempotencyKey);
        CustomerUpdateParams params = CustomerUpdateParams.builder()
                .putMetadata(CustomerFields.STATUS, CustomerFields.INACTIVE)
                .build();
        call("deactivate customer " + billingId, () -> client().v1().customers()
                .update(billingId, params, keyed(idempotencyKey + ":deactivate")));
    }

    @Override
    public Optional<String> findCustomerByCanonicalId(String canonicalId) {
        CustomerSearchParams params = CustomerSearchParams.builder()
                .setQuery(CustomerFields.canonicalIdQuery(canonicalId))
                .setLimit(SEARCH_LIMIT)
                .build();
        StripeSearchResult<Customer> result = call("search customer " + canonicalId,
                () -> client().v1().customers().search(params));
        List<String> ids = result.getData().stream().map(Customer::getId).toList();
        if (ids.size() > 1) {
            // Two Stripe customers claim one canonical customer: someone must merge them, guessing would bill twice.
            throw new BusinessFailure(system(), "duplicate_customer",
                    "Stripe holds " + ids.size() + " customers with canonical_id " + canonicalId + ": " + ids);
        }
        return ids.stream().findFirst();
    }

    @Override
    public io.q2chub.canonical.Invoice fetchInvoice(String billingInvoiceId) {
        return StripeInvoiceJson.invoice(invoiceJson(billingInvoiceId));
    }

    /** The Stripe customer a charge belongs to (a dispute names only its charge). */
    public String chargeCustomer(String chargeId) {
        return call("retrieve charge " + chargeId, () -> client().v1().charges().retrieve(chargeId)).getCustomer();
    }

    @Override
    public io.q2chub.canonical.Invoice fetchCreditNote(String billingCreditNoteId) {
        CreditNoteRetrieveParams params = CreditNoteRetrieveParams.builder()
                .addExpand(StripeInvoiceJson.LINE_TAX_RATES)
                .build();
        CreditNote note = call("retrieve credit note " + billingCreditNoteId,
                () -> client().v1().creditNotes().retrieve(billingCreditNoteId, params));
        JsonNode json = rawJson(note);
        return StripeInvoiceJson.creditNote(json, invoiceJson(json.path("invoice").asText()));
    }

    /**
     * Metadata keys {@code erp_id} and {@code erp_number}: Stripe allows metadata on finalized (and voided)
     * invoices, and a repeated write of the same values is harmless, so the key only spares a second request.
     */
    @Override
    public void markInvoicePosted(String billingInvoiceId, String erpId, String erpNumber, String idempotencyKey) {
        requireKey(idempotencyKey);
        InvoiceUpdateParams params = InvoiceUpdateParams.builder()
                .putMetadata(ERP_ID, erpId)
                .putMetadata(ERP_NUMBER, erpNumber == null ? "" : erpNumber)
                .build();
        call("mark invoice posted " + billingInvoiceId, () -> client().v1().invoices()
                .update(billingInvoiceId, params, keyed(idempotencyKey + ":posted")));
    }

    /**
     * GET /v1/invoices with {@code created[gte]}/{@code created[lt]}, 100 per page (Stripe's maximum), paged with
     * {@code starting_after}: ceil(n / 100) calls, each through the guard. Drafts are not issued and are left out.
     */
    @Override
    public List<BillingInvoice> listInvoices(Instant from, Instant to) {
        List<BillingInvoice> invoices = new java.util.ArrayList<>();
        String after = null;
        while (true) {
            InvoiceListParams.Builder params = InvoiceListParams.builder()
                    .setCreated(InvoiceListParams.Created.builder()
                            .setGte(from.getEpochSecond()).setLt(to.getEpochSecond()).build())
                    .setLimit(100L);
            if (after != null) {
                params.setStartingAfter(after);
            }
            InvoiceListParams page = params.build();
            com.stripe.model.StripeCollection<Invoice> list = call("list invoices",
                    () -> client().v1().invoices().list(page));
            JsonNode json = rawJson(list.getLastResponse().body());
            for (JsonNode in : json.path("data")) {
                after = in.path("id").asText();
                String status = in.path("status").asText("");
                if (!status.equals("draft")) {
                    invoices.add(StripeInvoiceJson.listed(in));
                }
            }
            if (!json.path("has_more").asBoolean(false) || after == null) {
                return invoices;
            }
        }
    }

    /**
     * GET /v1/invoice_payments ({@code status=paid}) and GET /v1/refunds, each with {@code created[gte]}/{@code
     * created[lt]}, 100 per page, paged with {@code starting_after}: ceil(p / 100) + ceil(r / 100) calls. Refunds
     * that did not succeed moved no money and are left out.
     */
    @Override
    public List<BillingPayment> listPayments(Instant from, Instant to) {
        List<BillingPayment> listed = new java.util.ArrayList<>();
        pages("list invoice payments", after -> {
            com.stripe.param.InvoicePaymentListParams.Builder params = com.stripe.param.InvoicePaymentListParams
                    .builder().setStatus(com.stripe.param.InvoicePaymentListParams.Status.PAID).setLimit(100L)
                    .setCreated(com.stripe.param.InvoicePaymentListParams.Created.builder()
                            .setGte(from.getEpochSecond()).setLt(to.getEpochSecond()).build());
            if (after != null) {
                params.setStartingAfter(after);
            }
            return client().v1().invoicePayments().list(params.build()).getLastResponse().body();
        }, json -> listed.add(invoicePayment(json)));
        pages("list refunds", after -> {
            com.stripe.param.RefundListParams.Builder params = com.stripe.param.RefundListParams.builder()
                    .setLimit(100L).setCreated(com.stripe.param.RefundListParams.Created.builder()
                            .setGte(from.getEpochSecond()).setLt(to.getEpochSecond()).build());
            if (after != null) {
                params.setStartingAfter(after);
            }
            return client().v1().refunds().list(params.build()).getLastResponse().body();
        }, json -> {
            if ("succeeded".equals(json.path("status").asText())) {
                listed.add(new BillingPayment(io.q2chub.canonical.Payment.Kind.REFUND, json.path("id").asText(),
                        json.path("id").asText(), StripePaymentJson.money(json.path("amount"), json.path("currency")),
                        null, StripePaymentJson.refundedPayment(json), Instant.ofEpochSecond(json.path("created")
                                .asLong())));
            }
        });
        return listed;
    }

    /** GET /v1/invoice_payments?invoice=…&status=paid: an invoice has few payments, so one page is the rule. */
    @Override
    public List<BillingPayment> paymentsOfInvoice(String billingInvoiceId) {
        List<BillingPayment> listed = new java.util.ArrayList<>();
        pages("list payments of invoice " + billingInvoiceId, after -> {
            com.stripe.param.InvoicePaymentListParams.Builder params = com.stripe.param.InvoicePaymentListParams
                    .builder().setInvoice(billingInvoiceId).setLimit(100L)
                    .setStatus(com.stripe.param.InvoicePaymentListParams.Status.PAID);
            if (after != null) {
                params.setStartingAfter(after);
            }
            return client().v1().invoicePayments().list(params.build()).getLastResponse().body();
        }, json -> listed.add(invoicePayment(json)));
        return listed;
    }

    /**
     * Two calls: the invoice payment and its invoice (an invoice payment names no customer), or the refund and its
     * charge (for the customer and the payment method).
     */
    @Override
    public io.q2chub.canonical.Payment fetchPayment(BillingPayment listed) {
        if (listed.kind() == io.q2chub.canonical.Payment.Kind.PAYMENT) {
            JsonNode payment = rawJson(call("retrieve invoice payment " + listed.id(),
                    () -> client().v1().invoicePayments().retrieve(listed.id())));
            String invoice = payment.path("invoice").asText();
            Invoice owner = call("retrieve invoice " + invoice, () -> client().v1().invoices().retrieve(invoice));
            return StripePaymentJson.invoicePayment(payment, owner.getCustomer());
        }
        JsonNode refund = rawJson(call("retrieve refund " + listed.id(),
                () -> client().v1().refunds().retrieve(listed.id())));
        JsonNode charge = rawJson(call("retrieve charge " + refund.path("charge").asText(),
                () -> client().v1().charges().retrieve(refund.path("charge").asText())));
        return StripePaymentJson.refund(refund, charge.path("customer").asText(),
                charge.path("payment_method_details").path("type").asText(null),
                StripePaymentJson.refundedPayment(refund));
    }

    private static BillingPayment invoicePayment(JsonNode json) {
        return new BillingPayment(io.q2chub.canonical.Payment.Kind.PAYMENT, json.path("id").asText(),
                StripePaymentJson.paymentKey(json), StripePaymentJson.money(json.path("amount_paid"),
                        json.path("currency")), json.path("invoice").asText(null), null,
                Instant.ofEpochSecond(json.path("created").asLong()));
    }

    /** Pages of a Stripe list (100 per page), each through the guard, every object handed on as Stripe sent it. */
    private void pages(String operation, StripePage page, java.util.function.Consumer<JsonNode> each) {
        String after = null;
        while (true) {
            String cursor = after;
            JsonNode json = rawJson(call(operation, () -> page.fetch(cursor)));
            for (JsonNode object : json.path("data")) {
                after = object.path("id").asText();
                each.accept(object);
            }
            if (!json.path("has_more").asBoolean(false) || after == null) {
                return;
            }
        }
    }

    @FunctionalInterface
    private interface StripePage {
        String fetch(String startingAfter) throws StripeException;
    }

    /** Tax rates and prices expanded: the canonical lines need the rate and jurisdiction, and the price's SKU. */
    private JsonNode invoiceJson(String billingInvoiceId) {
        InvoiceRetrieveParams params = InvoiceRetrieveParams.builder()
                .addExpand(StripeInvoiceJson.LINE_TAX_RATES)
                .addExpand(StripeInvoiceJson.LINE_PRICES)
                .build();
        Invoice invoice = call("retrieve invoice " + billingInvoiceId,
                () -> client().v1().invoices().retrieve(billingInvoiceId, params));
        return rawJson(invoice);
    }

    /** The object as Stripe sent it: one mapping for fetched objects, independent of stripe-java's model classes. */
    private static JsonNode rawJson(com.stripe.net.ApiResource resource) {
        return rawJson(resource.getLastResponse().body());
    }

    private static JsonNode rawJson(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new io.q2chub.ops.failure.PoisonFailure(StripeFailures.SYSTEM, "unparseable",
                    "Stripe answered JSON the hub cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * One call: POST /v1/subscriptions with the event's idempotency key. Within Stripe's 24 h key retention a
     * repeat returns the first subscription; beyond it, the capability's cross-reference (contract → subscription)
     * is what stops a second create.
     */
    @Override
    public BillingSubscription createSubscription(SubscriptionRequest request, String idempotencyKey) {
        requireKey(idempotencyKey);
        SubscriptionCreateParams.Builder params = SubscriptionCreateParams.builder()
                .setCustomer(request.customerBillingId())
                .putAllMetadata(request.metadata());
        for (SubscriptionItem item : request.items()) {
            params.addItem(SubscriptionCreateParams.Item.builder().setPrice(item.priceId()).setQuantity(item.quantity()).build());
        }
        Subscription created = call("create subscription for " + request.metadata().getOrDefault("contract_id", "?"),
                () -> client().v1().subscriptions().create(params.build(), keyed(idempotencyKey)));
        return billingSubscription(created);
    }

    /** One call: GET /v1/subscriptions/{id}. */
    @Override
    public BillingSubscription subscription(String billingSubscriptionId) {
        return billingSubscription(call("retrieve subscription " + billingSubscriptionId,
                () -> client().v1().subscriptions().retrieve(billingSubscriptionId)));
    }

    /** Since API version 2025-03-31 the current period lives on each item; the subscription's spans them all. */
    private static BillingSubscription billingSubscription(Subscription s) {
        List<com.stripe.model.SubscriptionItem> items = s.getItems().getData();
        return new BillingSubscription(s.getId(), s.getStatus(),
                day(items.stream().map(com.stripe.model.SubscriptionItem::getCurrentPeriodStart).min(Long::compare).orElse(s.getStartDate())),
                day(items.stream().map(com.stripe.model.SubscriptionItem::getCurrentPeriodEnd).max(Long::compare).orElse(s.getStartDate())));
    }

    private static LocalDate day(Long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC).toLocalDate();
    }

    private String create(CustomerFields fields, String idempotencyKey) {
        Customer created = call("create customer " + fields.metadata().get(CustomerFields.CANONICAL_ID),
                () -> client().v1().customers().create(fields.toCreate(), keyed(idempotencyKey)));
        return created.getId();
    }

    /**
     * Updates carry their own key derived from the event's: the event's key may already be bound to the create
     * of the same customer (a retry that finds it by search), and Stripe refuses a key reused on another path.
     */
    private String update(String billingId, CustomerUpdateParams params, String idempotencyKey) {
        Customer updated = call("update customer " + billingId,
                () -> client().v1().customers().update(billingId, params, keyed(idempotencyKey + ":update")));
        return updated.getId();
    }

    private static RequestOptions keyed(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    private static void requireKey(String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            // Without a stable key stripe-java would invent a random one, and a retry could create a second customer.
            throw new IllegalArgumentException("an idempotency key is required for Stripe writes");
        }
    }

    private StripeClient client() {
        if (client == null) {
            throw new BusinessFailure(system(), "not_configured",
                    "the Stripe connector is not configured: set q2c.stripe.api-key (env Q2C_STRIPE_API_KEY)");
        }
        return client;
    }

    // ---- payouts (issue 6: payouts -> ERP deposits) -------------------------------------------------------------

    /** The payment intent a charge belongs to (a balance transaction names only its charge), null for none. */
    public String chargePaymentIntent(String chargeId) {
        return call("retrieve charge " + chargeId, () -> client().v1().charges().retrieve(chargeId))
                .getPaymentIntent();
    }

    /** Why the payment intent's last attempt failed: its decline code, else its error code; null for none. */
    public String paymentIntentDeclineCode(String paymentIntentId) {
        com.stripe.model.PaymentIntent intent = call("retrieve payment intent " + paymentIntentId,
                () -> client().v1().paymentIntents().retrieve(paymentIntentId));
        com.stripe.model.StripeError error = intent.getLastPaymentError();
        return error == null ? null : error.getDeclineCode() != null ? error.getDeclineCode() : error.getCode();
    }

    /** GET /v1/payouts with {@code created[gte]}/{@code created[lt]}, 100 per page with {@code starting_after}. */
    @Override
    public List<BillingPayout> listPayouts(Instant from, Instant to) {
        List<BillingPayout> payouts = new java.util.ArrayList<>();
        String after = null;
        while (true) {
            com.stripe.param.PayoutListParams.Builder params = com.stripe.param.PayoutListParams.builder()
                    .setCreated(com.stripe.param.PayoutListParams.Created.builder()
                            .setGte(from.getEpochSecond()).setLt(to.getEpochSecond()).build())
                    .setLimit(100L);
            if (after != null) {
                params.setStartingAfter(after);
            }
            com.stripe.param.PayoutListParams page = params.build();
            com.stripe.model.StripeCollection<com.stripe.model.Payout> list = call("list payouts",
                    () -> client().v1().payouts().list(page));
            JsonNode json = rawJson(list.getLastResponse().body());
            for (JsonNode payout : json.path("data")) {
                after = payout.path("id").asText();
                payouts.add(new BillingPayout(after, payout.path("status").asText(),
                        io.q2chub.canonical.Money.ofMinor(payout.path("amount").asLong(),
                                payout.path("currency").asText().toUpperCase(java.util.Locale.ROOT)),
                        day(payout.path("arrival_date").asLong())));
            }
            if (!json.path("has_more").asBoolean(false) || after == null) {
                return payouts;
            }
        }
    }

    /** GET /v1/payouts/{id}, as Stripe sent it. */
    public JsonNode payoutJson(String payoutId) {
        return rawJson(call("retrieve payout " + payoutId, () -> client().v1().payouts().retrieve(payoutId)));
    }

    /**
     * GET /v1/balance_transactions?payout={id}, 100 per page (Stripe's maximum) with {@code starting_after}: every
     * charge, refund and adjustment the payout sweeps (and the payout's own transaction), as Stripe sent them.
     */
    public List<JsonNode> balanceTransactionsOf(String payoutId) {
        List<JsonNode> transactions = new java.util.ArrayList<>();
        String after = null;
        while (true) {
            com.stripe.param.BalanceTransactionListParams.Builder params =
                    com.stripe.param.BalanceTransactionListParams.builder().setPayout(payoutId).setLimit(100L);
            if (after != null) {
                params.setStartingAfter(after);
            }
            com.stripe.param.BalanceTransactionListParams page = params.build();
            com.stripe.model.StripeCollection<com.stripe.model.BalanceTransaction> list = call(
                    "list balance transactions of " + payoutId, () -> client().v1().balanceTransactions().list(page));
            JsonNode json = rawJson(list.getLastResponse().body());
            for (JsonNode transaction : json.path("data")) {
                after = transaction.path("id").asText();
                transactions.add(transaction);
            }
            if (!json.path("has_more").asBoolean(false) || after == null) {
                return transactions;
            }
        }
    }

    private <T> T call(String operation, StripeCall<T> call) {
        return guard == null ? classified(operation, call) : guard.call(operation, () -> classified(operation, call));
    }

    private <T> T classified(String operation, StripeCall<T> call) {
        try {
            return call.run();
        } catch (StripeException e) {
            throw failures.classify(operation, e);
        }
    }

    @FunctionalInterface
    private interface StripeCall<T> {
        T run() throws StripeException;
    }
}
