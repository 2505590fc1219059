package io.q2chub.connector.netsuite;

import io.q2chub.ops.failure.TransientFailure;
import io.q2chub.ops.resilience.SystemGuard;
import io.q2chub.ops.tracing.OutboundCall;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Sends REST Record API requests for one NetSuite account. NetSuite limits concurrent requests per account
 * (shared by every integration), so every request passes the hub's NetSuite guard (its share of the concurrency
 * limit, live traffic first, and the NetSuite circuit breaker), and a request NetSuite still refuses with 429 is
 * retried here with exponential backoff and jitter (or after NetSuite's Retry-After): throttling is absorbed,
 * not parked. Other failures are thrown classified, once, for the route to retry or park.
 */
final class RecordApiClient {

    static final String SYSTEM = "netsuite";
    private static final Logger LOG = Logger.getLogger(RecordApiClient.class);

    private final NetSuiteSettings settings;
    private final TokenBasedAuth tba;
    private final SystemGuard guard;
    private final HttpClient http;

    RecordApiClient(NetSuiteSettings settings, SystemGuard guard) {
        this.settings = settings;
        this.tba = new TokenBasedAuth(settings);
        this.guard = guard;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.requestTimeout())
                .build();
    }

    /**
     * @param path below the base URL, e.g. {@code /customer/eid:cust-1}
     * @param json the body, or null
     * @return a 2xx or 404 answer (whether "not found" is a failure is the caller's call)
     */
    HttpResponse<String> send(String method, String path, String json) {
        String operation = method + " " + path;
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = sendWithinBudget(method, path, json, operation);
            if (response.statusCode() / 100 == 2 || response.statusCode() == 404) {
                return response;
            }
            NetSuiteError error = NetSuiteError.of(response.statusCode(), response.body(),
                    response.headers().firstValue("Retry-After").orElse(null));
            if (!error.throttled() || attempt >= settings.throttleAttempts()) {
                throw error.failure(attempt > 1 ? operation + " (attempt " + attempt + ")" : operation);
            }
            Duration wait = error.retryAfter() != null ? error.retryAfter() : backoff(attempt);
            LOG.debugf("NetSuite %s throttled (%s), attempt %d of %d, again in %d ms", operation, error.code(),
                    attempt, settings.throttleAttempts(), wait.toMillis());
            pause(wait, operation);
        }
    }

    /**
     * One page of a SuiteQL query: POST /services/rest/query/v1/suiteql?limit=&offset= (the query service beside
     * the record service), {@code Prefer: transient} as NetSuite requires. Throttling is retried as for records.
     */
    HttpResponse<String> suiteQl(String query, int limit, int offset) {
        String base = settings.baseUrl().replaceFirst("/record/v1/?$", "/query/v1");
        URI uri = URI.create(base + "/suiteql?limit=" + limit + "&offset=" + offset);
        String operation = "SuiteQL offset " + offset;
        String json = "{\"q\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(query) + "}";
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = sendWithinBudget("POST", uri, json, operation);
            if (response.statusCode() / 100 == 2) {
                return response;
            }
            NetSuiteError error = NetSuiteError.of(response.statusCode(), response.body(),
                    response.headers().firstValue("Retry-After").orElse(null));
            if (!error.throttled() || attempt >= settings.throttleAttempts()) {
                throw error.failure(operation);
            }
            pause(error.retryAfter() != null ? error.retryAfter() : backoff(attempt), operation);
        }
    }

    private HttpResponse<String> sendWithinBudget(String method, String path, String json, String operation) {
        return sendWithinBudget(method, URI.create(settings.baseUrl() + path), json, operation);
    }

    private HttpResponse<String> sendWithinBudget(String method, URI uri, String json, String operation) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("Accept", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (uri.getPath().endsWith("/suiteql")) {
            request.header("Prefer", "transient");
        }
        return guard.call(operation, () -> {
            // signed last, so the timestamp is fresh even after a wait for the budget
            request.header("Authorization", tba.header(method, uri));
            // the ERP call as a child span of the capability step that makes it (README "Tracing and logs")
            return OutboundCall.traced(SYSTEM, method, uri, request, built -> exchange(built, operation));
        });
    }

    private HttpResponse<String> exchange(HttpRequest request, String operation) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 500) {
                // thrown inside the guard, so the circuit breaker sees the server failing
                throw NetSuiteError.of(response.statusCode(), response.body(),
                        response.headers().firstValue("Retry-After").orElse(null)).failure(operation);
            }
            return response;
        } catch (HttpTimeoutException e) {
            throw new TransientFailure(SYSTEM, "NETSUITE_TIMEOUT", "NetSuite " + operation + " gave no answer within "
                    + settings.requestTimeout(), e);
        } catch (IOException e) {
            throw new TransientFailure(SYSTEM, "NETSUITE_UNREACHABLE", "NetSuite " + operation + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure(SYSTEM, "INTERRUPTED", "interrupted during NetSuite " + operation, e);
        }
    }

    /** Doubles per attempt; "equal jitter" (half fixed, half random) so throttled callers do not retry in step. */
    private Duration backoff(int attempt) {
        long ceiling = settings.throttleBackoff().toMillis() << Math.min(attempt - 1, 16);
        long half = Math.max(1, ceiling / 2);
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    private static void pause(Duration wait, String operation) {
        try {
            // outside the budget: a throttled caller must not hold a slot another request could use
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure(SYSTEM, "INTERRUPTED", "interrupted backing off from NetSuite " + operation, e);
        }
    }
}
