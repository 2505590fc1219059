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
 * A Slack incoming webhook as the hub sees one: POST a JSON message with "text" and/or "blocks" to the webhook
 * path, get 200 "ok"; anything else gets Slack's 400 "invalid_payload" (or "no_text"). Messages are recorded so
 * the embedded default shows what would have reached the channel (GET /_sim/slack/messages) and tests can assert
 * on them. The path carries a made-up token, as a real webhook URL does.
 */
public final class SlackWebhookSimulator implements AutoCloseable {

    public static final String WEBHOOK_PATH = "/services/T00SANDBOX/B00SANDBOX/sandboxWebhookToken";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    private SlackWebhookSimulator() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
        server.createContext(WEBHOOK_PATH, this::webhook);
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
        return List.copyOf(messages);
    }

    /** The next n posts are answered 500, as Slack does when it is having trouble. */
    public void failNext(int n) {
        failuresLeft.set(n);
    }

    public void reset() {
        messages.clear();
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
            messages.add(message);
            answer(exchange, 200, "ok");
        }
    }

    private void recorded(HttpExchange exchange) throws IOException {
        try (exchange) {
            ArrayNode all = JSON.createArrayNode();
            messages.forEach(all::add);
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
