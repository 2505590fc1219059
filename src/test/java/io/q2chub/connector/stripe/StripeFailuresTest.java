package io.q2chub.connector.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
import com.stripe.model.StripeError;
import com.stripe.net.HttpHeaders;
import com.stripe.net.StripeResponse;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.IntegrationFailure;
import io.q2chub.ops.failure.SecurityFailure;
import io.q2chub.ops.failure.ThrottlingFailure;
import io.q2chub.ops.failure.TransientFailure;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stripe's exceptions mapped onto the hub's classes, including answers the simulator does not produce. */
class StripeFailuresTest {

    private static final String KEY = "sk_test_failuresUnitKey1234";
    private final StripeFailures failures = new StripeFailures(KEY);

    @Test
    void rateLimitIsThrottlingAndKeepsStripesRetryAfter() {
        RateLimitException limited = new RateLimitException("Request rate limit exceeded.", null, "req_1", "rate_limit", 429, null);
        limited.setStripeError(errorWithRetryAfter("rate_limit", "7"));

        IntegrationFailure f = failures.classify("creating customer", limited);

        assertThat(f).isInstanceOf(ThrottlingFailure.class);
        assertThat(f.errorCode()).isEqualTo("rate_limit");
        assertThat(f.getMessage()).contains("HTTP 429", "request-id req_1");
        assertThat(((TransientFailure) f).retryAfter()).contains(Duration.ofSeconds(7));
    }

    @Test
    void aRateLimitWithoutRetryAfterLeavesTheWaitToTheBackoff() {
        RateLimitException limited = new RateLimitException("Request rate limit exceeded.", null, "req_2", null, 429, null);
        TransientFailure f = (TransientFailure) failures.classify("searching customers", limited);
        assertThat(f).isInstanceOf(ThrottlingFailure.class);
        assertThat(f.errorCode()).isEqualTo("rate_limit");
        assertThat(f.retryAfter()).isEmpty();
    }

    @Test
    void noConnectionAndServerErrorsAreTransientNotThrottling() {
        IntegrationFailure refused = failures.classify("creating customer",
                new ApiConnectionException("IOException during API request to Stripe", new ConnectException("Connection refused")));
        assertThat(refused).isInstanceOf(TransientFailure.class).isNotInstanceOf(ThrottlingFailure.class);
        assertThat(refused.errorCode()).isEqualTo("api_connection_error");

        IntegrationFailure down = failures.classify("creating customer", new ApiException("An unknown error occurred", "req_3", null, 503, null));
        assertThat(down).isInstanceOf(TransientFailure.class).isNotInstanceOf(ThrottlingFailure.class);
    }

    @Test
    void invalidRequestsAreBusinessFailuresWithStripesCode() {
        IntegrationFailure f = failures.classify("creating customer",
                new InvalidRequestException("Invalid email address: x", "email", "req_4", "email_invalid", 400, null));
        assertThat(f).isInstanceOf(BusinessFailure.class);
        assertThat(f.errorCode()).isEqualTo("email_invalid");
    }

    @Test
    void refusedKeysAreSecurityFailuresThatNeverRepeatTheKey() {
        IntegrationFailure unauthorized = failures.classify("creating customer",
                new AuthenticationException("Invalid API Key provided: " + KEY, "req_5", null, 401));
        assertThat(unauthorized).isInstanceOf(SecurityFailure.class);
        assertThat(unauthorized.getMessage()).doesNotContain(KEY);
        IntegrationFailure forbidden = failures.classify("creating customer",
                new PermissionException("The provided key does not have access", "req_6", null, 403));
        assertThat(forbidden).isInstanceOf(SecurityFailure.class);
    }

    private static StripeError errorWithRetryAfter(String code, String seconds) {
        StripeError error = new StripeError();
        error.setCode(code);
        error.setType("invalid_request_error");
        error.setMessage("Request rate limit exceeded.");
        error.setLastResponse(new StripeResponse(429, HttpHeaders.of(Map.of("Retry-After", List.of(seconds))), "{}"));
        return error;
    }
}
