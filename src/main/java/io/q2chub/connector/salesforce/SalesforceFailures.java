package io.q2chub.connector.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.IntegrationFailure;
import io.q2chub.ops.failure.SecurityFailure;
import io.q2chub.ops.failure.ThrottlingFailure;
import io.q2chub.ops.failure.TransientFailure;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.SalesforceMultipleChoicesException;
import org.apache.camel.component.salesforce.api.dto.RestError;

/**
 * Salesforce's answers, turned into the hub's failure classes. Salesforce says what went wrong in the errorCode
 * of its error array, and the status alone is ambiguous (403 is both "over the daily limit" and "no access"), so
 * the code decides first and the status second.
 */
final class SalesforceFailures {

    static final String SYSTEM = "salesforce";
    /** Salesforce is up but refuses for lack of capacity: waited out like any throttling, never parked. */
    private static final Set<String> THROTTLING_CODES = Set.of("REQUEST_LIMIT_EXCEEDED", "CONCURRENT_REQUEST_LIMIT_EXCEEDED");
    private static final Set<String> TRANSIENT_CODES = Set.of("SERVER_UNAVAILABLE",
            "UNABLE_TO_LOCK_ROW", "API_CURRENTLY_DISABLED", "QUERY_TIMEOUT");
    private static final Set<String> SECURITY_CODES = Set.of("INVALID_SESSION_ID", "INVALID_AUTH_HEADER",
            "INSUFFICIENT_ACCESS", "API_DISABLED_FOR_ORG", "invalid_client", "invalid_grant");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SalesforceFailures() {
    }

    /** The classified failure for anything the Salesforce component threw. */
    static IntegrationFailure classify(Throwable failure, String doing) {
        SalesforceException sf = find(failure);
        if (sf == null) {
            // No answer from Salesforce at all: connection refused, timeout, I/O.
            return new TransientFailure(SYSTEM, "UNREACHABLE", doing + ": " + failure.getMessage(), failure);
        }
        if (sf instanceof SalesforceMultipleChoicesException multiple) {
            // An external id held by several records: retrying cannot help, someone has to merge or fix them.
            return new BusinessFailure(SYSTEM, "MULTIPLE_CHOICES",
                    doing + ": several records match: " + String.join(", ", multiple.getChoices()), sf);
        }
        String code = errorCode(sf);
        int status = sf.getStatusCode();
        String message = doing + ": " + (message(sf) == null ? sf.getMessage() : message(sf));
        if (code != null && THROTTLING_CODES.contains(code) || status == 429) {
            return new ThrottlingFailure(SYSTEM, code != null ? code : "HTTP_429", message, sf, null);
        }
        if (code != null && TRANSIENT_CODES.contains(code) || status >= 500 || status == 429 || status == 0 && code == null) {
            return new TransientFailure(SYSTEM, code != null ? code : "HTTP_" + status, message, sf);
        }
        if (code != null && SECURITY_CODES.contains(code) || status == 401 || isLoginFailure(sf)) {
            // The component drops the body of a 401 it could not cure by logging in again; Salesforce's REST API
            // answers 401 only with INVALID_SESSION_ID.
            String securityCode = code != null ? code : status == 401 ? "INVALID_SESSION_ID" : "AUTHENTICATION_FAILED";
            return new SecurityFailure(SYSTEM, securityCode, message, sf);
        }
        return new BusinessFailure(SYSTEM, code != null ? code : "HTTP_" + status, message, sf);
    }

    static SalesforceException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SalesforceException sf) {
                return sf;
            }
        }
        return null;
    }

    static boolean notFound(Throwable failure) {
        SalesforceException sf = find(failure);
        return sf != null && sf.getStatusCode() == 404;
    }

    private static String errorCode(SalesforceException sf) {
        RestError first = firstError(sf);
        if (first != null && first.getErrorCode() != null) {
            return first.getErrorCode();
        }
        JsonNode body = body(sf);
        if (body != null && body.isArray() && body.size() > 0) {
            return body.get(0).path("errorCode").asText(null);
        }
        return body != null ? body.path("error").asText(null) : null;
    }

    private static String message(SalesforceException sf) {
        RestError first = firstError(sf);
        return first == null ? null : first.getMessage();
    }

    private static RestError firstError(SalesforceException sf) {
        return sf.getErrors() == null || sf.getErrors().isEmpty() ? null : sf.getErrors().get(0);
    }

    /**
     * The raw operation does not parse Salesforce's error array: it hands over the body, or only puts it into the
     * exception message.
     */
    private static JsonNode body(SalesforceException sf) {
        try (InputStream in = sf.getResponseContent()) {
            if (in != null) {
                return JSON.readTree(in);
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the message
        }
        String text = String.valueOf(sf.getMessage());
        int start = text.indexOf("[{");
        if (start < 0) {
            start = text.indexOf('{');
        }
        try {
            return start < 0 ? null : JSON.readTree(text.substring(start));
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isLoginFailure(SalesforceException sf) {
        String text = String.valueOf(sf.getMessage());
        return text.contains("invalid_client") || text.contains("Login error") || text.contains("invalid_grant");
    }
}
