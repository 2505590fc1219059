package io.q2chub.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares a published (frozen) event schema with its current version and lists what would break the people
 * holding the published one.
 *
 * <p>A published schema has two kinds of holders: consumers that read events written to the new schema, and
 * replays that push old events through the new one. So a change is compatible only if it is safe both ways, which
 * in practice allows one thing: adding an optional property (top-level objects allow additional properties, so old
 * consumers ignore it and old data lacks it legitimately). Reported, at any depth (properties, array items,
 * {@code $defs}, {@code additionalProperties} and {@code anyOf}/{@code oneOf}/{@code allOf} schemas):
 * <ul>
 *   <li>a property removed;</li>
 *   <li>a type changed (widened or narrowed: old consumers break on the new values, old data on the new type);</li>
 *   <li>a property newly required;</li>
 *   <li>an enum value removed, or an enum imposed where any value was allowed;</li>
 *   <li>{@code additionalProperties} tightened from true/absent to false;</li>
 *   <li>{@code $ref}, {@code pattern}, {@code format} or {@code const} changed, and alternatives removed.</li>
 * </ul>
 * Each finding names its location as a JSON pointer into the published schema.
 */
public class SchemaCompatibility {
    private static final List<String> EXACT_KEYWORDS = List.of("$ref", "pattern", "format", "const");
    private static final List<String> NAMED_SUBSCHEMAS = List.of("properties", "$defs");
    private static final List<String> SUBSCHEMA_LISTS = List.of("anyOf", "oneOf", "allOf");

    /** Incompatibilities of {@code current} with {@code published}; empty when current can replace it. */
    public List<String> incompatibilities(JsonNode published, JsonNode current) {
        List<String> found = new ArrayList<>();
        compare("#", published, current, found);
        return found;
    }

    private void compare(String at, JsonNode published, JsonNode current, List<String> found) {
        if (!published.isObject() || !current.isObject()) {
            if (!published.equals(current)) {
                found.add(at + ": schema changed from " + published + " to " + current);
            }
            return;
        }
        compareType(at, published, current, found);
        compareEnum(at, published, current, found);
        compareRequired(at, published, current, found);
        compareAdditionalProperties(at, published, current, found);
        for (String keyword : EXACT_KEYWORDS) {
            if (published.has(keyword) && !published.get(keyword).equals(current.get(keyword))) {
                found.add(at + ": " + keyword + " changed from " + published.get(keyword) + " to "
                        + current.get(keyword));
            }
        }
        for (String keyword : NAMED_SUBSCHEMAS) {
            compareNamed(at + "/" + keyword, published.path(keyword), current.path(keyword), found);
        }
        for (String keyword : SUBSCHEMA_LISTS) {
            compareList(at + "/" + keyword, published.path(keyword), current.path(keyword), found);
        }
        if (published.has("items") && current.has("items")) {
            compare(at + "/items", published.get("items"), current.get("items"), found);
        }
    }

    private void compareType(String at, JsonNode published, JsonNode current, List<String> found) {
        Set<String> was = texts(published.get("type"));
        Set<String> now = texts(current.get("type"));
        if (!was.equals(now)) {
            found.add(at + ": type changed from " + describe(was) + " to " + describe(now));
        }
    }

    private void compareEnum(String at, JsonNode published, JsonNode current, List<String> found) {
        if (!current.has("enum")) {
            return;
        }
        if (!published.has("enum")) {
            found.add(at + ": enum " + current.get("enum") + " imposed where any value was allowed");
            return;
        }
        for (JsonNode value : published.get("enum")) {
            if (!contains(current.get("enum"), value)) {
                found.add(at + ": enum value " + value + " removed");
            }
        }
    }

    private void compareRequired(String at, JsonNode published, JsonNode current, List<String> found) {
        Set<String> was = texts(published.get("required"));
        for (String name : texts(current.get("required"))) {
            if (!was.contains(name)) {
                found.add(at + ": property '" + name + "' newly required");
            }
        }
    }

    private void compareAdditionalProperties(String at, JsonNode published, JsonNode current, List<String> found) {
        JsonNode was = published.get("additionalProperties");
        JsonNode now = current.get("additionalProperties");
        boolean wasOpen = was == null || (was.isBoolean() && was.booleanValue());
        if (wasOpen && now != null && now.isBoolean() && !now.booleanValue()) {
            found.add(at + ": additionalProperties tightened to false");
        } else if (was != null && was.isObject() && now != null) {
            compare(at + "/additionalProperties", was, now, found);
        }
    }

    private void compareNamed(String at, JsonNode published, JsonNode current, List<String> found) {
        String what = at.endsWith("/$defs") ? "definition" : "property";
        for (Map.Entry<String, JsonNode> entry : published.properties()) {
            String where = at + "/" + entry.getKey();
            if (current.has(entry.getKey())) {
                compare(where, entry.getValue(), current.get(entry.getKey()), found);
            } else {
                found.add(where + ": " + what + " removed");
            }
        }
    }

    private void compareList(String at, JsonNode published, JsonNode current, List<String> found) {
        for (int i = 0; i < published.size(); i++) {
            if (i < current.size()) {
                compare(at + "/" + i, published.get(i), current.get(i), found);
            } else {
                found.add(at + "/" + i + ": alternative removed");
            }
        }
    }

    private static Set<String> texts(JsonNode node) {
        Set<String> texts = new TreeSet<>();
        if (node != null && node.isTextual()) {
            texts.add(node.textValue());
        } else if (node != null && node.isArray()) {
            node.forEach(element -> texts.add(element.asText()));
        }
        return texts;
    }

    private static String describe(Set<String> types) {
        return types.isEmpty() ? "(any)" : String.join("|", types);
    }

    private static boolean contains(JsonNode array, JsonNode value) {
        for (JsonNode element : array) {
            if (element.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
