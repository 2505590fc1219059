package io.q2chub.connector.netsuite;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the NetSuite connector needs, as plain values: CDI builds it from {@code q2c.netsuite.*}
 * ({@link NetSuiteConfig}), tests build it directly.
 *
 * @param baseUrl the REST Record API base, e.g. {@code https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1}
 * @param accountId the TBA realm, e.g. {@code 1234567_SB1}
 * @param subsidiaries legal entity code → subsidiary internal id ({@code US01=1,DE01=2})
 * @param currencies ISO 4217 code → currency internal id ({@code USD=1,EUR=4}); currency ids differ per account
 * @param maxConcurrency requests this hub sends at once: its share of the account's concurrency limit
 * @param throttleAttempts attempts of a request NetSuite answers 429, before a TransientFailure
 * @param throttleBackoff first wait after a 429; doubled each time, with jitter
 */
public record NetSuiteSettings(String baseUrl, String accountId, String consumerKey, String consumerSecret,
        String tokenId, String tokenSecret, Map<String, String> subsidiaries, Map<String, String> currencies,
        int maxConcurrency, Duration requestTimeout, int throttleAttempts, Duration throttleBackoff) {

    public NetSuiteSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(consumerKey, "consumerKey");
        Objects.requireNonNull(consumerSecret, "consumerSecret");
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(tokenSecret, "tokenSecret");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(throttleBackoff, "throttleBackoff");
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        subsidiaries = Map.copyOf(subsidiaries == null ? Map.of() : subsidiaries);
        currencies = Map.copyOf(currencies == null ? Map.of() : currencies);
        if (maxConcurrency < 1 || throttleAttempts < 1) {
            throw new IllegalArgumentException("maxConcurrency and throttleAttempts must be at least 1");
        }
    }

    /** The settings from {@code q2c.netsuite.*}, or empty when a required key is missing ({@link #missingKeys}). */
    public static Optional<NetSuiteSettings> from(NetSuiteConfig config) {
        if (!missingKeys(config).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new NetSuiteSettings(config.baseUrl().get(), config.accountId().get(),
                config.consumerKey().get(), config.consumerSecret().get(), config.tokenId().get(),
                config.tokenSecret().get(), codes(config.subsidiaries().orElse("")),
                codes(config.currencies().orElse("")), config.maxConcurrency(), config.requestTimeout(),
                config.throttleAttempts(), config.throttleBackoff()));
    }

    /** The required {@code q2c.netsuite.*} keys that have no value. */
    public static List<String> missingKeys(NetSuiteConfig config) {
        Map<String, Optional<String>> required = new LinkedHashMap<>();
        required.put("base-url", config.baseUrl());
        required.put("account-id", config.accountId());
        required.put("consumer-key", config.consumerKey());
        required.put("consumer-secret", config.consumerSecret());
        required.put("token-id", config.tokenId());
        required.put("token-secret", config.tokenSecret());
        return required.entrySet().stream().filter(key -> key.getValue().isEmpty())
                .map(key -> "q2c.netsuite." + key.getKey()).toList();
    }

    /** Parses {@code US01=1, DE01=2} (the form of q2c.netsuite.subsidiaries and q2c.netsuite.currencies). */
    public static Map<String, String> codes(String text) {
        Map<String, String> codes = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return codes;
        }
        for (String pair : text.split(",")) {
            String[] parts = pair.split("=", 2);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalArgumentException("expected CODE=ID pairs separated by commas, got '" + pair.trim() + "'");
            }
            codes.put(parts[0].trim(), parts[1].trim());
        }
        return codes;
    }

    /** Never prints the consumer or token secret (settings end up in logs and exception messages). */
    @Override
    public String toString() {
        return "NetSuiteSettings[baseUrl=" + baseUrl + ", accountId=" + accountId + ", consumerKey=" + consumerKey
                + ", tokenId=" + tokenId + ", subsidiaries=" + subsidiaries + ", currencies=" + currencies
                + ", maxConcurrency=" + maxConcurrency + ", requestTimeout=" + requestTimeout
                + ", throttleAttempts=" + throttleAttempts + ", throttleBackoff=" + throttleBackoff + "]";
    }
}
