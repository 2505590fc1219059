package io.q2chub.canonical;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.q2chub.ops.failure.PoisonFailure;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates event data against the JSON Schema of its type, so a malformed event is parked at the edge with every
 * problem listed instead of failing somewhere downstream with one.
 *
 * <p>A schema is read from the classpath and compiled on first use of its type, then kept. Not at construction:
 * the CDI client proxy runs this constructor too, and would compile everything twice. A known type whose schema
 * is missing is a packaging bug, not bad data, so it throws {@link IllegalStateException} rather than parking the
 * message; a test proves every type has its schema.
 */
@ApplicationScoped
@RegisterForReflection
public class SchemaRegistry {
    private static final String SYSTEM = "hub";

    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    public SchemaRegistry() {
        // nothing to do: schemas load on first use (see class comment)
    }

    /** The event types this registry validates: every type of {@link EventTypes}. */
    public Set<String> knownTypes() {
        return EventTypes.all();
    }

    /** Readable violations of {@code body} (raw JSON bytes) against the type's schema; empty when valid. */
    public List<String> violations(String eventType, byte[] body) {
        try {
            return violations(eventType, parse(body));
        } catch (IOException e) {
            return List.of(unparseable(e));
        }
    }

    /** Readable violations of {@code data} against the type's schema, sorted by location; empty when valid. */
    public List<String> violations(String eventType, JsonNode data) {
        if (!EventTypes.isKnown(eventType)) {
            return List.of("no schema for type " + eventType);
        }
        JsonSchema schema = schemas.computeIfAbsent(eventType, type -> load(EventTypes.schemaResourceOf(type)));
        return schema.validate(data).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    /**
     * Throws a {@link PoisonFailure} unless {@code body} is valid data for {@code eventType}: code UNPARSEABLE for
     * bytes that are not JSON, SCHEMA_INVALID (listing every violation) otherwise.
     */
    public void requireValid(String eventType, byte[] body) {
        JsonNode data;
        try {
            data = parse(body);
        } catch (IOException e) {
            throw new PoisonFailure(SYSTEM, "UNPARSEABLE", eventType + ": " + unparseable(e), e);
        }
        List<String> violations = violations(eventType, data);
        if (!violations.isEmpty()) {
            throw new PoisonFailure(SYSTEM, "SCHEMA_INVALID",
                    eventType + " data violates its schema: " + String.join("; ", violations));
        }
    }

    private static JsonNode parse(byte[] body) throws IOException {
        if (body == null || body.length == 0) {
            throw new IOException("empty body");
        }
        JsonNode node = CanonicalJson.mapper().readTree(body);
        if (node == null || node.isMissingNode()) {
            throw new IOException("no JSON content");
        }
        return node;
    }

    private static String unparseable(IOException e) {
        String detail = e instanceof JsonProcessingException json
                ? json.getOriginalMessage() : e.getMessage();
        return "data is not parseable JSON: " + detail;
    }

    private static JsonSchema load(String resource) {
        try (InputStream in = SchemaRegistry.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema " + resource + " is not on the classpath");
            }
            return Compiler.FACTORY.getSchema(in, Compiler.CONFIG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + resource, e);
        }
    }

    /** Created when the first schema is compiled (class initialisation is lazy and thread-safe). */
    private static final class Compiler {
        static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        // 2020-12 treats "format" as an annotation only; we want "date" and "date-time" enforced. JSON-path
        // locations ("$.totals.total.amountMinor") read better in an exception case than JSON pointers.
        static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_PATH)
                .build();
    }
}
