package io.q2chub.canonical;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;

/**
 * The wire form of {@link Money}: {@code {"amountMinor": 12345, "currency": "KWD"}}.
 *
 * <p>Written by hand rather than left to record binding because Jackson's default coercions would accept
 * {@code "amountMinor": 12.5} (truncated) or {@code "1234"} (a string); an amount that is not an exact JSON integer
 * is refused here.
 */
public final class MoneyJson {
    static final String AMOUNT_MINOR = "amountMinor";
    static final String CURRENCY = "currency";

    private MoneyJson() {
    }

    public static final class Serializer extends JsonSerializer<Money> {
        @Override
        public void serialize(Money money, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            gen.writeNumberField(AMOUNT_MINOR, money.minorUnits());
            gen.writeStringField(CURRENCY, money.currency().getCurrencyCode());
            gen.writeEndObject();
        }
    }

    public static final class Deserializer extends JsonDeserializer<Money> {
        @Override
        public Money deserialize(JsonParser parser, DeserializationContext ctxt) throws IOException {
            JsonNode node = ctxt.readTree(parser);
            JsonNode amount = node.get(AMOUNT_MINOR);
            JsonNode currency = node.get(CURRENCY);
            if (amount == null || !amount.isIntegralNumber() || !amount.canConvertToLong()) {
                return ctxt.reportInputMismatch(Money.class,
                        "money needs an integer '%s', got %s", AMOUNT_MINOR, amount);
            }
            if (currency == null || !currency.isTextual()) {
                return ctxt.reportInputMismatch(Money.class,
                        "money needs a string '%s', got %s", CURRENCY, currency);
            }
            try {
                return Money.ofMinor(amount.longValue(), currency.textValue());
            } catch (IllegalArgumentException e) {
                return ctxt.reportInputMismatch(Money.class, "%s", e.getMessage());
            }
        }
    }
}
