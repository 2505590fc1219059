package io.q2chub.connector.stripe;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.StripeError;
import io.q2chub.ops.exceptions.Redaction;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.IntegrationFailure;
import io.q2chub.ops.failure.SecurityFailure;
import io.q2chub.ops.failure.ThrottlingFailure;
import io.q2chub.ops.failure.TransientFailure;
import io.q2chub.ops.resilience.RetryAfter;
import java.time.Duration;

/**
 * Turns what stripe-java throws into the hub's four failure classes, keeping Stripe's own code, type, message
 * and request id (the id is what Stripe support asks for). Retrying is the route's decision, so everything
 * that may succeed later is transient and nothing here retries.
 */
final class StripeFailures {

    static final String SYSTEM = "stripe";

    private final String apiKey;

    StripeFailures(String apiKey) {
        this.apiKey = apiKey;
    }

    IntegrationFailure classify(String operation, StripeException e) {
        String message = describe(operation, e);
        // Order matters only where classes nest: PermissionException extends AuthenticationException.
        if (e instanceof IdempotencyException) {
            // Same key, different parameters: our bug, not Stripe's; retrying can never succeed.
            return new BusinessFailure(SYSTEM, "idempotency_error", message, e);
        }
        if (e instanceof RateLimitException) {
            // Stripe's 429 (rate_limit; lock_timeout is a 429 too): busy, not broken. Waited out, never parked.
            return new ThrottlingFailure(SYSTEM, codeOr(e, "rate_limit"), message, e, retryAfter(e));
        }
        if (e instanceof ApiConnectionException) {
            return new TransientFailure(SYSTEM, "api_connection_error", message, e);
        }
        if (e instanceof AuthenticationException) {
            return new SecurityFailure(SYSTEM, codeOr(e, typeOr(e, "authentication_error")), message, e);
        }
        if (e instanceof CardException || e instanceof InvalidRequestException) {
            return new BusinessFailure(SYSTEM, codeOr(e, typeOr(e, "invalid_request_error")), message, e);
        }
        return byStatus(e, message);
    }

    /** ApiException and anything newer: 5xx, 409 (lock timeout, concurrent use of a key) and 429 can pass. */
    private static IntegrationFailure byStatus(StripeException e, String message) {
        Integer status = e.getStatusCode();
        String code = codeOr(e, typeOr(e, "api_error"));
        if (status != null && status == 429) {
            return new ThrottlingFailure(SYSTEM, code, message, e, retryAfter(e));
        }
        if (status == null || status >= 500 || status == 409) {
            return new TransientFailure(SYSTEM, code, message, e, retryAfter(e));
        }
        if (status == 401 || status == 403) {
            return new SecurityFailure(SYSTEM, code, message, e);
        }
        return new BusinessFailure(SYSTEM, code, message, e);
    }

    /** Stripe rarely sends Retry-After, but when it does it knows better than our backoff. */
    private static Duration retryAfter(StripeException e) {
        StripeError error = e.getStripeError();
        if (error == null || error.getLastResponse() == null) {
            return null;
        }
        return RetryAfter.parse(error.getLastResponse().headers().firstValue("Retry-After").orElse(null));
    }

    private String describe(String operation, StripeException e) {
        StripeError error = e.getStripeError();
        StringBuilder text = new StringBuilder("Stripe ").append(operation).append(" failed");
        if (e.getStatusCode() != null && e.getStatusCode() > 0) {
            text.append(": HTTP ").append(e.getStatusCode());
        }
        if (error != null && error.getType() != null) {
            text.append(' ').append(error.getType());
        }
        if (e.getCode() != null) {
            text.append(" (").append(e.getCode()).append(')');
        }
        if (error != null && error.getParam() != null) {
            text.append(" param ").append(error.getParam());
        }
        text.append(": ").append(error != null && error.getMessage() != null ? error.getMessage() : rootMessage(e));
        if (e.getRequestId() != null) {
            text.append(" [request-id ").append(e.getRequestId()).append(']');
        }
        return scrub(text.toString());
    }

    private static String rootMessage(StripeException e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** Stripe only ever echoes a masked key, but a message is stored and logged: make sure of it. */
    private String scrub(String text) {
        String withoutKey = apiKey == null || apiKey.isEmpty() ? text : text.replace(apiKey, Redaction.REDACTED);
        return Redaction.text(withoutKey);
    }

    private static String codeOr(StripeException e, String fallback) {
        return e.getCode() != null && !e.getCode().isEmpty() ? e.getCode() : fallback;
    }

    private static String typeOr(StripeException e, String fallback) {
        StripeError error = e.getStripeError();
        return error != null && error.getType() != null ? error.getType() : fallback;
    }
}
