package io.q2chub.ops.exceptions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What of a failed payload the hub may keep. Secrets (fields whose name says so, values that look like keys or
 * tokens) are redacted for good: replay never needs them, and canonical events are not meant to carry any. The
 * configured PII fields are encrypted one by one, so the inbox shows them masked and replay sends the original
 * values. A payload that is not JSON (poison) keeps its bytes except for secret-looking text and PII members,
 * which are redacted, since without a structure they cannot be put back.
 */
@ApplicationScoped
@Startup
public class PayloadProtection {

    /** What the stored payload holds in place of an encrypted PII value. */
    public static final String ENCRYPTED = "[ENCRYPTED]";

    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

    /** A payload as stored: masked bytes, and the encrypted PII by JSON pointer (empty when there was none). */
    public record Protected(byte[] payload, Map<String, String> encryptedPii) {
    }

    private final ObjectMapper json;
    private final PiiCipher cipher;
    private final Set<String> piiNames;
    private final Set<String> piiPointers;
    private final Pattern piiMember;

    public PayloadProtection(ObjectMapper json,
            @ConfigProperty(name = "q2c.exceptions.pii-fields") Optional<List<String>> piiFields,
            @ConfigProperty(name = PiiCipher.KEY_PROPERTY) Optional<String> key) {
        this.json = json;
        this.cipher = PiiCipher.fromBase64(key.orElse(null));
        List<String> fields = piiFields.orElse(List.of()).stream().map(String::trim).filter(f -> !f.isEmpty()).toList();
        this.piiPointers = fields.stream().filter(f -> f.startsWith("/")).collect(Collectors.toUnmodifiableSet());
        this.piiNames = fields.stream().filter(f -> !f.startsWith("/")).map(f -> f.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        List<String> memberNames = new ArrayList<>(piiNames);
        piiPointers.forEach(p -> memberNames.add(p.substring(p.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT)));
        this.piiMember = memberNames.isEmpty() ? null : Pattern.compile("(?i)(\"(?:"
                + memberNames.stream().map(Pattern::quote).collect(Collectors.joining("|"))
                + ")\"\\s*:\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}\\s]+)");
    }

    /** The payload as it may be stored; untouched (byte for byte) when it holds no secret and no PII. */
    public Protected protect(byte[] payload) {
        if (payload == null) {
            return new Protected(null, Map.of());
        }
        JsonNode tree = parseStructure(payload);
        if (tree == null) {
            return new Protected(protectRaw(payload), Map.of());
        }
        Map<String, String> encrypted = new LinkedHashMap<>();
        boolean changed = walk(tree, "", encrypted);
        return new Protected(changed ? write(tree) : payload, encrypted);
    }

    /**
     * The payload to send again: each encrypted field that still holds the mask gets its original value back. A
     * field an operator changed in an edited payload keeps the operator's value.
     */
    public byte[] restore(byte[] payload, Map<String, String> encryptedPii) {
        if (payload == null || encryptedPii == null || encryptedPii.isEmpty()) {
            return payload;
        }
        JsonNode tree = parseStructure(payload);
        if (tree == null) {
            return payload;
        }
        encryptedPii.forEach((pointer, sealed) -> {
            int slash = pointer.lastIndexOf('/');
            JsonNode parent = tree.at(pointer.substring(0, slash));
            String name = unescape(pointer.substring(slash + 1));
            if (parent instanceof ObjectNode object && ENCRYPTED.equals(object.path(name).asText(null))) {
                object.set(name, readValue(cipher.decrypt(sealed, pointer)));
            } else if (parent instanceof ArrayNode array && isIndex(name, array)
                    && ENCRYPTED.equals(array.get(Integer.parseInt(name)).asText(null))) {
                array.set(Integer.parseInt(name), readValue(cipher.decrypt(sealed, pointer)));
            }
        });
        return write(tree);
    }

    /** A payload as text for the audit trail (an edited payload): secrets redacted and PII masked, nothing kept. */
    public String forAudit(byte[] payload) {
        Protected kept = protect(payload);
        return kept.payload() == null ? null : new String(kept.payload(), StandardCharsets.UTF_8);
    }

    private boolean walk(JsonNode node, String pointer, Map<String, String> encrypted) {
        boolean changed = false;
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                String path = pointer + "/" + escape(field.getKey());
                JsonNode value = field.getValue();
                if (value.isNull()) {
                    continue;
                }
                if (Redaction.isSecretName(field.getKey())) {
                    field.setValue(TextNode.valueOf(Redaction.REDACTED));
                    changed = true;
                } else if (isPii(field.getKey(), path)) {
                    encrypted.put(path, cipher.encrypt(value.toString(), path));
                    field.setValue(TextNode.valueOf(ENCRYPTED));
                    changed = true;
                } else {
                    changed |= protectValue(value, path, encrypted, field::setValue);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                int index = i;
                changed |= protectValue(array.get(i), pointer + "/" + i, encrypted, v -> array.set(index, v));
            }
        }
        return changed;
    }

    private boolean protectValue(JsonNode value, String path, Map<String, String> encrypted,
            java.util.function.Consumer<JsonNode> replace) {
        if (value.isTextual()) {
            String redacted = Redaction.payloadValue(value.textValue());
            if (!redacted.equals(value.textValue())) {
                replace.accept(TextNode.valueOf(redacted));
                return true;
            }
            return false;
        }
        return walk(value, path, encrypted);
    }

    private boolean isPii(String name, String pointer) {
        return piiNames.contains(name.toLowerCase(Locale.ROOT)) || piiPointers.contains(pointer);
    }

    /**
     * Bytes kept as they came except for what is redacted. ISO-8859-1 maps every byte to one char and back, so
     * bytes that are not text (or not UTF-8) survive unchanged; the patterns only ever replace ASCII.
     */
    private byte[] protectRaw(byte[] payload) {
        String text = new String(payload, StandardCharsets.ISO_8859_1);
        String redacted = Redaction.rawText(text);
        if (piiMember != null) {
            redacted = piiMember.matcher(redacted).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "\"" + Redaction.REDACTED + "\""));
        }
        redacted = EMAIL.matcher(redacted).replaceAll(Matcher.quoteReplacement(Redaction.REDACTED));
        return redacted.equals(text) ? payload : redacted.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** An object or array; null for anything else (unparseable, or a bare scalar), which is treated as raw bytes. */
    private JsonNode parseStructure(byte[] payload) {
        try {
            JsonNode tree = json.readTree(payload);
            return tree != null && (tree.isObject() || tree.isArray()) ? tree : null;
        } catch (IOException e) {
            return null;
        }
    }

    private JsonNode readValue(String jsonText) {
        try {
            return json.readTree(jsonText);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a decrypted PII value is not JSON", e);
        }
    }

    private byte[] write(JsonNode tree) {
        try {
            return json.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isIndex(String name, ArrayNode array) {
        return name.chars().allMatch(Character::isDigit) && !name.isEmpty() && Integer.parseInt(name) < array.size();
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static String unescape(String token) {
        return token.replace("~1", "/").replace("~0", "~");
    }
}
