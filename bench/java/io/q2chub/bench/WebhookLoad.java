package io.q2chub.bench;

import io.q2chub.sandbox.stripe.WebhookSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator: Stripe's webhook deliveries, signed as Stripe (and the Stripe simulator) sign them, POSTed
 * to the hub's /webhooks/stripe. A delivery that is not answered 2xx is sent again after a short pause, as Stripe
 * retries (much faster than Stripe would, so a refusal costs the run little time).
 */
final class WebhookLoad {

    private static final int MAX_ATTEMPTS = 200;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4, daemon("webhook-io"))).build();
    private final URI endpoint;
    private final String secret;
    final AtomicLong retries = new AtomicLong();
    final AtomicLong failedForGood = new AtomicLong();
    /** Answers by status and the start of the body: what the ingress said, for the report. */
    final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();

    WebhookLoad(String endpoint, String secret) {
        this.endpoint = URI.create(endpoint);
        this.secret = secret;
    }

    /** Closed loop: {@code concurrency} senders, each sending its next delivery once the last one was answered. */
    void sendAll(List<StripeInvoices.Delivery> deliveries, int concurrency) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(concurrency, daemon("webhook-sender"));
        for (int i = 0; i < concurrency; i++) {
            senders.execute(() -> {
                for (int at = next.getAndIncrement(); at < deliveries.size(); at = next.getAndIncrement()) {
                    deliver(deliveries.get(at));
                }
            });
        }
        senders.shutdown();
        if (!senders.awaitTermination(30, TimeUnit.MINUTES)) {
            throw new IllegalStateException("webhook senders did not finish");
        }
    }

    /**
     * Open loop: delivery i is due at start + i / rate, whatever happened to the earlier ones, and its latency is
     * counted from when it was due (no coordinated omission). Returns the due time (System.nanoTime) per invoice.
     */
    Map<String, Long> sendAtRate(List<StripeInvoices.Delivery> deliveries, double perSecond) throws InterruptedException {
        Map<String, Long> dueAt = new ConcurrentHashMap<>();
        ExecutorService senders = Executors.newFixedThreadPool(128, daemon("webhook-open-loop"));
        long start = System.nanoTime() + 50_000_000L;
        for (int i = 0; i < deliveries.size(); i++) {
            long due = start + (long) (i * 1e9 / perSecond);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            StripeInvoices.Delivery delivery = deliveries.get(i);
            dueAt.put(delivery.invoiceId(), due);
            senders.execute(() -> deliver(delivery));
        }
        senders.shutdown();
        if (!senders.awaitTermination(30, TimeUnit.MINUTES)) {
            throw new IllegalStateException("open-loop senders did not finish");
        }
        return dueAt;
    }

    private void deliver(StripeInvoices.Delivery delivery) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json; charset=utf-8")
                        .header("Stripe-Signature", WebhookSignature.header(delivery.payload(),
                                Instant.now().getEpochSecond(), secret))
                        .POST(HttpRequest.BodyPublishers.ofString(delivery.payload())).build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                String body = response.body() == null ? "" : response.body().replaceAll("\\s+", " ");
                answers.computeIfAbsent(status + " " + body.substring(0, Math.min(80, body.length())),
                        k -> new AtomicLong()).incrementAndGet();
                if (status >= 200 && status < 300) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // connection refused or reset: retried like a non-2xx answer
            }
            retries.incrementAndGet();
            LockSupport.parkNanos(50_000_000L);
        }
        failedForGood.incrementAndGet();
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
