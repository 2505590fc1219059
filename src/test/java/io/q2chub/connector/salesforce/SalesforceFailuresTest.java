package io.q2chub.connector.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.IntegrationFailure;
import io.q2chub.ops.failure.SecurityFailure;
import io.q2chub.ops.failure.ThrottlingFailure;
import io.q2chub.ops.failure.TransientFailure;
import java.net.SocketTimeoutException;
import java.util.List;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.junit.jupiter.api.Test;

/** How Salesforce's answers map onto the hub's failure classes, including the ones the simulator cannot produce. */
class SalesforceFailuresTest {

    @Test
    void dailyLimitIsThrottlingThoughItIsA403() {
        IntegrationFailure f = classify(new SalesforceException(List.of(new RestError("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")), 403));
        assertThat(f).isInstanceOf(ThrottlingFailure.class);
        assertThat(f.errorCode()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        assertThat(f.system()).isEqualTo("salesforce");
        assertThat(f.getMessage()).contains("TotalRequests Limit exceeded.");
    }

    @Test
    void concurrentRequestLimitAndA429AreThrottling() {
        IntegrationFailure concurrent = classify(new SalesforceException(List.of(new RestError(
                "CONCURRENT_REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.")), 403));
        assertThat(concurrent).isInstanceOf(ThrottlingFailure.class);
        assertThat(concurrent.errorCode()).isEqualTo("CONCURRENT_REQUEST_LIMIT_EXCEEDED");
        IntegrationFailure tooMany = classify(new SalesforceException("Too Many Requests", 429));
        assertThat(tooMany).isInstanceOf(ThrottlingFailure.class);
        assertThat(tooMany.errorCode()).isEqualTo("HTTP_429");
    }

    @Test
    void serverErrorIsTransientButNotThrottling() {
        IntegrationFailure f = classify(new SalesforceException(List.of(new RestError("SERVER_UNAVAILABLE", "down for maintenance")), 503));
        assertThat(f).isInstanceOf(TransientFailure.class).isNotInstanceOf(ThrottlingFailure.class);
        assertThat(f.errorCode()).isEqualTo("SERVER_UNAVAILABLE");
        assertThat(f.getMessage()).contains("down for maintenance");
    }

    @Test
    void noAnswerAtAllIsTransient() {
        IntegrationFailure f = classify(new RuntimeException(new SocketTimeoutException("Read timed out")));
        assertThat(f).isInstanceOf(TransientFailure.class);
        assertThat(f.errorCode()).isEqualTo("UNREACHABLE");
    }

    @Test
    void serverErrorIsTransient() {
        assertThat(classify(new SalesforceException("Unexpected error {503:Service Unavailable}", 503))).isInstanceOf(TransientFailure.class);
    }

    @Test
    void insufficientAccessAndLoginErrorsAreSecurityFailures() {
        assertThat(classify(new SalesforceException(List.of(new RestError("INSUFFICIENT_ACCESS", "no")), 403)))
                .isInstanceOf(SecurityFailure.class);
        IntegrationFailure login = classify(new SalesforceException(
                "Login error code:[invalid_client] description:[invalid client credentials]", 400));
        assertThat(login).isInstanceOf(SecurityFailure.class);
    }

    @Test
    void validationIsABusinessFailureWithSalesforcesCode() {
        IntegrationFailure f = classify(new SalesforceException(List.of(new RestError("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]")), 400));
        assertThat(f).isInstanceOf(BusinessFailure.class);
        assertThat(f.errorCode()).isEqualTo("REQUIRED_FIELD_MISSING");
    }

    @Test
    void anErrorArrayOnlyInTheMessageIsStillRead() {
        IntegrationFailure f = classify(new SalesforceException(
                "Unexpected error {403:Forbidden}: [{\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"TotalRequests Limit exceeded.\"}]", 403));
        assertThat(f).isInstanceOf(TransientFailure.class);
        assertThat(f.errorCode()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
    }

    private static IntegrationFailure classify(Throwable t) {
        return SalesforceFailures.classify(t, "testing");
    }
}
