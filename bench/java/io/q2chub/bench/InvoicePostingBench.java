package io.q2chub.bench;

import io.q2chub.sandbox.EmbeddedDatabase;
import io.q2chub.sandbox.EmbeddedKafka;
import io.q2chub.sandbox.SandboxSimulators;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.stripe.StoredCustomer;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.q2chub.testing.CanonicalSamples;
import io.q2chub.testing.HubProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The invoice-posting benchmark of issue 8 (bench/run). One run: real broker, PostgreSQL, the Stripe and NetSuite
 * simulators with no added latency, and the packaged hub as a JVM of its own with production settings pointed at
 * them. Phases: start-up to the first consumed event, warm-up, maximum rate (closed loop), the bare baseline,
 * latency at half the maximum (open loop), an ERP outage backlog and its drain. Writes bench/results/<date>.md.
 */
public final class InvoicePostingBench {

    private static final String SECRET = "whsec_bench_0001";
    private static final int CUSTOMERS = 20;
    // Raised Stripe budget: with the default 80 requests/s (2 Stripe calls per invoice) the pipeline's ceiling is
    // 40 invoices/s whatever the hub does; the bench measures the hub, so Stripe is given room (and says so).
    private static final int STRIPE_SIMULATOR_OPS = 20_000;
    private static final int STRIPE_BUDGET = 10_000;
    private static final List<String> HUB_JVM = List.of("-XX:MaxRAM=1g", "-XX:+ExitOnOutOfMemoryError");

    private final BenchOptions options;
    private final Figures f = new Figures();
    private final PostingClock clock = new PostingClock();
    private StatementCounts statements;
    private volatile double rssMax;

    private InvoicePostingBench(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        Path report = new InvoicePostingBench(options).run();
        System.out.println("bench: report written to " + report);
        System.exit(0);
    }

    private Path run() throws Exception {
        f.options = options;
        f.startedAt = ZonedDateTime.now(ZoneOffset.UTC).withNano(0).toString();
        f.loadAtStart = Machine.loadAverage();
        f.hubJvmOptions = String.join(" ", HUB_JVM);
        f.customers = CUSTOMERS;
        log("load average at start: " + f.loadAtStart);
        NetSuiteSimulator.Settings account = NetSuiteSimulator.Settings.sandbox();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             EmbeddedDatabase db = EmbeddedDatabase.start(Map.of("shared_preload_libraries", "pg_stat_statements",
                     "pg_stat_statements.max", "1000"));
             NetSuiteSimulator netsuite = NetSuiteSimulator.start(account);
             StripeSimulator stripe = StripeSimulator.start(SandboxSimulators.STRIPE_KEY, STRIPE_SIMULATOR_OPS)) {
            netsuite.onAnswered(clock);
            if (options.netsuiteLatencyMs() > 0) {
                netsuite.latency(Duration.ofMillis(options.netsuiteLatencyMs()));
            }
            statements = new StatementCounts(db);
            List<String> customerIds = publishCustomers(kafka.bootstrapServers());

            Map<String, String> env = new HashMap<>(Map.of(
                    "Q2C_SANDBOX", "false",
                    "Q2C_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "Q2C_DB_URL", db.jdbcUrl(),
                    "Q2C_DB_USERNAME", EmbeddedDatabase.USER,
                    "Q2C_DB_PASSWORD", EmbeddedDatabase.PASSWORD,
                    "Q2C_STRIPE_REQUESTS_PER_SECOND", String.valueOf(STRIPE_BUDGET),
                    // as the production build logs (this build carries the sandbox's readable-log default)
                    "Q2C_LOG_JSON", "true"));
            // HubProcess drops the caller's Q2C_ variables; the ones that tune throughput are passed on for A/B runs.
            for (String tuning : List.of("Q2C_KAFKA_CONSUMERS_PER_ROUTE", "Q2C_DB_POOL_SIZE", "Q2C_LEDGER_CONSUMERS")) {
                if (System.getenv(tuning) != null) {
                    env.put(tuning, System.getenv(tuning));
                    f.notes.add("Run with " + tuning + "=" + System.getenv(tuning) + ".");
                }
            }
            Map<String, String> settings = new HashMap<>(SandboxSimulators.netsuite(netsuite, account));
            settings.putAll(SandboxSimulators.stripe(stripe, SandboxSimulators.STRIPE_KEY));
            settings.put("q2c.stripe.webhook-secrets", SECRET);

            log("starting the packaged hub");
            long launched = System.nanoTime();
            try (HubProcess hub = HubProcess.start(env, settings, HUB_JVM)) {
                // Ctrl+C: the hub and PostgreSQL are processes of their own and would outlive the bench.
                Thread cleanUp = new Thread(() -> {
                    try {
                        hub.kill();
                        db.close();
                    } catch (Exception e) {
                        // exiting anyway
                    }
                });
                Runtime.getRuntime().addShutdownHook(cleanUp);
                await("the hub's first consumed event (a customer onboarded into NetSuite)", Duration.ofMinutes(3),
                        () -> clock.firstAnsweredAt() != 0 || !hub.isAlive(), hub);
                f.startupToFirstEventSeconds = (clock.firstAnsweredAt() - launched) / 1e9;
                java.util.regex.Matcher started = java.util.regex.Pattern.compile("powered by Quarkus [^)]*\\) started in ([0-9.]+)s").matcher(hub.output());
                f.quarkusStartedIn = started.find() ? started.group(1) + " s" : "not found in the log";
                log("first consumed event " + f.startupToFirstEventSeconds + " s after launch (Quarkus: " + f.quarkusStartedIn + ")");
                ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(WebhookLoad.daemon("rss"));
                sampler.scheduleAtFixedRate(() -> rssMax = Math.max(rssMax, Machine.rssMb(hub.pid())), 0, 200,
                        TimeUnit.MILLISECONDS);

                List<String> stripeCustomers = awaitCustomers(netsuite, stripe, statements, customerIds, hub);
                f.rssIdleMb = Machine.rssMb(hub.pid());
                StripeInvoices invoices = new StripeInvoices(stripe, stripeCustomers);
                WebhookLoad load = new WebhookLoad(hub.url("/webhooks/stripe"), SECRET);

                // Warm-up: JIT, connection pools, consumer assignment.
                f.warmupEvents = options.warmup();
                drive(load, invoices.make(options.warmup()), hub);
                quiesce(netsuite, stripe);

                throughput(hub, load, invoices, netsuite, stripe, statements);
                try {
                    baseline(kafka, db, netsuite, account);
                } catch (RuntimeException e) {
                    f.notes.add("baseline failed: " + e.getMessage());
                    log("baseline failed: " + e.getMessage());
                }
                latency(hub, load, invoices, netsuite, stripe, statements);
                outage(hub, load, invoices, netsuite, stripe);

                f.rssMaxMb = rssMax;
                f.netsuite429 = netsuite.counts().throttled();
                f.stripe429 = stripe.rateLimitedCount();
                exceptionCases(statements);
                sampler.shutdownNow();
            }
        }
        f.loadAtEnd = Machine.loadAverage();
        Path out = Path.of(options.resultsDir(), LocalDate.now(ZoneOffset.UTC) + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, new BenchReport(f).markdown());
        return out;
    }

    // --- phases ------------------------------------------------------------------------------------------------

    private void throughput(HubProcess hub, WebhookLoad load, StripeInvoices invoices, NetSuiteSimulator netsuite,
            StripeSimulator stripe, StatementCounts statements) throws Exception {
        List<StripeInvoices.Delivery> deliveries = invoices.make(options.events());
        statements.reset();
        long commits = statements.commits();
        int nsBefore = netsuite.counts().requests();
        long stripeBefore = stripe.requestCount();
        Map<String, Integer> nsKinds = netsuiteKinds(netsuite);
        Map<String, Integer> stripeOps = stripeOperations(stripe);
        FlightRecording jfr = new FlightRecording(hub.pid(), Path.of("target", "bench-hub.jfr"));
        if (options.profile()) {
            jfr.start();
        }
        double hubCpu = Machine.cpuSeconds(hub.pid());
        double benchCpu = Machine.cpuSeconds(ProcessHandle.current().pid());
        log("throughput: " + options.events() + " webhooks, " + options.concurrency() + " concurrent senders");
        f.hubRate = drive(load, deliveries, hub) ;
        f.hubSeconds = options.events() / f.hubRate;
        f.hubCpuShare = (Machine.cpuSeconds(hub.pid()) - hubCpu) / f.hubSeconds / Machine.cores();
        f.benchCpuShare = (Machine.cpuSeconds(ProcessHandle.current().pid()) - benchCpu) / f.hubSeconds / Machine.cores();
        if (options.profile()) {
            jfr.stop();
        }
        log(String.format("hub: %.0f events/s (%.1f s)", f.hubRate, f.hubSeconds));
        quiesce(netsuite, stripe);
        int n = options.events();
        f.netsuiteCallsPerEvent = (netsuite.counts().requests() - nsBefore) / (double) n;
        f.stripeCallsPerEvent = (stripe.requestCount() - stripeBefore) / (double) n;
        netsuiteKinds(netsuite).forEach((k, v) -> f.netsuiteCallsByKind.put(k, (v - nsKinds.getOrDefault(k, 0)) / (double) n));
        stripeOperations(stripe).forEach((k, v) -> f.stripeCallsByOperation.put(k, (v - stripeOps.getOrDefault(k, 0)) / (double) n));
        f.commitsPerEvent = (statements.commits() - commits) / (double) n;
        List<StatementCounts.Row> rows = statements.rows();
        f.statementsPerEvent = rows.stream().mapToLong(StatementCounts.Row::calls).sum() / (double) n;
        f.idempotencyStatements = rows.stream().filter(r -> r.query().contains("idempotency_key")).toList();
        f.idempotencyStatementsPerEvent = f.idempotencyStatements.stream().mapToLong(StatementCounts.Row::calls).sum() / (double) n;
        f.topStatements = rows.stream().limit(15).toList();
        f.webhookRetries = load.retries.get();
        f.webhookFailures = load.failedForGood.get();
        if (options.profile()) {
            f.profile = jfr.summary(12);
        }
    }

    private void baseline(EmbeddedKafka kafka, EmbeddedDatabase db, NetSuiteSimulator netsuite,
            NetSuiteSimulator.Settings account) throws Exception {
        BareBaseline baseline = new BareBaseline(kafka.bootstrapServers(), db, netsuite, account,
                netsuite.customers().get(0).internalId());
        log("baseline warm-up");
        baseline.run("warm-" + UUID.randomUUID(), Math.min(options.warmup(), options.events()), options.concurrency(), clock);
        log("baseline: " + options.events() + " events");
        f.baselineRate = baseline.run("base-" + UUID.randomUUID(), options.events(), options.concurrency(), clock);
        f.baselineSeconds = options.events() / f.baselineRate;
        f.baselineHttpFailures = baseline.httpFailures.get();
        log(String.format("baseline: %.0f events/s", f.baselineRate));
    }

    private void latency(HubProcess hub, WebhookLoad load, StripeInvoices invoices, NetSuiteSimulator netsuite,
            StripeSimulator stripe, StatementCounts statements) throws Exception {
        f.latencyRate = f.hubRate / 2;
        f.latencyEvents = (int) Math.max(100, Math.round(f.latencyRate * options.latencySeconds()));
        List<StripeInvoices.Delivery> deliveries = invoices.make(f.latencyEvents);
        long nsNanos = netsuite.handlingNanos();
        int nsRequests = netsuite.counts().requests();
        long stripeNanos = stripe.handlingNanos();
        long stripeRequests = stripe.requestCount();
        int before = clock.posted();
        log(String.format("latency: %d webhooks at %.0f/s (open loop)", f.latencyEvents, f.latencyRate));
        Map<String, Long> dueAt = load.sendAtRate(deliveries, f.latencyRate);
        awaitPosted(before + f.latencyEvents, deliveries, load, hub);
        quiesce(netsuite, stripe);
        double nsMean = (netsuite.handlingNanos() - nsNanos) / 1e6 / Math.max(1, netsuite.counts().requests() - nsRequests);
        double stripeMean = (stripe.handlingNanos() - stripeNanos) / 1e6 / Math.max(1, stripe.requestCount() - stripeRequests);
        // On the path from webhook to posting: the ingress re-fetches the invoice from Stripe (1), invoice posting
        // reads the customer and writes the invoice in NetSuite (2). The billing write-back comes after posting.
        f.simulatorMsPerEvent = 2 * nsMean + stripeMean;
        Map<String, String> canonicalOf = stripeInvoiceToCanonical(statements);
        List<Double> latencies = new ArrayList<>();
        dueAt.forEach((invoice, due) -> {
            Long posted = clock.postedAt(canonicalOf.get(invoice));
            if (posted != null) {
                latencies.add((posted - due) / 1e6);
            }
        });
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        f.p50Ms = percentile(sorted, 50);
        f.p99Ms = percentile(sorted, 99);
        f.maxMs = sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
        if (sorted.length != f.latencyEvents) {
            f.notes.add("latency: " + sorted.length + " of " + f.latencyEvents + " invoices matched to their posting");
        }
        log(String.format("latency p50 %.1f ms, p99 %.1f ms (simulators %.2f ms per event)", f.p50Ms, f.p99Ms,
                f.simulatorMsPerEvent));
    }

    private void outage(HubProcess hub, WebhookLoad load, StripeInvoices invoices, NetSuiteSimulator netsuite,
            StripeSimulator stripe) throws Exception {
        f.steadyRate = options.steadyRate() > 0 ? options.steadyRate() : f.hubRate / 10;
        f.backlog = (int) Math.round(f.steadyRate * options.outageSeconds());
        List<StripeInvoices.Delivery> deliveries = invoices.make(f.backlog);
        int before = clock.posted();
        log(String.format("outage: NetSuite answers 503; backlog of %d webhooks (%d s at %.1f/s)", f.backlog,
                options.outageSeconds(), f.steadyRate));
        netsuite.failNext(Integer.MAX_VALUE, 503);
        long produced = System.nanoTime();
        load.sendAll(deliveries, options.concurrency());
        f.backlogProducedSeconds = (System.nanoTime() - produced) / 1e9;
        int postedDuringOutage = clock.posted() - before;
        if (postedDuringOutage > 0) {
            f.notes.add("outage: " + postedDuringOutage + " invoices posted while NetSuite was down (should be 0)");
        }
        netsuite.failNext(0, 503);
        long recovered = System.nanoTime();
        log("outage over after " + f.backlogProducedSeconds + " s; draining");
        awaitPosted(before + f.backlog, deliveries, load, hub);
        f.firstPostAfterRecoverySeconds = (clock.firstPostedAfter(recovered) - recovered) / 1e9;
        f.drainSeconds = (clock.lastPostedAt() - recovered) / 1e9;
        f.drainRate = f.backlog / f.drainSeconds;
        log(String.format("drained %d in %.1f s: %.0f events/s", f.backlog, f.drainSeconds, f.drainRate));
        quiesce(netsuite, stripe);
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /** Sends and waits until NetSuite holds every one of them; returns events/s from the first send to the last post. */
    private double drive(WebhookLoad load, List<StripeInvoices.Delivery> deliveries, HubProcess hub) throws Exception {
        int before = clock.posted();
        long start = System.nanoTime();
        load.sendAll(deliveries, options.concurrency());
        awaitPosted(before + deliveries.size(), deliveries, load, hub);
        return deliveries.size() / ((clock.lastPostedAt() - start) / 1e9);
    }

    /** Waits until NetSuite holds this many invoices; fails with what is missing once nothing moved for 90 s. */
    private void awaitPosted(int total, List<StripeInvoices.Delivery> deliveries, WebhookLoad load, HubProcess hub)
            throws Exception {
        int last = -1;
        long lastMove = System.nanoTime();
        long parkedBefore = parked();
        while (clock.posted() < total) {
            if (!hub.isAlive()) {
                throw new IllegalStateException("the hub exited:\n" + tail(hub.output()));
            }
            int now = clock.posted();
            if (now != last) {
                last = now;
                lastMove = System.nanoTime();
            } else if (System.nanoTime() - lastMove > TimeUnit.SECONDS.toNanos(60)) {
                long parked = parked() - parkedBefore;
                if (now + parked >= total) {
                    // Not lost: parked as exception cases. A finding for the report, and the run goes on.
                    f.notes.add(parked + " of " + deliveries.size() + " events of a phase were parked as exception cases"
                            + " instead of posted (see \"Exception cases\"); webhook answers " + load.answers);
                    return;
                }
                throw new IllegalStateException("stalled at " + now + " of " + total + " invoices posted; webhook answers "
                        + load.answers + "; missing: " + missing(deliveries));
            }
            TimeUnit.MILLISECONDS.sleep(2);
        }
    }

    private long parked() throws Exception {
        return count(statements, "SELECT count(*) FROM exception_case WHERE capability IN ('invoice-posting',"
                + " 'stripe-webhook-ingress')");
    }

    private String missing(List<StripeInvoices.Delivery> deliveries) throws Exception {
        Map<String, String> canonical = stripeInvoiceToCanonical(statements);
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (StripeInvoices.Delivery d : deliveries) {
            String id = canonical.get(d.invoiceId());
            if (id != null && clock.postedAt(id) != null) {
                continue;
            }
            String event = d.payload().substring(d.payload().indexOf("\"id\":\"") + 6);
            event = event.substring(0, event.indexOf('"'));
            try (Connection c = statements.connect(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT consumer || '=' || status FROM idempotency_key WHERE message_key IN ('"
                         + event + "', 'stripe-" + event + "')")) {
                out.append("\n  ").append(d.invoiceId()).append(" canonical ").append(id).append(" event ").append(event);
                while (r.next()) {
                    out.append(' ').append(r.getString(1));
                }
            }
            if (++shown == 10) {
                break;
            }
        }
        return out.toString();
    }

    private List<String> publishCustomers(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < CUSTOMERS; i++) {
                String id = "cust-" + UUID.randomUUID();
                ids.add(id);
                String json = """
                        {"id":"%s","name":"Bench Co %d","billingCountry":"US","currency":"USD","taxId":"12-3456789",
                         "status":"ACTIVE","externalIds":{}}""".formatted(id, i);
                ProducerRecord<String, byte[]> record = new ProducerRecord<>("q2c.customer.v1", id, json.getBytes(StandardCharsets.UTF_8));
                Map<String, String> headers = new LinkedHashMap<>(CanonicalSamples.customerChangedHeaders("evt-" + id, id));
                // The CRM is the customer's system of record; without a CRM id there is nothing to write back to it.
                headers.put("q2c-source-role", "crm");
                headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                producer.send(record).get();
            }
        }
        return ids;
    }

    /** The customers onboarded by the hub itself (NetSuite + Stripe + cross-reference): the invoices' customers. */
    private List<String> awaitCustomers(NetSuiteSimulator netsuite, StripeSimulator stripe, StatementCounts statements,
            List<String> canonical, HubProcess hub) throws Exception {
        await("customers onboarded", Duration.ofMinutes(3), () -> {
            try {
                return netsuite.customers().size() == CUSTOMERS && count(statements,
                        "SELECT count(*) FROM xref WHERE system = 'stripe' AND object_type = 'customer'") == CUSTOMERS;
            } catch (Exception e) {
                return false;
            }
        }, hub);
        return stripe.customers().stream().filter(c -> canonical.contains(c.metadata().get("canonical_id")))
                .map(StoredCustomer::id).toList();
    }

    private Map<String, String> stripeInvoiceToCanonical(StatementCounts statements) throws Exception {
        Map<String, String> map = new HashMap<>();
        try (Connection c = statements.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT external_id, canonical_id FROM xref WHERE system = 'stripe' AND object_type = 'invoice'")) {
            while (r.next()) {
                map.put(r.getString(1), r.getString(2));
            }
        }
        return map;
    }

    private void exceptionCases(StatementCounts statements) throws Exception {
        try (Connection c = statements.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT capability || ' ' || status || ' ' || failure_class || ' ' || error_code || ': '"
                     + " || left(min(error_message), 140), count(*) FROM exception_case GROUP BY capability, status, error_code, failure_class")) {
            while (r.next()) {
                f.exceptionCases.put(r.getString(1), r.getString(2));
            }
        } catch (Exception e) {
            f.notes.add("exception cases not read: " + e.getMessage());
        }
    }

    private static long count(StatementCounts statements, String sql) throws Exception {
        try (Connection c = statements.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** "GET /customer" and "PUT /invoice": NetSuite requests by method and record type. */
    private static Map<String, Integer> netsuiteKinds(NetSuiteSimulator netsuite) {
        Map<String, Integer> kinds = new LinkedHashMap<>();
        for (String line : netsuite.requestsFor("/")) {
            String[] parts = line.split(" ", 2);
            String path = parts[1];
            int slash = path.indexOf('/', 1);
            kinds.merge(parts[0] + " " + (slash < 0 ? path : path.substring(0, slash)), 1, Integer::sum);
        }
        return kinds;
    }

    private static Map<String, Integer> stripeOperations(StripeSimulator stripe) {
        Map<String, Integer> ops = new LinkedHashMap<>();
        for (String op : List.of("invoices.retrieve", "invoices.update", "customers.create", "customers.search",
                "customers.retrieve", "subscriptions.retrieve")) {
            ops.put(op, stripe.operationCount(op));
        }
        return ops;
    }

    /** Waits until Stripe and NetSuite have seen no request for 2 s: write-backs and retries are done. */
    private static void quiesce(NetSuiteSimulator netsuite, StripeSimulator stripe) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long last = -1;
        int quiet = 0;
        while (quiet < 20 && System.nanoTime() < deadline) {
            long now = netsuite.counts().requests() + stripe.requestCount();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static void await(String what, Duration atMost, BooleanSupplier done, HubProcess hub) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!done.getAsBoolean()) {
            if (!hub.isAlive()) {
                throw new IllegalStateException("the hub exited while waiting for " + what + ":\n" + tail(hub.output()));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what + ":\n" + tail(hub.output()));
            }
            TimeUnit.MILLISECONDS.sleep(2);
        }
    }

    private static String tail(String output) {
        return output.length() > 6000 ? output.substring(output.length() - 6000) : output;
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    private static void log(String line) {
        System.out.println("bench: " + line);
    }
}
