package io.q2chub.sandbox.stripe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.q2chub.sandbox.LoopbackHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in for the Stripe API, as far as the hub uses it: customers (create, retrieve, update, search,
 * list), API-key authentication, form-encoded parameters, idempotency keys, the per-account rate limit and
 * Stripe's error bodies. Tests in the same JVM use the Java hooks; tests driving a separate hub process read
 * {@code GET /_sim/customers}. Sandbox only: never part of the production build.
 */
public final class StripeSimulator implements AutoCloseable {

    /** Stripe's test-mode limit. */
    public static final int TEST_MODE_OPS_PER_SECOND = 25;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CUSTOMERS = "/v1/customers";

    private final HttpServer server;
    private final ExecutorService workers;
    private final ApiKeyCheck apiKey;
    private final OperationRate rate;
    private final IdempotencyKeys idempotencyKeys = new IdempotencyKeys();
    private final CustomerApi customers = new CustomerApi();
    private final CatalogApi catalog = new CatalogApi();
    private final SubscriptionApi subscriptions = new SubscriptionApi(catalog, id -> customers.retrieve(id).status() == 200);
    // Balance and payouts: booked from the events the other resources emit (the lambda reads webhooks when called).
    private final PayoutApi payouts = new PayoutApi((type, object) -> this.webhooks.emit(type, object));
    // Resources beyond customers; each recognises its own paths (one line per resource).
    private final List<ResourceApi> resources = List.of(catalog, subscriptions, payouts);
    private final WebhookDelivery webhooks = new WebhookDelivery();
    private final InvoiceApi invoices = new InvoiceApi((type, object) -> {
        payouts.book(type, object);
        webhooks.emit(type, object);
    });
    private final Map<String, AtomicInteger> operationCounts = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final Faults faults = new Faults();
    private volatile Duration latency = Duration.ZERO;

    private StripeSimulator(String apiKey, int opsPerSecond) throws IOException {
        this.apiKey = new ApiKeyCheck(apiKey);
        this.rate = new OperationRate(opsPerSecond);
        // Stripe opens and finalizes a subscription's first invoice when it creates the subscription.
        subscriptions.onCreated(invoices::firstInvoice);
        this.server = LoopbackHttp.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // Several workers, so a request slowed by latency() does not hold up the others (as on the real API).
        this.workers = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "stripe-simulator");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts on 127.0.0.1 on a free port, accepting {@code apiKey}, admitting {@code opsPerSecond} requests a second. */
    public static StripeSimulator start(String apiKey, int opsPerSecond) {
        try {
            return new StripeSimulator(apiKey, opsPerSecond);
        } catch (IOException e) {
            throw new IllegalStateException("the Stripe simulator could not start: " + e.getMessage(), e);
        }
    }

    /** Base URL to give a client as its API base, e.g. http://127.0.0.1:41234 (no trailing slash). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // ---- test hooks ----------------------------------------------------------------------------------------------

    public List<StoredCustomer> customers() {
        return customers.all();
    }

    public Optional<StoredCustomer> customer(String id) {
        return customers.all().stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** How many customers were created with this {@code metadata[canonical_id]} (replays do not count). */
    public int createCalls(String canonicalId) {
        return customers.createCalls(canonicalId);
    }

    /**
     * Requests that reached an endpoint, by operation: {@code customers.create}, {@code customers.retrieve},
     * {@code customers.update}, {@code customers.search}, {@code customers.list}. Idempotent replays count too.
     */
    public int operationCount(String operation) {
        AtomicInteger count = operationCounts.get(operation);
        return count == null ? 0 : count.get();
    }

    /** Every API request received, whatever its answer. */
    public long requestCount() {
        return requests.get();
    }

    /** Requests answered 429, by the rate limit or by {@link #failNext}. */
    public long rateLimitedCount() {
        return rateLimited.get();
    }

    /**
     * The next {@code count} authenticated API requests fail with {@code status} (500 api_error, 429 rate_limit,
     * ...) before reaching an endpoint, as a failure at Stripe's front door would: nothing executes, so no
     * idempotent result is saved and a retry with the same key executes for real.
     */
    public void failNext(int count, int status) {
        faults.failNext(count, status);
    }

    /** Delay before every API answer, e.g. to make a client time out. */
    public void latency(Duration delay) {
        this.latency = delay == null ? Duration.ZERO : delay;
    }

    /**
     * How long a new customer stays invisible to {@code /v1/customers/search} (retrieve and list see it at once),
     * as on Stripe, whose search index trails writes by up to about a minute. Judged at search time, so setting
     * it back to zero makes every customer searchable.
     */
    public void searchLag(Duration lag) {
        customers.searchLag(lag == null ? Duration.ZERO : lag);
    }

    /** Stripe prunes idempotency keys after 24 hours: this prunes them all now. */
    public void expireIdempotencyKeys() {
        idempotencyKeys.expireAll();
    }

    /** Webhook delivery: endpoint, secrets, retries, duplicates and held (unordered) delivery. */
    public WebhookDelivery webhooks() {
        return webhooks;
    }

    /** Every invoice the account holds, oldest first, with its metadata. */
    public List<Map<String, Object>> invoices() {
        return invoices.invoicesJson();
    }

    /** An invoice as GET /v1/invoices/{id} answers it, with tax rates expanded; null when unknown. */
    public Map<String, Object> invoice(String id) {
        return invoices.invoiceJson(id);
    }

    /**
     * Builds an invoice as {@code POST /_sim/stripe/invoices} does (tax rates, items, invoice, finalize unless
     * {@code "finalize": false}) and answers it as the API would; the events go to the webhook endpoint.
     */
    public Map<String, Object> createInvoice(String scenarioJson) {
        try {
            Answer answer = new InvoiceScenarios(this).createInvoice(JSON.readTree(scenarioJson));
            if (answer.status() != 200) {
                throw new IllegalArgumentException("invoice scenario refused: " + JSON.writeValueAsString(answer.json()));
            }
            return InvoiceScenarios.asMap(answer.json());
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** finalize, pay or void an invoice as the API would; throws with Stripe's error when refused. */
    public Map<String, Object> invoiceAction(String invoiceId, String action) {
        return expectOk(invoices.call("invoices." + action, invoiceId, FormParams.parse("")));
    }

    /** Moves an invoice's {@code created} time, e.g. into a past reconciliation window (seeding only). */
    public void backdateInvoice(String invoiceId, java.time.Instant created) {
        invoices.backdate(invoiceId, created.getEpochSecond());
    }

    /** Sets an invoice's status without emitting its event: a change the hub never heard of (seeding only). */
    public void forceInvoiceStatus(String invoiceId, String status) {
        invoices.forceStatus(invoiceId, status);
    }

    /** Pays {@code amountMinor} of an open invoice (null: all it still owes), as POST /v1/invoices/{id}/pay. */
    public Map<String, Object> payInvoice(String invoiceId, Long amountMinor) {
        return expectOk(invoices.call("invoices.pay", invoiceId,
                FormParams.parse(amountMinor == null ? "" : "amount=" + amountMinor)));
    }

    /** Refunds {@code amountMinor} of a payment (null: all not refunded yet), as POST /v1/refunds. */
    public Map<String, Object> refund(String paymentIntentId, Long amountMinor) {
        return expectOk(invoices.call("refunds.create", null, FormParams.parse("payment_intent=" + paymentIntentId
                + (amountMinor == null ? "" : "&amount=" + amountMinor))));
    }

    /** A dispute of the whole payment, opened and closed (won or lost) at once; its events go to the endpoint. */
    public Map<String, Object> dispute(String paymentIntentId, boolean won) {
        return invoices.dispute(paymentIntentId, won);
    }

    /** A collection attempt of an open invoice declined with {@code declineCode}: {@code invoice.payment_failed}. */
    public Map<String, Object> failPayment(String invoiceId, String declineCode) {
        return invoices.failPayment(invoiceId, declineCode);
    }

    /** A dispute of the whole payment opened (needs_response): {@code charge.dispute.created} to the endpoint. */
    public Map<String, Object> openDispute(String paymentIntentId) {
        return invoices.openDispute(paymentIntentId);
    }

    /** An open dispute closed, won or lost: {@code charge.dispute.closed} to the endpoint. */
    public Map<String, Object> closeDispute(String disputeId, boolean won) {
        return invoices.closeDispute(disputeId, won);
    }

    /**
     * Pays out the settled balance in {@code currency} (everything not paid out yet): {@code payout.created} and
     * {@code payout.paid} go to the endpoint. Null when there is nothing to pay out.
     */
    public Map<String, Object> payOut(String currency) {
        return payouts.payOut(currency, 0);
    }

    /** As {@link #payOut(String)}, but the payout's amount is off by {@code amountError} minor units (seeding). */
    public Map<String, Object> payOutWrongly(String currency, long amountError) {
        return payouts.payOut(currency, amountError);
    }

    /** Every payout made, oldest first, as GET /v1/payouts/{id} answers it. */
    public List<Map<String, Object>> payouts() {
        return payouts.payoutsJson();
    }

    /** The balance transactions of a payout as GET /v1/balance_transactions?payout= lists them (first 100). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> balanceTransactions(String payoutId) {
        Answer answer = payouts.call(new ResourceApi.Operation("balance_transactions.list", null),
                FormParams.parse("payout=" + payoutId + "&limit=100"));
        return (List<Map<String, Object>>) ((Map<String, Object>) answer.json()).get("data");
    }

    /** A credit note for {@code quantity} of one invoice line. */
    public Map<String, Object> creditLine(String invoiceId, String lineId, long quantity) {
        return expectOk(invoices.call("credit_notes.create", null, FormParams.parse("invoice=" + invoiceId
                + "&lines[0][type]=invoice_line_item&lines[0][invoice_line_item]=" + lineId
                + "&lines[0][quantity]=" + quantity)));
    }

    private Map<String, Object> expectOk(Answer answer) {
        if (answer.status() != 200) {
            try {
                throw new IllegalStateException("Stripe simulator refused: " + JSON.writeValueAsString(answer.json()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return InvoiceScenarios.asMap(answer.json());
    }

    /** Calls the API in-process as a client would (authenticated, idempotent replay not involved). */
    Answer invoiceCall(String operation, String id, FormParams params) {
        return invoices.call(operation, id, params);
    }

    // ---- products, prices, subscriptions ----------------------------------------------------------------------------

    /** Every price created, as Stripe answers it (currency, unit_amount in minor units, recurring, metadata). */
    public List<Map<String, Object>> prices() {
        return catalog.prices();
    }

    /** Every subscription created, as Stripe answers it (items with their full price and quantity). */
    public List<Map<String, Object>> subscriptions() {
        return subscriptions.all();
    }

    /**
     * Registers what happens when a subscription is created, inside the create call: the first invoice is made
     * here (invoice support registers itself; without it a subscription has no latest_invoice).
     */
    public void onSubscriptionCreated(SubscriptionCreated listener) {
        subscriptions.onCreated(listener);
    }

    /** Forgets customers, keys, counters, faults, latency, search lag and the rate window. */
    public void reset() {
        catalog.reset();
        subscriptions.reset();
        customers.reset();
        invoices.reset();
        payouts.reset();
        webhooks.reset();
        idempotencyKeys.expireAll();
        operationCounts.clear();
        requests.set(0);
        rateLimited.set(0);
        faults.failNext(0, 0);
        latency = Duration.ZERO;
        rate.reset();
    }

    @Override
    public void close() {
        server.stop(0);
        webhooks.close();
        workers.shutdownNow();
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/_sim/")) {
                answerSimulatorState(exchange, path);
                return;
            }
            requests.incrementAndGet();
            long started = System.nanoTime();
            pause();
            exchange.getResponseHeaders().set("Request-Id", StripeIds.next("req"));
            Answer answer = api(exchange, path);
            handlingNanos.add(System.nanoTime() - started);
            respond(exchange, answer);
        } catch (RuntimeException e) {
            respond(exchange, Answer.error(StripeError.apiError()));
        }
    }

    private Answer api(HttpExchange exchange, String path) throws IOException {
        StripeError unauthenticated = apiKey.check(exchange.getRequestHeaders().getFirst("Authorization"));
        if (unauthenticated != null) {
            return Answer.rejected(unauthenticated);
        }
        int injected = faults.take();
        if (injected != 0) {
            return Answer.rejected(StripeError.forStatus(injected));
        }
        if (!rate.tryAdmit()) {
            return Answer.rejected(StripeError.rateLimited());
        }
        String method = exchange.getRequestMethod();
        FormParams params = FormParams.parse("POST".equals(method)
                ? readBody(exchange.getRequestBody())
                : exchange.getRequestURI().getRawQuery());
        for (ResourceApi resource : resources) {
            ResourceApi.Operation operation = resource.operation(method, path);
            if (operation != null) {
                return execute(exchange, method, path, params, operation.name(), () -> resource.call(operation, params));
            }
        }
        String[] invoiceOperation = InvoiceApi.route(method, path);
        Endpoint endpoint = invoiceOperation != null ? new Endpoint(invoiceOperation[0], invoiceOperation[1])
                : Endpoint.of(method, path);
        if (endpoint == null) {
            return Answer.rejected(new StripeError(404, "invalid_request_error", null, "Unrecognized request URL ("
                    + method + ": " + path + "). Please see https://stripe.com/docs or we can help at "
                    + "https://support.stripe.com/.", null));
        }
        operationCounts.computeIfAbsent(endpoint.operation(), k -> new AtomicInteger()).incrementAndGet();
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if ("POST".equals(method) && key != null && !key.isEmpty()) {
            return idempotent(exchange, key, method + " " + path + " " + params.fingerprint(), () -> call(endpoint, params));
        }
        return call(endpoint, params);
    }

    /** Counts the operation and honours an Idempotency-Key on POST, as for customers. */
    private Answer execute(HttpExchange exchange, String method, String path, FormParams params, String operation,
            java.util.function.Supplier<Answer> execution) throws IOException {
        operationCounts.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if ("POST".equals(method) && key != null && !key.isEmpty()) {
            return idempotent(exchange, key, method + " " + path + " " + params.fingerprint(), execution);
        }
        return execution.get();
    }

    private Answer call(Endpoint endpoint, FormParams params) {
        if (!endpoint.operation().startsWith("customers.")) {
            return invoices.call(endpoint.operation(), endpoint.id(), params);
        }
        return switch (endpoint.operation()) {
            case "customers.create" -> customers.create(params);
            case "customers.search" -> customers.search(params);
            case "customers.list" -> customers.list(params);
            case "customers.retrieve" -> customers.retrieve(endpoint.id());
            default -> customers.update(endpoint.id(), params);
        };
    }

    /** Stripe's idempotency: replay the first result for the same parameters, refuse different ones. */
    private Answer idempotent(HttpExchange exchange, String key, String fingerprint,
            java.util.function.Supplier<Answer> execution) throws JsonProcessingException {
        IdempotencyKeys.Saved saved = idempotencyKeys.find(key);
        if (saved != null) {
            if (!saved.fingerprint().equals(fingerprint)) {
                return Answer.rejected(StripeError.idempotencyMismatch(key));
            }
            exchange.getResponseHeaders().set("Idempotent-Replayed", "true");
            return new Answer(saved.status(), JSON.readTree(saved.body()), false);
        }
        if (!idempotencyKeys.begin(key)) {
            return Answer.rejected(StripeError.idempotencyInProgress());
        }
        try {
            Answer answer = execution.get();
            if (answer.saveable()) {
                idempotencyKeys.save(key, fingerprint, answer.status(), JSON.writeValueAsString(answer.json()));
            }
            return answer;
        } finally {
            idempotencyKeys.finish(key);
        }
    }

    private void answerSimulatorState(HttpExchange exchange, String path) throws IOException {
        if (path.startsWith(InvoiceScenarios.PATH)) {
            respond(exchange, new InvoiceScenarios(this).handle(exchange.getRequestMethod(), path,
                    exchange.getRequestBody().readAllBytes()));
            return;
        }
        if (!"/_sim/customers".equals(path) || !"GET".equals(exchange.getRequestMethod())) {
            respond(exchange, Answer.rejected(new StripeError(404, "invalid_request_error", null,
                    "Unknown simulator path " + path, null)));
            return;
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("customers", customers.all());
        state.put("createsByCanonicalId", customers.createCallsByCanonicalId());
        Map<String, Integer> counts = new LinkedHashMap<>();
        operationCounts.forEach((operation, count) -> counts.put(operation, count.get()));
        state.put("operationCounts", counts);
        state.put("requests", requests.get());
        state.put("rateLimited", rateLimited.get());
        respond(exchange, Answer.ok(state));
    }

    private void respond(HttpExchange exchange, Answer answer) throws IOException {
        if (answer.status() == 429) {
            rateLimited.incrementAndGet();
        }
        byte[] body = JSON.writeValueAsBytes(answer.json());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void pause() {
        Duration delay = latency;
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String readBody(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Which customer operation a method and path name. */
    private record Endpoint(String operation, String id) {

        static Endpoint of(String method, String path) {
            if (CUSTOMERS.equals(path)) {
                return "POST".equals(method) ? new Endpoint("customers.create", null)
                        : "GET".equals(method) ? new Endpoint("customers.list", null) : null;
            }
            if ((CUSTOMERS + "/search").equals(path)) {
                return "GET".equals(method) ? new Endpoint("customers.search", null) : null;
            }
            if (path.startsWith(CUSTOMERS + "/") && path.indexOf('/', CUSTOMERS.length() + 1) < 0) {
                String id = path.substring(CUSTOMERS.length() + 1);
                return "GET".equals(method) ? new Endpoint("customers.retrieve", id)
                        : "POST".equals(method) ? new Endpoint("customers.update", id) : null;
            }
            return null;
        }
    }

    /** Injected failures: the next N API requests answer with one status. */
    private static final class Faults {
        private int remaining;
        private int status;

        synchronized void failNext(int count, int status) {
            this.remaining = count;
            this.status = status;
        }

        synchronized int take() {
            if (remaining <= 0) {
                return 0;
            }
            remaining--;
            return status;
        }
    }

    // --- Benchmark hook (bench/) ---------------------------------------------------------------------------------

    private final java.util.concurrent.atomic.LongAdder handlingNanos = new java.util.concurrent.atomic.LongAdder();

    /** Time spent inside the simulator on API requests so far (including any latency() set), for the benchmark. */
    public long handlingNanos() {
        return handlingNanos.sum();
    }
}
