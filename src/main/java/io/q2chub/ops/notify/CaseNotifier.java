package io.q2chub.ops.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.q2chub.ops.notify.Webhooks.Destination;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Posts exception notifications to Slack-compatible webhooks, off the dead-letter path: callers only put a
 * message on a bounded queue (never blocking, never failing), one worker thread sends them. At most
 * q2c.notify.rate-limit messages go out per q2c.notify.rate-window; what is held back, and what did not fit in
 * the queue, is counted and sent as one summary when the window ends. Nothing is sent when no webhook is set.
 */
@ApplicationScoped
public class CaseNotifier {

    private static final Logger LOG = Logger.getLogger(CaseNotifier.class);

    private record Outgoing(Destination destination, Map<String, Object> body, String what) {
    }

    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final Webhooks webhooks;
    private final SlackMessages messages;
    private final Set<String> classes;
    private final BlockingQueue<Outgoing> queue;
    private final int rateLimit;
    private final Duration rateWindow;
    private final Duration timeout;
    private final AtomicLong queueFull = new AtomicLong();
    private final Clock clock = Clock.systemUTC();
    private volatile Thread worker;
    private HttpClient http;

    public CaseNotifier(ObjectMapper json, MeterRegistry metrics, Config config,
            @ConfigProperty(name = "q2c.console.base-url") String consoleBaseUrl,
            @ConfigProperty(name = "q2c.notify.include-business-key") boolean includeBusinessKey,
            @ConfigProperty(name = "q2c.notify.classes") List<String> classes,
            @ConfigProperty(name = "q2c.notify.queue-capacity") int queueCapacity,
            @ConfigProperty(name = "q2c.notify.rate-limit") int rateLimit,
            @ConfigProperty(name = "q2c.notify.rate-window") Duration rateWindow,
            @ConfigProperty(name = "q2c.notify.timeout") Duration timeout) {
        this.json = json;
        this.metrics = metrics;
        this.webhooks = new Webhooks(config);
        this.messages = new SlackMessages(consoleBaseUrl, includeBusinessKey);
        this.classes = classes.stream().map(String::trim).map(String::toUpperCase).collect(Collectors.toUnmodifiableSet());
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.rateLimit = rateLimit;
        this.rateWindow = rateWindow;
        this.timeout = timeout;
        new RateWindow(rateLimit, rateWindow, Instant.EPOCH); // validates the settings at start-up
    }

    void start(@Observes StartupEvent started) {
        http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        worker = new Thread(this::work, "q2c-case-notifier");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes ShutdownEvent stopping) {
        Thread running = worker;
        worker = null;
        if (running != null) {
            running.interrupt();
        }
    }

    /** A case was opened (not a repeat of an open one). Returns at once; a notification problem never fails parking. */
    public void newCase(NewCase parked) {
        try {
            if (classes.contains(parked.failureClass())) {
                webhooks.forTeam(parked.team()).ifPresent(to ->
                        enqueue(new Outgoing(to, messages.newCase(parked), "new case " + parked.id())));
            }
        } catch (RuntimeException e) {
            LOG.warnf("notification of case %d not queued: %s", parked.id(), e.getClass().getSimpleName());
        }
    }

    void tooManyOpen(String capability, long open, long threshold) {
        webhooks.byDefault().ifPresent(to -> enqueue(new Outgoing(to, messages.tooManyOpen(capability, open, threshold),
                "open-case threshold of " + capability)));
    }

    void tooOld(String capability, long oldestCaseId, Duration age, Duration limit) {
        webhooks.byDefault().ifPresent(to -> enqueue(new Outgoing(to, messages.tooOld(capability, oldestCaseId, age, limit),
                "open-case age of " + capability)));
    }

    private void enqueue(Outgoing message) {
        if (!queue.offer(message)) {
            queueFull.incrementAndGet();
            metrics.counter("q2c.notify.held.back", "reason", "queue-full").increment();
        }
    }

    private void work() {
        RateWindow window = new RateWindow(rateLimit, rateWindow, clock.instant());
        Map<Destination, Long> heldBack = new LinkedHashMap<>();
        while (worker == Thread.currentThread()) {
            try {
                long wait = Math.max(1, Duration.between(clock.instant(), window.end()).toMillis());
                Outgoing next = queue.poll(wait, TimeUnit.MILLISECONDS);
                if (window.roll(clock.instant()) > 0 || queueFull.get() > 0) {
                    sendSummaries(window, heldBack);
                }
                if (next == null) {
                    continue;
                }
                if (window.admit()) {
                    send(next);
                } else {
                    heldBack.merge(next.destination(), 1L, Long::sum);
                    metrics.counter("q2c.notify.held.back", "reason", "rate-limit").increment();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("notification worker: %s", e.getClass().getSimpleName());
            }
        }
    }

    /** One summary per destination that had messages held back; queue overflow is reported to the default webhook. */
    private void sendSummaries(RateWindow window, Map<Destination, Long> heldBack) {
        long full = queueFull.getAndSet(0);
        Optional<Destination> fallback = webhooks.byDefault();
        if (full > 0 && fallback.isPresent()) {
            heldBack.putIfAbsent(fallback.get(), 0L);
        } else if (full > 0 && !heldBack.isEmpty()) {
            fallback = Optional.of(heldBack.keySet().iterator().next());
        }
        for (Map.Entry<Destination, Long> entry : heldBack.entrySet()) {
            long dropped = fallback.isPresent() && fallback.get().equals(entry.getKey()) ? full : 0;
            window.spend();
            send(new Outgoing(entry.getKey(), messages.suppressed(entry.getValue(), dropped), "summary"));
            LOG.infof("%d exception notification(s) to %s held back by the rate limit, %d dropped (queue full): summary sent",
                    entry.getValue(), entry.getKey(), dropped);
        }
        if (full > 0 && heldBack.isEmpty()) {
            LOG.warnf("%d exception notification(s) dropped because the queue was full, and no webhook to report it to", full);
        }
        heldBack.clear();
    }

    private void send(Outgoing message) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(message.destination().url()))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(message.body())))
                    .build();
            HttpResponse<Void> answer = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() / 100 != 2) {
                failed(message, "HTTP " + answer.statusCode());
            } else {
                metrics.counter("q2c.notify.sent").increment();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | java.io.IOException e) {
            // The exception text may contain the webhook URL, which is a secret: only its kind is logged.
            failed(message, e.getClass().getSimpleName());
        }
    }

    private void failed(Outgoing message, String why) {
        metrics.counter("q2c.notify.failed").increment();
        LOG.warnf("notification (%s) to %s webhook failed: %s", message.what(), message.destination(), why);
    }
}
