package io.q2chub.connector.stripe;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Stripe: the secret (or restricted) API key, the API base (the real API or a simulator) and the
 * client's timeouts. {@link #toString()} never shows the key, so the settings can be logged.
 *
 * @param apiBase e.g. {@code https://api.stripe.com}, or {@code http://127.0.0.1:PORT} for the simulator
 */
public record StripeSettings(String apiKey, String apiBase, Duration connectTimeout, Duration readTimeout) {

    public static final String DEFAULT_API_BASE = "https://api.stripe.com";
    // stripe-java's own defaults (30 s connect, 80 s read): Stripe recommends not cutting reads short, because a
    // write that times out on our side may still complete on theirs.
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(80);

    public StripeSettings {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("the Stripe API key is empty");
        }
        apiBase = stripTrailingSlash(apiBase == null || apiBase.isBlank() ? DEFAULT_API_BASE : apiBase.trim());
        connectTimeout = Objects.requireNonNullElse(connectTimeout, DEFAULT_CONNECT_TIMEOUT);
        readTimeout = Objects.requireNonNullElse(readTimeout, DEFAULT_READ_TIMEOUT);
    }

    public StripeSettings(String apiKey, String apiBase) {
        this(apiKey, apiBase, null, null);
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String toString() {
        return "StripeSettings[apiKey=[REDACTED], apiBase=" + apiBase + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + "]";
    }
}
