package io.q2chub.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP side of the simulated org: the OAuth 2.0 token endpoint and the REST API calls the hub makes, with
 * Salesforce's answer shapes (error bodies as arrays of {message, errorCode, fields}, the Sforce-Limit-Info
 * header, REQUEST_LIMIT_EXCEEDED once the daily budget is spent).
 */
final class SalesforceHttpApi implements HttpHandler {

    static final String API_VERSION = "60.0";
    private static final String DATA = "/services/data/v" + API_VERSION + "/";
    private static final int COMPOSITE_LIMIT = 25;

    private final SimulatedOrg org;
    private final Settings settings;
    private final AccountQueries queries;
    private final OrderItemQueries orderItems;
    private final ObjectMapper json = new ObjectMapper();
    private final SObjectRest sObjectRest;
    private final SObjectCollections collections;
    private volatile String baseUrl;

    /** An answer: status and JSON body (null for 204). */
    record Answer(int status, Object body) {
        static Answer error(int status, String errorCode, String message) {
            return new Answer(status, List.of(Map.of("message", message, "errorCode", errorCode, "fields", List.of())));
        }
    }

    SalesforceHttpApi(SimulatedOrg org, Settings settings) {
        this.org = org;
        this.settings = settings;
        this.sObjectRest = new SObjectRest(org.sObjects(), DATA);
        this.collections = new SObjectCollections(org.sObjects(), json);
        this.queries = new AccountQueries(org);
        this.orderItems = new OrderItemQueries(org);
    }

    AccountQueries queries() {
        return queries;
    }

    void baseUrl(String url) {
        this.baseUrl = url;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            byte[] body = exchange.getRequestBody().readAllBytes();
            Answer answer;
            if (path.equals("/services/oauth2/token") && method.equals("POST")) {
                answer = token(new String(body, StandardCharsets.UTF_8));
            } else if (path.equals("/_sim/accounts") && method.equals("GET")) {
                answer = new Answer(200, org.accounts());
            } else if (path.equals("/_sim/orders") && method.equals("GET")) {
                answer = new Answer(200, org.sObjects().records("Order"));
            } else if (path.startsWith("/services/data")) {
                answer = rest(exchange, method, path, body);
                exchange.getResponseHeaders().add("Sforce-Limit-Info",
                        "api-usage=" + org.apiCalls() + "/" + org.dailyLimit());
            } else {
                answer = Answer.error(404, "NOT_FOUND", "The requested resource does not exist");
            }
            send(exchange, answer);
        } catch (RuntimeException e) {
            send(exchange, Answer.error(500, "UNKNOWN_EXCEPTION", "simulator failure: " + e));
        }
    }

    private Answer token(String form) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2) {
                params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
        }
        if (!"client_credentials".equals(params.get("grant_type"))) {
            return new Answer(400, Map.of("error", "unsupported_grant_type", "error_description", "grant type not supported"));
        }
        if (!settings.clientId().equals(params.get("client_id")) || !settings.clientSecret().equals(params.get("client_secret"))) {
            return new Answer(400, Map.of("error", "invalid_client", "error_description", "invalid client credentials"));
        }
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("access_token", org.issueToken());
        token.put("instance_url", baseUrl);
        token.put("id", baseUrl + "/id/" + SimulatedOrg.ORG_ID + "/" + SimulatedOrg.USER_ID);
        token.put("token_type", "Bearer");
        token.put("issued_at", String.valueOf(System.currentTimeMillis()));
        token.put("signature", "c2ltdWxhdGVk");
        return new Answer(200, token);
    }

    private Answer rest(HttpExchange exchange, String method, String path, byte[] body) throws IOException {
        org.record(method + " " + path);
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !org.validToken(auth.substring("Bearer ".length()))) {
            return Answer.error(401, "INVALID_SESSION_ID", "Session expired or invalid");
        }
        if (!org.countCall()) {
            return Answer.error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
        }
        Optional<SimulatedOrg.Fault> fault = org.takeFault();
        if (fault.isPresent()) {
            return Answer.error(fault.get().status(), fault.get().errorCode(), "simulated failure");
        }
        org.delay();
        if (path.equals(DATA + "query") && method.equals("GET")) {
            return query(queryParameter(exchange.getRequestURI().getRawQuery(), "q"));
        }
        if (path.startsWith(DATA + "query/") && method.equals("GET")) {
            return queries.more(path.substring((DATA + "query/").length())).map(this::page)
                    .orElseGet(() -> Answer.error(400, "INVALID_QUERY_LOCATOR", "invalid query locator"));
        }
        return dispatch(method, path, body.length == 0 ? null : json.readTree(body));
    }

    private Answer query(String soql) {
        try {
            if (ActivatedOrderQueries.handles(soql)) {
                return page(ActivatedOrderQueries.query(org, soql));
            }
            return page(OrderItemQueries.handles(soql) ? orderItems.query(soql) : queries.query(soql));
        } catch (AccountQueries.Refused e) {
            return Answer.error(400, e.errorCode, e.getMessage());
        }
    }

    private Answer page(AccountQueries.Page page) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("totalSize", page.totalSize());
        answer.put("done", page.nextLocator() == null);
        if (page.nextLocator() != null) {
            answer.put("nextRecordsUrl", DATA + "query/" + page.nextLocator());
        }
        answer.put("records", page.records());
        return new Answer(200, answer);
    }

    private static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2 && kv[0].equals(name)) {
                return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** One REST operation; also used for the subrequests of a composite call, which count as one call in all. */
    private Answer dispatch(String method, String path, JsonNode body) {
        if (path.equals("/services/data") || path.equals("/services/data/")) {
            return new Answer(200, List.of(Map.of("label", "Spring '24", "url", "/services/data/v" + API_VERSION,
                    "version", API_VERSION)));
        }
        if (!path.startsWith(DATA)) {
            return Answer.error(404, "NOT_FOUND", "The requested resource does not exist");
        }
        String[] parts = path.substring(DATA.length()).split("/");
        if (parts.length == 2 && parts[0].equals("composite") && parts[1].equals("sobjects")) {
            return collections.handle(method, body);
        }
        if (parts.length == 1 && parts[0].equals("composite") && method.equals("POST")) {
            return composite(body);
        }
        if (parts[0].equals("sobjects")) {
            return sObjectRest.handle(method, parts, body);
        }
        return Answer.error(404, "NOT_FOUND", "The requested resource does not exist");
    }

    /** Composite: up to 25 subrequests executed in order, answered together, counted as one API call. */
    private Answer composite(JsonNode body) {
        JsonNode requests = body == null ? null : body.path("compositeRequest");
        if (requests == null || !requests.isArray()) {
            return Answer.error(400, "JSON_PARSER_ERROR", "compositeRequest is required");
        }
        if (requests.size() > COMPOSITE_LIMIT) {
            return Answer.error(400, "INVALID_INPUT", "compositeRequest cannot have more than 25 subrequests");
        }
        ArrayNode responses = json.createArrayNode();
        for (JsonNode sub : requests) {
            Answer answer = dispatch(sub.path("method").asText(), sub.path("url").asText(),
                    sub.hasNonNull("body") ? sub.get("body") : null);
            ObjectNode response = responses.addObject();
            response.set("body", json.valueToTree(answer.body()));
            response.putObject("httpHeaders");
            response.put("httpStatusCode", answer.status());
            response.put("referenceId", sub.path("referenceId").asText());
        }
        return new Answer(200, Map.of("compositeResponse", responses));
    }

    private void send(HttpExchange exchange, Answer answer) throws IOException {
        if (answer.body() == null) {
            exchange.sendResponseHeaders(answer.status(), -1);
            return;
        }
        byte[] bytes = json.writeValueAsBytes(answer.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
