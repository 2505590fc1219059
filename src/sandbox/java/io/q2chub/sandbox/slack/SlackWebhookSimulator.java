package io.q2chub.sandbox.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slack incoming webhooks as the hub sees them: POST a JSON message with "text" and/or "blocks" to a webhook path
 * under /services/, get 200 "ok"; anything else gets Slack's 400 "invalid_payload" (or "no_text"). Every path
 * under /services/ is a webhook, so one simulator stands for several channels (per-team webhooks). Messages are
 * recorded with their path so the embedded default shows what would have reached the channels
 * (GET /_sim/slack/messages) and tests can assert on them.
 */
public final class SlackWebhookSimulator implements AutoCloseable {

    public static final String WEBHOOK_PATH = "/services/T00SANDBOX/B00SANDBOX/sandboxWebhookToken";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    /** One accepted message and the webhook path it was posted to. */
    public record Posted(String path, JsonNode message) {
    }

    private final List<Posted> posts = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    private SlackWebhookSimulator() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
        server.createContext("/services/", this::webhook);
        server.createContext("/_sim/slack/messages", this::recorded);
        server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "slack-sim");
            thread.setDaemon(true);
            return thread;
        }));
    }

    public static SlackWebhookSimulator start() {
        try {
            SlackWebhookSimulator simulator = new SlackWebhookSimulator();
            simulator.server.start();
            return simulator;
        } catch (IOException e) {
            throw new UncheckedIOException("Slack webhook simulator could not bind to 127.0.0.1", e);
        }
    }

    /** The incoming-webhook URL to configure as q2c.notify.webhook-url. */
    public String webhookUrl() {
        return baseUrl() + WEBHOOK_PATH;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every accepted message, oldest first. */
    public List<JsonNode> messages() {
        return posts.stream().map(Posted::message).toList();
    }

    /** Every accepted message with its webhook path, oldest first. */
    public List<Posted> posts() {
        return List.copyOf(posts);
    }

    /** Another webhook of this simulator, e.g. a team's own channel. */
    public String webhookUrl(String channel) {
        return baseUrl() + "/services/T00SANDBOX/" + channel + "/sandboxWebhookToken";
    }

    /** The next n posts are answered 500, as Slack does when it is having trouble. */
    public void failNext(int n) {
        failuresLeft.set(n);
    }

    public void reset() {
        posts.clear();
        failuresLeft.set(0);
    }

    private void webhook(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                answer(exchange, 405, "invalid_method");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (failuresLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                answer(exchange, 500, "internal_error");
                return;
            }
            JsonNode message;
            try {
                message = JSON.readTree(body);
            } catch (IOException e) {
                answer(exchange, 400, "invalid_payload");
                return;
            }
            if (message == null || !message.isObject()) {
                answer(exchange, 400, "invalid_payload");
                return;
            }
            if (!message.path("text").isTextual() && !message.path("blocks").isArray()) {
                answer(exchange, 400, "no_text");
                return;
            }
            posts.add(new Posted(exchange.getRequestURI().getPath(), message));
            answer(exchange, 200, "ok");
        }
    }

    private void recorded(HttpExchange exchange) throws IOException {
        try (exchange) {
            ArrayNode all = JSON.createArrayNode();
            posts.forEach(p -> all.addObject().put("path", p.path()).set("message", p.message()));
            byte[] body = JSON.writeValueAsBytes(all);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
