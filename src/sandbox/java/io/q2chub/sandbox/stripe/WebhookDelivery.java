package io.q2chub.sandbox.stripe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Webhook delivery as Stripe does it: each state change becomes an Event ({@code evt_...}, type, created,
 * api_version, data.object = the object as it was then), POSTed as JSON to the configured endpoint with a
 * {@code Stripe-Signature} header; any answer but 2xx (or no answer) is retried with exponential backoff (Stripe:
 * up to 3 days in live mode; here {@code initialBackoff} doubling, at most {@code maxAttempts}). Delivery is
 * at least once and unordered: {@link #hold()} keeps events back until {@link #releaseReversed()}, and
 * {@link #duplicateEach(int)} sends every event several times.
 */
public final class WebhookDelivery implements AutoCloseable {

    /** One attempt to deliver an event, as Stripe's dashboard lists them. */
    public record Attempt(String eventId, String type, int attempt, int status, Instant at) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "stripe-webhooks");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, String> events = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final List<String> held = new ArrayList<>();
    private final java.util.Set<String> suppressed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile String endpointUrl;
    private volatile List<String> secrets = List.of();
    private volatile Duration initialBackoff = Duration.ofSeconds(1);
    private volatile int maxAttempts = 8;
    private volatile Duration maxBackoff = Duration.ofDays(3);
    private volatile int copies = 1;
    private boolean holding;

    /** Where events go and the endpoint's signing secret ({@code whsec_...}); null URL switches delivery off. */
    public void endpoint(String url, String secret) {
        this.endpointUrl = url;
        this.secrets = secret == null ? List.of() : List.of(secret);
    }

    /**
     * Rolls the signing secret as Stripe's dashboard does with an expiry: until {@link #expireOldSecrets()} every
     * delivery carries one v1 per secret.
     */
    public void rollSecret(String newSecret) {
        List<String> next = new ArrayList<>();
        next.add(newSecret);
        next.addAll(secrets);
        this.secrets = List.copyOf(next);
    }

    public void expireOldSecrets() {
        this.secrets = secrets.isEmpty() ? List.of() : List.of(secrets.get(0));
    }

    public void retries(Duration initialBackoff, int maxAttempts) {
        this.initialBackoff = initialBackoff;
        this.maxAttempts = maxAttempts;
    }

    /** Every event is delivered this many times (Stripe occasionally delivers one more than once). */
    public void duplicateEach(int times) {
        this.copies = Math.max(1, times);
    }

    /** Keeps new events back instead of sending them. */
    public synchronized void hold() {
        holding = true;
    }

    /** Sends the held events newest first, and stops holding. */
    public synchronized void releaseReversed() {
        holding = false;
        List<String> release = new ArrayList<>(held);
        held.clear();
        Collections.reverse(release);
        release.forEach(this::dispatch);
    }

    /** Sends an event again, as Stripe's "resend" does (same id, same payload, fresh signature). */
    public void redeliver(String eventId) {
        if (!events.containsKey(eventId)) {
            throw new IllegalArgumentException("no event " + eventId);
        }
        scheduler.execute(() -> attempt(eventId, 1));
    }

    /** Events created so far, oldest first: id → payload. */
    public Map<String, String> events() {
        synchronized (events) {
            return new LinkedHashMap<>(events);
        }
    }

    /** The id of the latest event of a type about an object, or null. */
    public String eventId(String type, String objectId) {
        String found = null;
        for (Map.Entry<String, String> event : events().entrySet()) {
            if (event.getValue().contains("\"type\":\"" + type + "\"") && event.getValue().contains("\"id\":\"" + objectId + "\"")) {
                found = event.getKey();
            }
        }
        return found;
    }

    public List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    synchronized void reset() {
        events.clear();
        attempts.clear();
        held.clear();
        holding = false;
        copies = 1;
        suppressed.clear();
    }

    /** Called by the API on every state change. */
    void emit(String type, Map<String, Object> object) {
        Map<String, Object> event = new LinkedHashMap<>();
        String id = StripeIds.next("evt");
        event.put("id", id);
        event.put("object", "event");
        event.put("api_version", com.stripe.Stripe.API_VERSION);
        event.put("created", Instant.now().getEpochSecond());
        event.put("data", Map.of("object", object));
        event.put("livemode", false);
        event.put("pending_webhooks", endpointUrl == null ? 0 : 1);
        event.put("request", Map.of());
        event.put("type", type);
        try {
            events.put(id, JSON.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (suppresses(event)) {
            return;
        }
        synchronized (this) {
            if (holding) {
                held.add(id);
                return;
            }
        }
        dispatch(id);
    }

    private void dispatch(String id) {
        for (int copy = 0; copy < copies; copy++) {
            scheduler.execute(() -> attempt(id, 1));
        }
    }

    private void attempt(String eventId, int attempt) {
        String url = endpointUrl;
        if (url == null) {
            return;
        }
        String payload = events.get(eventId);
        String type = payload.substring(payload.lastIndexOf("\"type\":\"") + 8);
        type = type.substring(0, type.indexOf('"'));
        int status;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
                    .header("Stripe-Signature", WebhookSignature.header(payload, Instant.now().getEpochSecond(), secrets))
                    .POST(HttpRequest.BodyPublishers.ofString(payload))
                    .build();
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            status = 0;
        }
        attempts.add(new Attempt(eventId, type, attempt, status, Instant.now()));
        if ((status < 200 || status > 299) && attempt < maxAttempts) {
            long delay = Math.min(initialBackoff.toMillis() << Math.min(attempt - 1, 20), maxBackoff.toMillis());
            scheduler.schedule(() -> attempt(eventId, attempt + 1), delay, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /**
     * Events about this object (an invoice, a payment intent...) are recorded but never sent from now on, as when
     * the endpoint was down for them and Stripe gave up retrying: the hub never hears of the change. Seeding only;
     * other objects' events keep flowing, unlike {@link #hold()}.
     */
    public void suppress(String objectId) {
        suppressed.add(objectId);
    }

    /** Whether the event's object is suppressed: its id, or the invoice it belongs to (an invoice payment). */
    private boolean suppresses(Map<String, Object> event) {
        if (suppressed.isEmpty()) {
            return false;
        }
        Object object = ((Map<?, ?>) event.get("data")).get("object");
        if (!(object instanceof Map<?, ?> fields)) {
            return false;
        }
        return suppressed.contains(String.valueOf(fields.get("id"))) || suppressed.contains(String.valueOf(fields.get("invoice")));
    }

    /** As {@link #retries(Duration, int)}, the backoff growing to at most {@code maxBackoff} between attempts. */
    public void retries(Duration initialBackoff, int maxAttempts, Duration maxBackoff) {
        retries(initialBackoff, maxAttempts);
        this.maxBackoff = maxBackoff;
    }
}
