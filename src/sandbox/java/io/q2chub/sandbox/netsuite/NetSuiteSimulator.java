package io.q2chub.sandbox.netsuite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.q2chub.sandbox.LoopbackHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A NetSuite account for tests and the sandbox, speaking the REST Record API for customers over real HTTP:
 * Token-Based Authentication, OneWorld subsidiary and currency rules, per-account concurrency governance and
 * NetSuite's error bodies. Tests read what the account holds through the Java API or {@code GET /_sim/customers}.
 *
 * <pre>
 * PUT   /services/rest/record/v1/customer/eid:{externalId}   upsert, 204 + Location
 * GET   /services/rest/record/v1/customer/eid:{externalId} | /customer/{internalId}
 * PATCH /services/rest/record/v1/customer/eid:{externalId} | /customer/{internalId}
 * PUT   /services/rest/record/v1/invoice/eid:{externalId}      upsert (SuiteTax: taxDetailsOverride + taxDetails)
 * PUT   /services/rest/record/v1/creditMemo/eid:{externalId}   upsert, applied to invoices by apply.items
 * POST  /services/rest/record/v1/invoice/{internalId}/!transform/creditMemo   a void: credit memo applied in full
 * PUT   /services/rest/record/v1/customerPayment/eid:{externalId}  upsert, applied to invoices by apply.items,
 *                                                            the rest unapplied credit
 * PUT   /services/rest/record/v1/customerRefund/eid:{externalId}   against a customer payment (apply.items)
 * PATCH /services/rest/record/v1/invoice/{internalId} | eid:{externalId}   custom body fields (custbody_*) only
 * PUT   /services/rest/record/v1/deposit/eid:{externalId}   bank deposit: payment (customer payments), other, cashBack
 * GET   /services/rest/record/v1/invoice|creditMemo|customerPayment|customerRefund|deposit/eid:{externalId} | /{internalId}
 * GET   /services/rest/record/v1/serviceSaleItem|nonInventorySaleItem/{internalId}
 * GET   /_sim/netsuite/transactions                          what the account holds, and the requests it answered
 * </pre>
 */
public final class NetSuiteSimulator implements AutoCloseable {

    public static final String RECORD_PATH = "/services/rest/record/v1";
    public static final String SUITEQL_PATH = "/services/rest/query/v1/suiteql";
    /** The one SuiteQL shape answered: customer invoices dated in a range, with the currency's ISO code. */
    private static final java.util.regex.Pattern INVOICES_BY_DATE = java.util.regex.Pattern.compile(
            "SELECT t\\.id, t\\.externalid, t\\.tranid, t\\.trandate, t\\.foreigntotal, t\\.foreignamountremaining,"
            + " c\\.symbol AS currency FROM transaction t JOIN currency c ON c\\.id = t\\.currency"
            + " WHERE t\\.type = 'CustInvc' AND t\\.trandate >= TO_DATE\\('(\\d{4}-\\d{2}-\\d{2})', 'YYYY-MM-DD'\\)"
            + " AND t\\.trandate < TO_DATE\\('(\\d{4}-\\d{2}-\\d{2})', 'YYYY-MM-DD'\\) ORDER BY t\\.id");
    /** The second shape: customer payments and customer refunds dated in a range (payment reconciliation). */
    private static final java.util.regex.Pattern PAYMENTS_BY_DATE = java.util.regex.Pattern.compile(
            "SELECT t\\.id, t\\.externalid, t\\.type, t\\.tranid, t\\.trandate, t\\.foreigntotal,"
            + " c\\.symbol AS currency FROM transaction t JOIN currency c ON c\\.id = t\\.currency"
            + " WHERE t\\.type IN \\('CustPymt', 'CustRfnd'\\) AND t\\.trandate >= TO_DATE\\('(\\d{4}-\\d{2}-\\d{2})',"
            + " 'YYYY-MM-DD'\\) AND t\\.trandate < TO_DATE\\('(\\d{4}-\\d{2}-\\d{2})', 'YYYY-MM-DD'\\) ORDER BY t\\.id");
    /** The deposits the hub reconciles payouts against, dated in a range. */
    private static final java.util.regex.Pattern DEPOSITS_BY_DATE = java.util.regex.Pattern.compile(
            "SELECT t\\.id, t\\.externalid, t\\.trandate, t\\.foreigntotal, c\\.symbol AS currency FROM transaction t"
            + " JOIN currency c ON c\\.id = t\\.currency WHERE t\\.type = 'Deposit'"
            + " AND t\\.trandate >= TO_DATE\\('(\\d{4}-\\d{2}-\\d{2})', 'YYYY-MM-DD'\\)"
            + " AND t\\.trandate < TO_DATE\\('(\\d{4}-\\d{2}-\\d{2})', 'YYYY-MM-DD'\\) ORDER BY t\\.id");
    private static final String CUSTOMER_PATH = RECORD_PATH + "/customer/";
    // Exact decimals: amounts must arrive as the client wrote them (12.345 KWD), never through a double.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

    /**
     * The account and its one integration token.
     *
     * @param concurrencyLimit simultaneous requests the account accepts before answering 429
     */
    public record Settings(String accountId, String consumerKey, String consumerSecret, String tokenId,
            String tokenSecret, int concurrencyLimit) {

        /** A sandbox account with fixed test credentials and the smallest real limit (shared tier, 5). */
        public static Settings sandbox() {
            return new Settings("1234567_SB1", "sandbox-consumer-key", "sandbox-consumer-secret",
                    "sandbox-token-id", "sandbox-token-secret", 5);
        }

        public Settings withConcurrencyLimit(int limit) {
            return new Settings(accountId, consumerKey, consumerSecret, tokenId, tokenSecret, limit);
        }

        @Override
        public String toString() {
            return "Settings[accountId=" + accountId + ", concurrencyLimit=" + concurrencyLimit + "]";
        }
    }

    /** Requests seen, and how many were answered 429 (governance or injected) and 401. */
    public record Counts(int requests, int throttled, int unauthorized) {
    }

    private record Reply(int status, String body, String location) {
        static Reply json(int status, String body) {
            return new Reply(status, body, null);
        }

        static Reply error(int status, String code, String detail) {
            return json(status, ErrorBody.of(status, code, detail));
        }
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final TbaVerifier tba;
    private final Semaphore governance;
    private final CustomerRecords customers = new CustomerRecords(Subsidiary.SANDBOX);
    private final TransactionRecords transactions = new TransactionRecords(customers, Subsidiary.SANDBOX,
            CatalogItem.SANDBOX);
    private final java.util.Queue<String> requestLog = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Faults faults = new Faults();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicInteger unauthorized = new AtomicInteger();

    private NetSuiteSimulator(Settings settings) throws IOException {
        this.tba = new TbaVerifier(settings, Clock.systemUTC());
        this.governance = new Semaphore(settings.concurrencyLimit());
        // More threads than the limit, so excess requests reach the governance check and are refused there.
        this.workers = Executors.newFixedThreadPool(Math.max(16, settings.concurrencyLimit() * 4), runnable -> {
            Thread thread = new Thread(runnable, "netsuite-sim");
            thread.setDaemon(true);
            return thread;
        });
        this.server = LoopbackHttp.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext(RECORD_PATH, this::api);
        server.createContext(SUITEQL_PATH, this::suiteQl);
        server.createContext("/_sim/customers", this::simState);
        server.createContext("/_sim/netsuite/transactions", this::transactionState);
        server.setExecutor(workers);
    }

    public static NetSuiteSimulator start(Settings settings) {
        try {
            NetSuiteSimulator simulator = new NetSuiteSimulator(settings);
            simulator.server.start();
            return simulator;
        } catch (IOException e) {
            throw new UncheckedIOException("NetSuite simulator could not bind to 127.0.0.1", e);
        }
    }

    /** e.g. {@code http://127.0.0.1:40123/services/rest/record/v1} */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + RECORD_PATH;
    }

    // --- test hooks -----------------------------------------------------------------------------------------

    public List<CustomerRecord> customers() {
        return customers.all();
    }

    public Optional<CustomerRecord> customer(String externalId) {
        return customers.byExternalId(externalId);
    }

    /** Invoices and credit memos the account holds, oldest first. */
    public List<Transaction> transactions() {
        return transactions.all();
    }

    public Optional<Transaction> invoice(String externalId) {
        return transactions.byExternalId(TransactionRecords.INVOICE, externalId);
    }

    /** Seeding: the invoice's total changed in NetSuite by hand (what is already paid stays paid). */
    public void changeInvoiceTotal(String externalId, java.math.BigDecimal total) {
        transactions.changeTotal(externalId, total);
    }

    /** Seeding in bulk (benchmarks): an open invoice with totals only, as if posted, without HTTP. */
    public Transaction seedInvoice(String externalId, String customerExternalId, java.time.LocalDate tranDate,
            java.math.BigDecimal total) {
        return transactions.seedInvoice(externalId, customerExternalId, tranDate.toString(), total);
    }

    /** Seeding in bulk (benchmarks): a customer payment applied in full to the invoice, without HTTP. */
    public Transaction seedPayment(String externalId, String invoiceExternalId, java.time.LocalDate tranDate) {
        return transactions.seedPayment(externalId, invoiceExternalId, tranDate.toString());
    }

    /** Seeding: a copy of the invoice entered by hand, without an external id; returns it. */
    public Transaction enterInvoiceByHand(String likeExternalId) {
        return transactions.enterByHand(likeExternalId);
    }

    /** Seeding: the customer payment's amount changed in NetSuite by hand (its applications stay). */
    public void changePaymentAmount(String externalId, java.math.BigDecimal amount) {
        transactions.changePaymentAmount(externalId, amount);
    }

    /** Seeding: a copy of the customer payment entered by hand, unapplied and without an external id; returns it. */
    public Transaction enterPaymentByHand(String likeExternalId) {
        return transactions.enterPaymentByHand(likeExternalId);
    }

    public Optional<Transaction> creditMemo(String externalId) {
        return transactions.byExternalId(TransactionRecords.CREDIT_MEMO, externalId);
    }

    /** The customer payment with this external id (total, applied, unapplied, refunded, apply.items). */
    public Optional<Transaction> customerPayment(String externalId) {
        return transactions.byExternalId(TransactionRecords.CUSTOMER_PAYMENT, externalId);
    }

    public Optional<Transaction> customerRefund(String externalId) {
        return transactions.byExternalId(TransactionRecords.CUSTOMER_REFUND, externalId);
    }

    /** Seeding: a deposit's total changed by hand in NetSuite. */
    public void changeDepositTotal(String externalId, java.math.BigDecimal total) {
        transactions.changeDepositTotal(externalId, total);
    }

    /** Seeding: a deposit entered by hand (no external id), like the given one. */
    public Transaction enterDepositByHand(String likeExternalId) {
        return transactions.enterDepositByHand(likeExternalId);
    }

    /** A bank deposit by external id (the hub's canonical payout id). */
    public Optional<Transaction> deposit(String externalId) {
        return transactions.byExternalId(TransactionRecords.DEPOSIT, externalId);
    }

    /** Authenticated API requests ("PUT /invoice/eid:in_1") whose path contains {@code text}: calls per document. */
    public List<String> requestsFor(String text) {
        return requestLog.stream().filter(line -> line.contains(text)).toList();
    }

    public Counts counts() {
        return new Counts(requests.get(), throttled.get(), unauthorized.get());
    }

    /** The next n API requests (after authentication) are answered with this status and NetSuite's body for it. */
    public void failNext(int n, int status) {
        faults.failNext(n, status);
    }

    /**
     * As {@link #failNext(int, int)}, each answer with a {@code Retry-After} header of that many seconds (at least
     * 1), as NetSuite sends with some 429 and 503 answers.
     */
    public void failNext(int n, int status, Duration retryAfter) {
        faults.failNext(n, status, retryAfter);
    }

    /**
     * The next n writes (PUT, POST, PATCH; reads pass) wait this long and are then applied: a client that timed out
     * does not know the write landed, its retry must find the same record.
     */
    public void hangNextWrites(int n, Duration duration) {
        faults.hangNextWrites(n, duration);
    }

    /** Every API request takes at least this long, holding its concurrency slot as a real one would. */
    public void latency(Duration latency) {
        faults.latency(latency);
    }

    /** The next n API requests wait this long before being processed: the client times out, the write may land. */
    public void hangNext(int n, Duration duration) {
        faults.hangNext(n, duration);
    }

    /** Forgets records, counts, faults and spent nonces. */
    public void reset() {
        customers.clear();
        transactions.clear();
        requestLog.clear();
        faults.reset();
        tba.reset();
        requests.set(0);
        throttled.set(0);
        unauthorized.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    // --- HTTP -----------------------------------------------------------------------------------------------

    private void api(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        requests.incrementAndGet();
        Reply reply;
        if (!authenticated(exchange)) {
            unauthorized.incrementAndGet();
            reply = Reply.json(401, ErrorBody.unauthorized());
        } else if (!governance.tryAcquire()) {
            reply = Reply.json(429, ErrorBody.concurrencyLimit());
        } else {
            try {
                reply = governed(exchange);
            } finally {
                // Released before answering, so a client that waits for the answer never sees its own slot busy.
                governance.release();
            }
        }
        if (reply.status() == 429) {
            throttled.incrementAndGet();
        }
        handlingNanos.add(System.nanoTime() - started);
        send(exchange, reply);
        AnswerListener listener = answerListener;
        if (listener != null) {
            listener.answered(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), reply.status());
        }
    }

    private Reply governed(HttpExchange exchange) throws IOException {
        try {
            faults.delay();
            faults.delayWrite(exchange.getRequestMethod());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.json(503, ErrorBody.injected(503));
        }
        int injected = faults.takeFailure();
        if (injected != 0) {
            Duration retryAfter = faults.retryAfter();
            if (retryAfter != null) {
                exchange.getResponseHeaders().set("Retry-After", String.valueOf(Math.max(1, retryAfter.toSeconds())));
            }
            return Reply.json(injected, ErrorBody.injected(injected));
        }
        try {
            String path = exchange.getRequestURI().getRawPath();
            requestLog.add(exchange.getRequestMethod() + " " + URLDecoder.decode(path.substring(RECORD_PATH.length()),
                    StandardCharsets.UTF_8));
            if (path.startsWith(CUSTOMER_PATH)) {
                return customerRequest(exchange);
            }
            return transactionRequest(exchange, path.length() > RECORD_PATH.length() + 1
                    ? path.substring(RECORD_PATH.length() + 1) : "");
        } catch (CustomerRecords.Rejected e) {
            return Reply.error(e.status, e.errorCode, e.getMessage());
        } catch (RuntimeException e) {
            return Reply.error(500, "UNEXPECTED_ERROR", "An unexpected error occurred: " + e);
        }
    }

    private Reply customerRequest(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        if (!path.startsWith(CUSTOMER_PATH) || path.length() == CUSTOMER_PATH.length()) {
            return Reply.error(404, "NONEXISTENT_ID", "Record type or path " + path + " does not exist.");
        }
        String key = URLDecoder.decode(path.substring(CUSTOMER_PATH.length()), StandardCharsets.UTF_8);
        boolean byExternalId = key.startsWith("eid:");
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        if (method.equals("PUT") && byExternalId) {
            CustomerRecord record = customers.upsert(key.substring(4), body(exchange));
            return new Reply(204, null, baseUrl(exchange) + "/customer/" + record.internalId());
        }
        String externalId = byExternalId ? key.substring(4)
                : customers.externalIdOf(key).orElseThrow(CustomerRecords::missing);
        switch (method) {
            case "GET":
                return Reply.json(200, view(customers.byExternalId(externalId)
                        .orElseThrow(CustomerRecords::missing), baseUrl(exchange)));
            case "PATCH":
                customers.patch(externalId, body(exchange));
                return new Reply(204, null, null);
            default:
                return Reply.error(405, "INVALID_REQUEST", "The HTTP method " + method
                        + " is not supported for this resource.");
        }
    }

    /** invoice, creditMemo and item record types; {@code path} is below the record path, without the slash. */
    private Reply transactionRequest(HttpExchange exchange, String path) throws IOException {
        String[] parts = path.split("/");
        String type = parts[0];
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        if (parts.length == 2 && (type.equals("serviceSaleItem") || type.equals("nonInventorySaleItem"))
                && method.equals("GET")) {
            CatalogItem item = transactions.item(type, parts[1]).orElseThrow(CustomerRecords::missing);
            ObjectNode view = JSON.createObjectNode().put("id", item.id()).put("itemId", item.itemId());
            return Reply.json(200, view.toString());
        }
        boolean payment = type.equals(TransactionRecords.CUSTOMER_PAYMENT)
                || type.equals(TransactionRecords.CUSTOMER_REFUND);
        boolean transaction = payment || type.equals(TransactionRecords.INVOICE)
                || type.equals(TransactionRecords.CREDIT_MEMO) || type.equals(TransactionRecords.DEPOSIT);
        if (!transaction || parts.length < 2) {
            return Reply.error(404, "NONEXISTENT_ID", "Record type or path /" + path + " does not exist.");
        }
        String key = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
        if (parts.length == 4 && type.equals(TransactionRecords.INVOICE) && parts[2].equals("!transform")
                && parts[3].equals(TransactionRecords.CREDIT_MEMO) && method.equals("POST")) {
            Transaction memo = transactions.transformToCreditMemo(key, body(exchange));
            return new Reply(204, null, baseUrl(exchange) + "/creditMemo/" + memo.internalId());
        }
        if (parts.length != 2) {
            return Reply.error(404, "NONEXISTENT_ID", "Record type or path /" + path + " does not exist.");
        }
        boolean byExternalId = key.startsWith("eid:");
        if (method.equals("PUT") && byExternalId) {
            Transaction stored = type.equals(TransactionRecords.DEPOSIT)
                    ? transactions.upsertDeposit(key.substring(4), body(exchange))
                    : !payment ? transactions.upsert(type, key.substring(4), body(exchange))
                    : type.equals(TransactionRecords.CUSTOMER_PAYMENT)
                            ? transactions.upsertPayment(key.substring(4), body(exchange))
                            : transactions.upsertRefund(key.substring(4), body(exchange));
            return new Reply(204, null, baseUrl(exchange) + "/" + type + "/" + stored.internalId());
        }
        if (method.equals("PATCH") && type.equals(TransactionRecords.INVOICE)) {
            transactions.patchCustomFields(type, key, body(exchange));
            return new Reply(204, null, null);
        }
        if (!method.equals("GET")) {
            return Reply.error(405, "INVALID_REQUEST", "The HTTP method " + method
                    + " is not supported for this resource.");
        }
        Transaction found = (byExternalId ? transactions.byExternalId(type, key.substring(4))
                : transactions.byInternalId(key).filter(t -> t.type().equals(type)))
                .orElseThrow(CustomerRecords::missing);
        ObjectNode view = JSON.createObjectNode().put("id", found.internalId());
        view.setAll(found.fields());
        return Reply.json(200, view.toString());
    }

    /**
     * POST /services/rest/query/v1/suiteql?limit=&offset= with {"q": "..."} and Prefer: transient, answered as
     * NetSuite does ({items, count, hasMore, offset, totalResults}); only the invoice query the hub sends is
     * understood, anything else is refused as NetSuite refuses a bad query. Authenticated and governed as records.
     */
    private void suiteQl(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        if (!authenticated(exchange)) {
            unauthorized.incrementAndGet();
            send(exchange, Reply.json(401, ErrorBody.unauthorized()));
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod()) || !"transient".equals(exchange.getRequestHeaders()
                .getFirst("Prefer"))) {
            send(exchange, Reply.error(400, "INVALID_REQUEST", "SuiteQL needs POST with the header Prefer: transient."));
            return;
        }
        if (!governance.tryAcquire()) {
            throttled.incrementAndGet();
            send(exchange, Reply.json(429, ErrorBody.concurrencyLimit()));
            return;
        }
        try {
            requestLog.add("POST /suiteql");
            String q = body(exchange).path("q").asText("");
            java.util.regex.Matcher m = INVOICES_BY_DATE.matcher(q);
            java.util.regex.Matcher payments = PAYMENTS_BY_DATE.matcher(q);
            if (payments.matches()) {
                send(exchange, Reply.json(200, paymentRows(payments.group(1), payments.group(2), exchange)));
                return;
            }
            java.util.regex.Matcher deposits = DEPOSITS_BY_DATE.matcher(q);
            boolean depositQuery = !m.matches() && deposits.matches();
            if (depositQuery) {
                m = deposits;
            }
            if (!m.matches()) {
                send(exchange, Reply.error(400, "INVALID_PARAMETER", "Invalid search query: " + q));
                return;
            }
            String from = m.group(1);
            String to = m.group(2);
            Page page = Page.of(exchange);
            int limit = page.limit();
            int offset = page.offset();
            String type = depositQuery ? TransactionRecords.DEPOSIT : TransactionRecords.INVOICE;
            List<Transaction> matching = transactions().stream()
                    .filter(t -> t.type().equals(type))
                    .filter(t -> t.text("tranDate") != null && t.text("tranDate").compareTo(from) >= 0
                            && t.text("tranDate").compareTo(to) < 0)
                    .toList();
            ObjectNode answer = JSON.createObjectNode();
            ArrayNode items = answer.putArray("items");
            for (Transaction t : matching.subList(Math.min(offset, matching.size()),
                    Math.min(matching.size(), offset + limit))) {
                ObjectNode row = items.addObject().put("id", t.internalId());
                if (t.externalId() != null) {
                    row.put("externalid", t.externalId());
                }
                if (depositQuery) {
                    row.put("trandate", t.text("tranDate")).put("foreigntotal", t.total().toPlainString())
                            .put("currency", Subsidiary.CURRENCIES.get(t.currencyId()));
                    continue;
                }
                row.put("tranid", t.text("tranId")).put("trandate", t.text("tranDate"))
                        .put("foreigntotal", t.total().toPlainString())
                        .put("foreignamountremaining", t.amountRemaining().toPlainString())
                        .put("currency", Subsidiary.CURRENCIES.get(t.currencyId()));
            }
            answer.put("count", items.size()).put("hasMore", offset + limit < matching.size())
                    .put("offset", offset).put("totalResults", matching.size());
            send(exchange, Reply.json(200, answer.toString()));
        } finally {
            governance.release();
        }
    }

    /** SuiteQL paging: {@code ?limit=} (at most 1,000) and {@code &offset=}. */
    private record Page(int limit, int offset) {
        static Page of(HttpExchange exchange) {
            Map<String, String> query = new java.util.HashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            if (raw != null) {
                for (String pair : raw.split("&")) {
                    String[] kv = pair.split("=", 2);
                    query.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
            }
            return new Page(Math.min(1000, Integer.parseInt(query.getOrDefault("limit", "1000"))),
                    Integer.parseInt(query.getOrDefault("offset", "0")));
        }
    }

    /** Customer payments (type CustPymt) and refunds (CustRfnd) dated in [from, to), paged as the invoice query. */
    private String paymentRows(String from, String to, HttpExchange exchange) {
        Page page = Page.of(exchange);
        int limit = page.limit();
        int offset = page.offset();
        List<Transaction> matching = transactions().stream()
                .filter(t -> t.type().equals(TransactionRecords.CUSTOMER_PAYMENT)
                        || t.type().equals(TransactionRecords.CUSTOMER_REFUND))
                .filter(t -> t.text("tranDate") != null && t.text("tranDate").compareTo(from) >= 0
                        && t.text("tranDate").compareTo(to) < 0)
                .toList();
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode items = answer.putArray("items");
        for (Transaction t : matching.subList(Math.min(offset, matching.size()),
                Math.min(matching.size(), offset + limit))) {
            ObjectNode row = items.addObject().put("id", t.internalId());
            if (t.externalId() != null) {
                row.put("externalid", t.externalId());
            }
            String currency = t.currencyId() != null ? Subsidiary.CURRENCIES.get(t.currencyId()) : null;
            row.put("type", t.type().equals(TransactionRecords.CUSTOMER_REFUND) ? "CustRfnd" : "CustPymt")
                    .put("tranid", t.text("tranId")).put("trandate", t.text("tranDate"))
                    .put("foreigntotal", t.total().toPlainString()).put("currency", currency);
        }
        answer.put("count", items.size()).put("hasMore", offset + limit < matching.size())
                .put("offset", offset).put("totalResults", matching.size());
        return answer.toString();
    }

    private void transactionState(HttpExchange exchange) throws IOException {
        ObjectNode state = JSON.createObjectNode();
        state.put("requests", counts().requests());
        ArrayNode invoices = state.putArray("invoices");
        ArrayNode memos = state.putArray("creditMemos");
        ArrayNode payments = state.putArray("customerPayments");
        ArrayNode refunds = state.putArray("customerRefunds");
        ArrayNode deposits = state.putArray("deposits");
        for (Transaction t : transactions()) {
            ArrayNode list = switch (t.type()) {
                case TransactionRecords.INVOICE -> invoices;
                case TransactionRecords.CUSTOMER_PAYMENT -> payments;
                case TransactionRecords.CUSTOMER_REFUND -> refunds;
                case TransactionRecords.DEPOSIT -> deposits;
                default -> memos;
            };
            ObjectNode entry = list.addObject()
                    .put("internalId", t.internalId()).put("externalId", t.externalId()).put("writes", t.writes())
                    .put("reversal", t.createdFrom() != null);
            entry.set("fields", t.fields());
        }
        ArrayNode log = state.putArray("requestLog");
        requestLog.forEach(log::add);
        send(exchange, Reply.json(200, state.toString()));
    }

    private static ObjectNode body(HttpExchange exchange) throws IOException {
        // read, not closed: send() drains the stream before answering, as HttpServer needs
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        try {
            if (JSON.readTree(bytes) instanceof ObjectNode object) {
                return object;
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // answered below, as NetSuite answers a body it cannot parse
        }
        throw new CustomerRecords.Rejected(400, "INVALID_CONTENT", "The request body is not a valid JSON object.");
    }

    private static String view(CustomerRecord record, String baseUrl) {
        ObjectNode view = JSON.createObjectNode();
        view.putArray("links").addObject().put("rel", "self").put("href", baseUrl + "/customer/" + record.internalId());
        view.put("id", record.internalId());
        view.setAll(record.fields());
        return view.toString();
    }

    private boolean authenticated(HttpExchange exchange) {
        return tba.verify(exchange.getRequestMethod(), origin(exchange) + exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"));
    }

    private static String baseUrl(HttpExchange exchange) {
        return origin(exchange) + RECORD_PATH;
    }

    /**
     * scheme://host[:port] as the client addressed it (its Host header), lower case and without the default port:
     * the signature covers the URL the client used, which behind a proxy is not the address this server bound.
     */
    private static String origin(HttpExchange exchange) {
        String host = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Host"))
                .orElse("127.0.0.1:" + exchange.getLocalAddress().getPort()).toLowerCase(Locale.ROOT);
        if (host.endsWith(":80")) {
            host = host.substring(0, host.length() - 3);
        }
        return "http://" + host;
    }

    private void simState(HttpExchange exchange) throws IOException {
        ObjectNode state = JSON.createObjectNode();
        Counts counts = counts();
        state.put("requests", counts.requests()).put("throttled", counts.throttled())
                .put("unauthorized", counts.unauthorized());
        ArrayNode list = state.putArray("customers");
        for (CustomerRecord record : customers()) {
            list.addObject().put("internalId", record.internalId()).put("externalId", record.externalId())
                    .put("writes", record.writes()).set("fields", record.fields());
        }
        send(exchange, Reply.json(200, state.toString()));
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            if (reply.location() != null) {
                exchange.getResponseHeaders().set("Location", reply.location());
            }
            if (reply.body() == null) {
                exchange.sendResponseHeaders(reply.status(), -1);
                return;
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.status() < 300
                    ? "application/vnd.oracle.resource+json; type=singular" : "application/vnd.oracle.resource+json; type=error");
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    // --- Benchmark hooks (bench/): when each request was answered, and the simulator's own time ----------------

    /** Told of every record API request once it has been answered (method, raw path, status). */
    @FunctionalInterface
    public interface AnswerListener {
        void answered(String method, String rawPath, int status);
    }

    private volatile AnswerListener answerListener;
    private final java.util.concurrent.atomic.LongAdder handlingNanos = new java.util.concurrent.atomic.LongAdder();

    /** One listener (null removes it); called on the simulator's worker thread, so it must be quick. */
    public void onAnswered(AnswerListener listener) {
        this.answerListener = listener;
    }

    /** Time spent inside the simulator on record API requests so far (authentication, governance, the write). */
    public long handlingNanos() {
        return handlingNanos.sum();
    }
}
