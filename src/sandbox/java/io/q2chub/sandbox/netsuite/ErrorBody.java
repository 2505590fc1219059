package io.q2chub.sandbox.netsuite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** NetSuite's REST error document: {"type", "title", "status", "o:errorDetails": [{"detail", "o:errorCode"}]}. */
final class ErrorBody {

    static final String INVALID_LOGIN_DETAIL = "Invalid login attempt. For more details, see the Login Audit Trail in"
            + " the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.";
    static final String CONCURRENCY_DETAIL = "Request blocked by the request concurrency limit. The number of"
            + " concurrent requests for this account exceeds the limit allowed for your service tier."
            + " Retry the request later.";

    private static final ObjectMapper JSON = new ObjectMapper();

    // The type links NetSuite sends: RFC 9110 sections of each status.
    private static final Map<Integer, String> SECTIONS = Map.of(
            400, "15.5.1", 401, "15.5.2", 403, "15.5.4", 404, "15.5.5", 405, "15.5.6",
            429, "6", 500, "15.6.1", 502, "15.6.3", 503, "15.6.4", 504, "15.6.5");
    private static final Map<Integer, String> TITLES = Map.of(
            400, "Bad Request", 401, "Unauthorized", 403, "Forbidden", 404, "Not Found", 405, "Method Not Allowed",
            429, "Too Many Requests", 500, "Internal Server Error", 502, "Bad Gateway", 503, "Service Unavailable",
            504, "Gateway Timeout");

    private ErrorBody() {
    }

    static String of(int status, String errorCode, String detail) {
        ObjectNode body = JSON.createObjectNode();
        // 429 is not in RFC 9110; it is defined by RFC 6585, section 4
        body.put("type", status == 429 ? "https://www.rfc-editor.org/rfc/rfc6585.html#section-4"
                : "https://www.rfc-editor.org/rfc/rfc9110.html#section-" + SECTIONS.getOrDefault(status, "15"));
        body.put("title", TITLES.getOrDefault(status, "Error"));
        body.put("status", status);
        ObjectNode error = body.putArray("o:errorDetails").addObject();
        error.put("detail", detail);
        error.put("o:errorCode", errorCode);
        return body.toString();
    }

    static String unauthorized() {
        return of(401, "INVALID_LOGIN", INVALID_LOGIN_DETAIL);
    }

    static String concurrencyLimit() {
        return of(429, "SSS_REQUEST_LIMIT_EXCEEDED", CONCURRENCY_DETAIL);
    }

    /** The body of an injected failure: the code NetSuite uses for that status. */
    static String injected(int status) {
        if (status == 429) {
            return concurrencyLimit();
        }
        String code = status > 500 ? "SERVICE_UNAVAILABLE" : "UNEXPECTED_ERROR";
        return of(status, code, "An unexpected error occurred (injected by the simulator).");
    }
}
