package io.q2chub.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
    private final ObjectMapper json = CanonicalJson.mapper();

    @Test
    void writesDatesAndInstantsAsIsoStrings() {
        JsonNode payment = json.valueToTree(SampleData.payment());
        JsonNode revenue = json.valueToTree(SampleData.revenue());

        assertThat(payment.get("receivedAt").textValue()).isEqualTo("2025-01-15T09:30:12.345Z");
        assertThat(revenue.get("recognitionStart").textValue()).isEqualTo("2025-01-01");
    }

    @Test
    void omitsAbsentOptionalFields() {
        Payment payment = new Payment("pay-1", Payment.Kind.PAYMENT, "c1", null, Money.parse("5.00", "USD"), null,
                SampleData.payment().receivedAt(), null, null);

        JsonNode tree = json.valueToTree(payment);
        assertThat(tree.has("fee")).isFalse();
        assertThat(tree.has("invoiceId")).isFalse();
    }

    @Test
    void ignoresUnknownPropertiesSoAddedFieldsDoNotBreakConsumers() throws JsonProcessingException {
        Product product = json.readValue(
                "{\"id\":\"p1\",\"sku\":\"SKU-1\",\"name\":\"Widget\",\"kind\":\"USAGE\",\"addedLater\":42}",
                Product.class);

        assertThat(product).isEqualTo(new Product("p1", "SKU-1", "Widget", ProductKind.USAGE));
    }

    @Test
    void keepsQuantitiesExactAndPlain() throws JsonProcessingException {
        Contract.Line line = new Contract.Line("p1", new BigDecimal("1E+3"), Money.parse("0.10", "USD"));
        String text = json.writeValueAsString(line);

        assertThat(text).contains("\"quantity\":1000");
        Contract.Line read = json.readValue("{\"productId\":\"p1\",\"quantity\":0.1,"
                + "\"unitPrice\":{\"amountMinor\":10,\"currency\":\"USD\"}}", Contract.Line.class);
        assertThat(read.quantity()).isEqualTo(new BigDecimal("0.1"));
        assertThat(json.readTree("{\"q\":0.1}").get("q").decimalValue()).isEqualTo(new BigDecimal("0.1"));
    }

    @Test
    void treatsTrailingContentAsAnError() {
        assertThatThrownBy(() -> json.readTree("{\"id\":\"x\"} {\"id\":\"y\"}"))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void roundTripsEveryRecordUnchanged() throws IOException {
        for (String type : EventTypes.all()) {
            Object record = SampleData.of(type);
            Object back = json.readValue(json.writeValueAsBytes(record), EventTypes.dataClassOf(type));
            assertThat(back).as(type).isEqualTo(record);
        }
    }

    @Test
    void copiesCollectionsSoRecordsStayImmutable() {
        Invoice invoice = SampleData.invoice(null);

        assertThat(invoice.externalIds()).isEmpty();
        assertThatThrownBy(() -> invoice.lines().add(null)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(new Contract("c", "cu", null, null, Currency.getInstance("USD"), LocalDate.of(2025, 1, 1),
                null, null).lines()).isEqualTo(List.of());
    }
}
