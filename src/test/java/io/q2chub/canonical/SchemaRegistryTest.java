package io.q2chub.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.q2chub.ops.failure.PoisonFailure;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaRegistryTest {
    /** Rewrites the sample files from {@link SampleData} after a deliberate record change. */
    private static final boolean WRITE_SAMPLES = Boolean.getBoolean("q2c.samples.write");
    private static final Path SAMPLE_DIR = Path.of("src/test/resources/samples");

    /** Numbers compare by value: the file's {@code 12} and the record's {@code BigDecimal("12")} are the same. */
    private static final Comparator<JsonNode> NUMERIC_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private final SchemaRegistry registry = new SchemaRegistry();
    private final ObjectMapper json = CanonicalJson.mapper();

    static Iterable<String> eventTypes() {
        return EventTypes.all();
    }

    @Test
    void knowsEveryEventType() {
        assertThat(registry.knownTypes()).containsExactlyElementsOf(EventTypes.all());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void sampleOfTheRecordIsValid(String type) throws IOException {
        byte[] body = sample(type);

        assertThat(registry.violations(type, body)).isEmpty();
        assertThatCode(() -> registry.requireValid(type, body)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void sampleIsExactlyTheRecordWrittenAsJson(String type) throws IOException {
        Object record = SampleData.of(type);
        JsonNode file = json.readTree(sample(type));

        assertThat(file.equals(NUMERIC_VALUE, json.valueToTree(record)))
                .as("samples/%s differs from SampleData; rerun with -Dq2c.samples.write=true if intended",
                        EventTypes.schemaFileOf(type))
                .isTrue();
        assertThat(json.treeToValue(file, EventTypes.dataClassOf(type))).isEqualTo(record);
    }

    /**
     * Canonical objects accept additional properties, so validation alone would not notice a record field the
     * schema forgot. Closing every object of the schema and validating the fully populated sample does.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void schemaDeclaresEveryPropertyTheRecordWrites(String type) throws IOException {
        JsonNode closed = closeObjects(resource(EventTypes.schemaResourceOf(type)));
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(closed);

        assertThat(schema.validate(json.readTree(sample(type))))
                .as("properties of %s missing from its schema", EventTypes.dataClassOf(type).getSimpleName())
                .isEmpty();
    }

    @Test
    void missingRequiredFieldIsNamed() throws IOException {
        ObjectNode invoice = sampleTree(EventTypes.INVOICE_ISSUED);
        invoice.remove("customerId");

        assertThat(registry.violations(EventTypes.INVOICE_ISSUED, invoice))
                .singleElement(STRING).contains("customerId");
    }

    @Test
    void amountMinorAsStringIsNamed() throws IOException {
        ObjectNode invoice = sampleTree(EventTypes.INVOICE_ISSUED);
        ((ObjectNode) invoice.at("/totals/total")).put("amountMinor", "129900");

        assertThat(registry.violations(EventTypes.INVOICE_ISSUED, invoice))
                .singleElement(STRING).contains("totals.total.amountMinor").contains("string");
    }

    @Test
    void fractionalAmountMinorIsRefused() throws IOException {
        ObjectNode payment = sampleTree(EventTypes.PAYMENT_RECORDED);
        ((ObjectNode) payment.get("amount")).put("amountMinor", new BigDecimal("1299.5"));

        assertThat(registry.violations(EventTypes.PAYMENT_RECORDED, payment))
                .singleElement(STRING).contains("amount.amountMinor");
    }

    @Test
    void datesAreChecked() throws IOException {
        ObjectNode invoice = sampleTree(EventTypes.INVOICE_ISSUED);
        invoice.put("issueDate", "31/01/2025");

        assertThat(registry.violations(EventTypes.INVOICE_ISSUED, invoice))
                .singleElement(STRING).contains("issueDate");
    }

    @Test
    void openObjectsButClosedMoney() throws IOException {
        ObjectNode payment = sampleTree(EventTypes.PAYMENT_RECORDED);
        payment.put("addedInV1_1", "fine");
        assertThat(registry.violations(EventTypes.PAYMENT_RECORDED, payment)).isEmpty();

        ((ObjectNode) payment.get("amount")).put("amount", 12.99);
        assertThat(registry.violations(EventTypes.PAYMENT_RECORDED, payment))
                .singleElement(STRING).contains("amount");
    }

    @Test
    void optionalFieldsMayBeNull() throws IOException {
        ObjectNode payment = sampleTree(EventTypes.PAYMENT_RECORDED);
        payment.putNull("fee");
        payment.putNull("invoiceId");

        assertThat(registry.violations(EventTypes.PAYMENT_RECORDED, payment)).isEmpty();
    }

    @Test
    void unknownTypeHasNoSchema() {
        assertThat(registry.violations("q2c.invoice.paid.v1", "{}".getBytes(StandardCharsets.UTF_8)))
                .containsExactly("no schema for type q2c.invoice.paid.v1");
        assertThatThrownBy(() -> registry.requireValid("q2c.invoice.paid.v1", "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PoisonFailure.class).hasMessageContaining("no schema for type q2c.invoice.paid.v1");
    }

    @Test
    void unparseableBodyIsOneViolation() {
        for (String body : new String[] {"{\"id\": ", "", "{\"id\":\"a\"} trailing"}) {
            assertThat(registry.violations(EventTypes.PRODUCT_CHANGED, body.getBytes(StandardCharsets.UTF_8)))
                    .as(body).singleElement(STRING).contains("not parseable JSON");
        }
    }

    @Test
    void requireValidParksUnparseableBodiesAsPoison() {
        byte[] body = "not json".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> registry.requireValid(EventTypes.PRODUCT_CHANGED, body))
                .isInstanceOfSatisfying(PoisonFailure.class, failure -> {
                    assertThat(failure.system()).isEqualTo("hub");
                    assertThat(failure.errorCode()).isEqualTo("UNPARSEABLE");
                    assertThat(failure.getMessage()).contains(EventTypes.PRODUCT_CHANGED);
                });
    }

    @Test
    void requireValidListsEveryViolation() throws IOException {
        ObjectNode invoice = sampleTree(EventTypes.INVOICE_ISSUED);
        invoice.remove("number");
        invoice.put("kind", "PROFORMA");
        byte[] body = json.writeValueAsBytes(invoice);

        assertThatThrownBy(() -> registry.requireValid(EventTypes.INVOICE_ISSUED, body))
                .isInstanceOfSatisfying(PoisonFailure.class, failure -> {
                    assertThat(failure.system()).isEqualTo("hub");
                    assertThat(failure.errorCode()).isEqualTo("SCHEMA_INVALID");
                    assertThat(failure.getMessage()).contains("number").contains("kind");
                });
    }

    private static JsonNode closeObjects(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && !object.path("additionalProperties").isObject()) {
                object.put("additionalProperties", false);
            }
            object.forEach(SchemaRegistryTest::closeObjects);
        } else {
            node.forEach(SchemaRegistryTest::closeObjects);
        }
        return node;
    }

    private JsonNode resource(String name) throws IOException {
        return json.readTree(resourceBytes(name));
    }

    private byte[] resourceBytes(String name) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private ObjectNode sampleTree(String type) throws IOException {
        return (ObjectNode) json.readTree(sample(type));
    }

    private byte[] sample(String type) throws IOException {
        String file = EventTypes.schemaFileOf(type);
        if (WRITE_SAMPLES) {
            byte[] written = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(SampleData.of(type));
            Files.createDirectories(SAMPLE_DIR);
            Files.write(SAMPLE_DIR.resolve(file), written);
            return written;
        }
        return resourceBytes("samples/" + file);
    }
}
