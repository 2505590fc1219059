package io.q2chub.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Each test takes the real invoice schema, makes one edit, and checks the verdict. */
class SchemaCompatibilityTest {
    private final SchemaCompatibility compatibility = new SchemaCompatibility();

    @Test
    void identicalSchemaIsCompatible() throws IOException {
        assertThat(check(schema -> { })).isEmpty();
    }

    @Test
    void addedOptionalPropertyIsCompatible() throws IOException {
        assertThat(check(schema -> {
            props(schema).putObject("purchaseOrderNumber").put("type", "string");
            props(def(schema, "invoiceLine")).putObject("discountCode").putArray("type").add("string").add("null");
        })).isEmpty();
    }

    @Test
    void removedTopLevelPropertyIsCaught() throws IOException {
        assertThat(check(schema -> props(schema).remove("dueDate")))
                .singleElement(STRING).contains("#/properties/dueDate").contains("property removed");
    }

    @Test
    void removedPropertyInDefsIsCaught() throws IOException {
        assertThat(check(schema -> {
            props(def(schema, "money")).remove("currency");
            ((ArrayNode) def(schema, "money").get("required")).remove(1);
        })).singleElement(STRING).contains("#/$defs/money/properties/currency").contains("removed");
    }

    @Test
    void removedPropertyInArrayItemsIsCaught() throws IOException {
        // the real schema reaches line items through $ref; inline them so the edit is inside "items" itself
        ObjectNode published = (ObjectNode) invoiceSchema();
        ((ObjectNode) props(published).get("lines")).set("items", def(published, "invoiceLine").deepCopy());
        ObjectNode current = published.deepCopy();
        props((ObjectNode) current.at("/properties/lines/items")).remove("sku");

        assertThat(compatibility.incompatibilities(published, current))
                .singleElement(STRING).contains("#/properties/lines/items/properties/sku").contains("removed");
    }

    @Test
    void removedDefinitionIsCaught() throws IOException {
        assertThat(check(schema -> ((ObjectNode) schema.get("$defs")).remove("totals")))
                .singleElement(STRING).contains("#/$defs/totals").contains("definition removed");
    }

    @Test
    void changedTypeIsCaught() throws IOException {
        assertThat(check(schema -> ((ObjectNode) props(schema).get("number")).put("type", "integer")))
                .singleElement(STRING).contains("#/properties/number").contains("type changed from string to integer");
        assertThat(check(schema -> ((ObjectNode) props(def(schema, "money")).get("amountMinor")).put("type", "string")))
                .singleElement(STRING).contains("#/$defs/money/properties/amountMinor").contains("type changed");
        assertThat(check(schema -> ((ObjectNode) props(schema).get("dueDate")).put("type", "string")))
                .singleElement(STRING).contains("#/properties/dueDate").contains("null|string to string");
    }

    @Test
    void newlyRequiredPropertyIsCaught() throws IOException {
        assertThat(check(schema -> ((ArrayNode) schema.get("required")).add("dueDate")))
                .singleElement(STRING).contains("'dueDate' newly required");
        assertThat(check(schema -> ((ArrayNode) def(schema, "invoiceLine").get("required")).add("sku")))
                .singleElement(STRING).contains("#/$defs/invoiceLine").contains("'sku' newly required");
    }

    @Test
    void removedEnumValueIsCaught() throws IOException {
        assertThat(check(schema -> ((ArrayNode) props(schema).get("kind").get("enum")).remove(2)))
                .singleElement(STRING).contains("#/properties/kind").contains("enum value \"VOID\" removed");
    }

    @Test
    void addedEnumValueIsCompatible() throws IOException {
        assertThat(check(schema -> ((ArrayNode) props(schema).get("kind").get("enum")).add("PRO_FORMA"))).isEmpty();
    }

    @Test
    void tightenedAdditionalPropertiesIsCaught() throws IOException {
        assertThat(check(schema -> schema.put("additionalProperties", false)))
                .singleElement(STRING).contains("#: additionalProperties tightened to false");
        assertThat(check(schema -> def(schema, "totals").remove("additionalProperties")))
                .isEmpty();
        assertThat(check(schema -> def(schema, "totals").put("additionalProperties", false)))
                .singleElement(STRING).contains("#/$defs/totals");
    }

    @Test
    void changedPatternOrRefIsCaught() throws IOException {
        assertThat(check(schema -> ((ObjectNode) props(schema).get("currency")).put("pattern", "^[A-Z]{2}$")))
                .singleElement(STRING).contains("#/properties/currency: pattern changed");
        assertThat(check(schema -> ((ObjectNode) props(schema).get("totals")).put("$ref", "#/$defs/money")))
                .singleElement(STRING).contains("#/properties/totals: $ref changed");
    }

    @Test
    void reportsEveryIncompatibilityAtOnce() throws IOException {
        assertThat(check(schema -> {
            props(schema).remove("dueDate");
            ((ArrayNode) schema.get("required")).add("subscriptionId");
        })).hasSize(2);
    }

    private List<String> check(Consumer<ObjectNode> edit) throws IOException {
        JsonNode published = invoiceSchema();
        ObjectNode current = published.deepCopy();
        edit.accept(current);
        return compatibility.incompatibilities(published, current);
    }

    private static ObjectNode props(ObjectNode schema) {
        return (ObjectNode) schema.get("properties");
    }

    private static ObjectNode def(JsonNode schema, String name) {
        return (ObjectNode) schema.get("$defs").get(name);
    }

    private static JsonNode invoiceSchema() throws IOException {
        try (InputStream in = SchemaCompatibilityTest.class.getClassLoader()
                .getResourceAsStream(EventTypes.schemaResourceOf(EventTypes.INVOICE_ISSUED))) {
            return CanonicalJson.mapper().readTree(in);
        }
    }
}
