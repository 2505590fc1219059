package io.q2chub.connector.netsuite;

import static org.assertj.core.api.Assertions.assertThat;

import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.IntegrationFailure;
import io.q2chub.ops.failure.SecurityFailure;
import io.q2chub.ops.failure.ThrottlingFailure;
import io.q2chub.ops.failure.TransientFailure;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** NetSuite's answers and non-answers, classified with NetSuite's own code and words, and its Retry-After kept. */
class NetSuiteErrorTest {

    private static String body(String code, String detail) {
        return "{\"type\":\"https://www.rfc-editor.org/rfc/rfc9110.html\",\"title\":\"t\",\"status\":0,"
                + "\"o:errorDetails\":[{\"detail\":\"" + detail + "\",\"o:errorCode\":\"" + code + "\"}]}";
    }

    @Test
    void serverTroubleIsTransientAndKeepsNetSuitesRetryAfter() {
        IntegrationFailure f = NetSuiteError.of(503, body("UNEXPECTED_ERROR", "Service unavailable"), "12")
                .failure("PUT /customer/eid:c1");
        assertThat(f).isInstanceOf(TransientFailure.class).isNotInstanceOf(ThrottlingFailure.class);
        assertThat(f.errorCode()).isEqualTo("UNEXPECTED_ERROR");
        assertThat(f.getMessage()).contains("503", "Service unavailable");
        assertThat(((TransientFailure) f).retryAfter()).contains(Duration.ofSeconds(12));
    }

    @Test
    void a429AndTheConcurrencyCodeAreThrottlingWithRetryAfter() {
        TransientFailure tooMany = (TransientFailure) NetSuiteError.of(429,
                body("SSS_REQUEST_LIMIT_EXCEEDED", "Concurrent request limit exceeded"), "3").failure("GET /customer/1");
        assertThat(tooMany).isInstanceOf(ThrottlingFailure.class);
        assertThat(tooMany.errorCode()).isEqualTo("SSS_REQUEST_LIMIT_EXCEEDED");
        assertThat(tooMany.retryAfter()).contains(Duration.ofSeconds(3));
        // the concurrency code decides even when a proxy rewrote the status
        assertThat(NetSuiteError.of(400, body("SSS_REQUEST_LIMIT_EXCEEDED", "limit"), null).failure("GET /customer/1"))
                .isInstanceOf(ThrottlingFailure.class);
        assertThat(((TransientFailure) NetSuiteError.of(429, "<html>busy</html>", null).failure("GET /x")).retryAfter())
                .isEmpty();
    }

    @Test
    void refusedCredentialsAreSecurityFailures() {
        assertThat(NetSuiteError.of(401, body("INVALID_LOGIN", "Invalid login attempt."), null).failure("GET /x"))
                .isInstanceOf(SecurityFailure.class).extracting(IntegrationFailure::errorCode).isEqualTo("INVALID_LOGIN");
        assertThat(NetSuiteError.of(403, body("INSUFFICIENT_PERMISSION", "no role"), null).failure("GET /x"))
                .isInstanceOf(SecurityFailure.class);
    }

    @Test
    void refusedDataIsABusinessFailureWithNetSuitesWords() {
        IntegrationFailure f = NetSuiteError.of(400, body("USER_ERROR", "Invalid value for the subsidiary field"), null)
                .failure("PUT /customer/eid:c1");
        assertThat(f).isInstanceOf(BusinessFailure.class);
        assertThat(f.errorCode()).isEqualTo("USER_ERROR");
        assertThat(f.getMessage()).contains("Invalid value for the subsidiary field");
    }

    @Test
    void aTimeoutStatusAndAnUnreadableBodyAreClassifiedByStatus() {
        assertThat(NetSuiteError.of(408, "", null).failure("GET /x")).isInstanceOf(TransientFailure.class);
        IntegrationFailure proxy = NetSuiteError.of(502, "<html>Bad gateway</html>", null).failure("GET /x");
        assertThat(proxy).isInstanceOf(TransientFailure.class);
        assertThat(proxy.errorCode()).isEqualTo("HTTP_502");
    }

    @Test
    void aRefusedConnectionIsTransient() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        NetSuiteSettings settings = SandboxAccount.withBaseUrl("http://127.0.0.1:" + closedPort + "/services/rest/record/v1");
        IntegrationFailure f = org.assertj.core.api.Assertions.catchThrowableOfType(IntegrationFailure.class,
                () -> new NetSuiteErp(settings).findCustomer("cust-1"));
        assertThat(f).isInstanceOf(TransientFailure.class);
        assertThat(f.errorCode()).isEqualTo("NETSUITE_UNREACHABLE");
    }
}
