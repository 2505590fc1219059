package io.q2chub.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.q2chub.ops.failure.PoisonFailure;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The checks and conversions routes apply to canonical events on the way in and out of Kafka: a complete
 * CloudEvents envelope, data valid against the published schema, the business key as record key.
 */
@ApplicationScoped
@Named("canonicalEvents")
@RegisterForReflection
public class CanonicalEvents {

    /** Route header naming the topic an outgoing event goes to. */
    public static final String TOPIC = "q2c-topic";
    static final String KAFKA_KEY = "kafka.KEY";
    private static final String HTTP_PREFIX = "ce-";
    /**
     * Business headers an ingress may attach to an event besides the CloudEvents attributes: what kind of change a
     * customer.changed event reports, for a merge the surviving customer, and the role of the source system
     * (checked against the system-of-record policy).
     */
    static final Set<String> EVENT_HEADERS = Set.of("q2c-change-type", "q2c-surviving-id", "q2c-source-role");

    private final SchemaRegistry schemas;
    private final Config config;
    private final String defaultSource;
    private final ObjectMapper json = CanonicalJson.mapper();

    public CanonicalEvents(SchemaRegistry schemas, Config config,
            @ConfigProperty(name = "q2c.event.source") String defaultSource) {
        this.schemas = schemas;
        this.config = config;
        this.defaultSource = defaultSource;
    }

    /** A received event must carry the attributes CloudEvents requires; without them it cannot be traced or deduplicated. */
    public void requireEnvelope(Exchange exchange) {
        List<String> missing = CloudEventHeaders.missingFrom(exchange.getMessage().getHeaders());
        if (!missing.isEmpty()) {
            throw new PoisonFailure("hub", "ENVELOPE_INVALID", "CloudEvents headers missing: " + String.join(", ", missing));
        }
        String version = exchange.getMessage().getHeader(CloudEventHeaders.SPEC_VERSION, String.class);
        if (!CloudEventHeaders.SPEC_VERSION_VALUE.equals(version)) {
            throw new PoisonFailure("hub", "ENVELOPE_INVALID", "unsupported CloudEvents specversion '" + version + "'");
        }
    }

    /** The event's data must satisfy the published schema of its type. */
    public void requireValid(Exchange exchange) {
        Message in = exchange.getMessage();
        schemas.requireValid(in.getHeader(CloudEventHeaders.TYPE, String.class), in.getBody(byte[].class));
    }

    /**
     * Completes the envelope of an outgoing event (id, time, source, correlation), validates it, and sets the
     * record key and topic. Headers that are not part of the event (HTTP, Camel) are dropped so they never
     * reach the bus.
     */
    public void prepareForPublishing(Exchange exchange) {
        Message in = exchange.getMessage();
        String type = in.getHeader(CloudEventHeaders.TYPE, String.class);
        if (type == null || !EventTypes.isKnown(type)) {
            throw new PoisonFailure("hub", "UNKNOWN_EVENT_TYPE", "unknown or missing event type '" + type + "'");
        }
        byte[] body = in.getBody(byte[].class);
        schemas.requireValid(type, body);
        JsonNode data = parse(body);
        String key = keyOf(type, data);
        // The subject is the object the event is about; the key may be another (a payment is keyed by customer).
        String subject = data.path("id").isTextual() ? data.path("id").asText() : key;

        Map<String, Object> fresh = CloudEventHeaders.forNewEvent(type, defaultSource, subject,
                in.getHeader(CloudEventHeaders.CORRELATION_ID, String.class),
                in.getHeader(CloudEventHeaders.CAUSATION_ID, String.class));
        in.getHeaders().entrySet().removeIf(h -> !h.getKey().startsWith("ce_") && !EVENT_HEADERS.contains(h.getKey()));
        // What the producer already said about its event wins; the fresh envelope fills the gaps.
        fresh.forEach((name, value) -> {
            if (in.getHeader(name) == null) {
                in.setHeader(name, value);
            }
        });
        requireEnvelope(exchange);
        in.setHeader(KAFKA_KEY, key);
        in.setHeader(TOPIC, topicOf(type));
        in.setBody(body);
    }

    /** CloudEvents HTTP binary mode names attributes {@code ce-xyz}; Kafka binary mode names them {@code ce_xyz}. */
    public void fromHttp(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, Object> headers = in.getHeaders();
        for (String name : List.copyOf(headers.keySet())) {
            if (name.toLowerCase(Locale.ROOT).startsWith(HTTP_PREFIX)) {
                in.setHeader("ce_" + name.substring(HTTP_PREFIX.length()).toLowerCase(Locale.ROOT), headers.get(name));
            }
        }
    }

    /** 202: the event is durably on its topic (the producer waited for the broker's acknowledgement). */
    public void acceptedResponse(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        Map<String, String> answer = Map.of(
                "id", in.getHeader(CloudEventHeaders.ID, String.class),
                "type", in.getHeader(CloudEventHeaders.TYPE, String.class),
                "topic", in.getHeader(TOPIC, String.class));
        in.getHeaders().clear();
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setBody(json.writeValueAsString(answer));
    }

    /** Topics are configuration ({@code q2c.topics.<entity>}), so an installation can rename them. */
    String topicOf(String type) {
        String entity = type.split("\\.")[1];
        return config.getValue("q2c.topics." + entity, String.class);
    }

    private static String keyOf(String type, JsonNode data) {
        JsonNode key = data.path(EventTypes.keyFieldOf(type));
        if (!key.isTextual() || key.asText().isBlank()) {
            throw new PoisonFailure("hub", "KEY_MISSING",
                    "event data has no '" + EventTypes.keyFieldOf(type) + "' to key the record by");
        }
        return key.asText();
    }

    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new PoisonFailure("hub", "UNPARSEABLE", "event data is not JSON: " + e.getMessage(), e);
        }
    }
}
