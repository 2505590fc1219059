package io.q2chub.sandbox.stripe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answer in Stripe's shape, {@code {"error": {"type", "code", "message", "param", "doc_url"}}}: the
 * connector under test must classify what Stripe really sends, so the bodies here copy Stripe's wording.
 */
record StripeError(int status, String type, String code, String message, String param) {

    static StripeError notFound(String resource, String id) {
        return new StripeError(404, "invalid_request_error", "resource_missing",
                "No such " + resource + ": '" + id + "'", "id");
    }

    static StripeError invalidParam(String code, String param, String message) {
        return new StripeError(400, "invalid_request_error", code, message, param);
    }

    static StripeError unknownParam(String param) {
        return new StripeError(400, "invalid_request_error", "parameter_unknown",
                "Received unknown parameter: " + param, param);
    }

    static StripeError invalidApiKey(String maskedKey) {
        return new StripeError(401, "invalid_request_error", null, "Invalid API Key provided: " + maskedKey, null);
    }

    static StripeError missingApiKey() {
        return new StripeError(401, "invalid_request_error", null,
                "You did not provide an API key. You need to provide your API key in the Authorization header, "
                        + "using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
                        + "https://stripe.com/docs/api#authentication for details, or we can help at "
                        + "https://support.stripe.com/.", null);
    }

    static StripeError rateLimited() {
        return new StripeError(429, "invalid_request_error", "rate_limit",
                "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.",
                null);
    }

    static StripeError apiError() {
        return new StripeError(500, "api_error", null,
                "An unknown error occurred while processing your request. Please try again later.", null);
    }

    static StripeError idempotencyMismatch(String key) {
        return new StripeError(400, "idempotency_error", null,
                "Keys for idempotent requests can only be used with the same parameters they were first used with. "
                        + "Try using a key other than '" + key + "' if you meant to execute a different request.",
                null);
    }

    static StripeError idempotencyInProgress() {
        return new StripeError(409, "idempotency_error", "idempotency_key_in_use",
                "There is currently another in-progress request using this Idempotent Key (that probably means you "
                        + "submitted twice, and the other request is still going through): please retry that request "
                        + "later.", null);
    }

    /** Stands in for an injected fault: 429 and 5xx get Stripe's bodies for them, anything else a generic one. */
    static StripeError forStatus(int status) {
        if (status == 429) {
            return rateLimited();
        }
        if (status >= 500) {
            return new StripeError(status, "api_error", null, apiError().message(), null);
        }
        return new StripeError(status, "invalid_request_error", null, "Simulated failure (HTTP " + status + ").", null);
    }

    Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        if (code != null) {
            error.put("code", code);
            error.put("doc_url", "https://stripe.com/docs/error-codes/" + code.replace('_', '-'));
        }
        error.put("message", message);
        if (param != null) {
            error.put("param", param);
        }
        error.put("type", type);
        return Map.of("error", error);
    }
}
