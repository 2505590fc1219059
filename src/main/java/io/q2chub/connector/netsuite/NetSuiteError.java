package io.q2chub.connector.netsuite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.q2chub.ops.exceptions.Redaction;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.IntegrationFailure;
import io.q2chub.ops.failure.SecurityFailure;
import io.q2chub.ops.failure.ThrottlingFailure;
import io.q2chub.ops.failure.TransientFailure;
import io.q2chub.ops.resilience.RetryAfter;
import java.io.IOException;
import java.time.Duration;

/**
 * What NetSuite said when it refused a request ({@code o:errorDetails[0]}), and the project failure it means:
 * throttling and server trouble are transient, refused credentials are a security failure, refused data is a
 * business failure. NetSuite's own code and detail travel on so the exception case shows NetSuite's words.
 */
record NetSuiteError(int status, String code, String detail, Duration retryAfter) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static NetSuiteError of(int status, String body) {
        return of(status, body, null);
    }

    /** @param retryAfter the answer's Retry-After header (NetSuite sends one with some 429 and 503 answers), or null */
    static NetSuiteError of(int status, String body, String retryAfter) {
        Duration wait = RetryAfter.parse(retryAfter);
        try {
            JsonNode first = JSON.readTree(body == null ? "" : body).path("o:errorDetails").path(0);
            if (first.hasNonNull("o:errorCode")) {
                return new NetSuiteError(status, first.get("o:errorCode").asText(), first.path("detail").asText(""),
                        wait);
            }
        } catch (IOException e) {
            // not NetSuite's JSON (a proxy's HTML page, say): classified by status alone below
        }
        return new NetSuiteError(status, "HTTP_" + status, "no NetSuite error body", wait);
    }

    boolean throttled() {
        return status == 429 || code.equals("SSS_REQUEST_LIMIT_EXCEEDED");
    }

    IntegrationFailure failure(String operation) {
        String message = "NetSuite " + operation + " answered " + status + " " + code + ": " + Redaction.text(detail);
        if (throttled()) {
            return new ThrottlingFailure(RecordApiClient.SYSTEM, code, message, null, retryAfter);
        }
        if (status == 408 || status >= 500) {
            return new TransientFailure(RecordApiClient.SYSTEM, code, message, null, retryAfter);
        }
        if (status == 401 || status == 403) {
            return new SecurityFailure(RecordApiClient.SYSTEM, code, message);
        }
        return new BusinessFailure(RecordApiClient.SYSTEM, code, message);
    }
}
