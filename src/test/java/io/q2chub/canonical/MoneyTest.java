package io.q2chub.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MoneyTest {
    private final ObjectMapper json = CanonicalJson.mapper();

    @ParameterizedTest(name = "{0} {1} = {2} minor")
    @CsvSource({
        "12.34,    USD, 1234,  12.34",
        "0.5,      USD, 50,    0.50",
        "-0.01,    USD, -1,    -0.01",
        "1234,     JPY, 1234,  1234",
        "1.0,      JPY, 1,     1",
        "12.345,   KWD, 12345, 12.345",
        "0.001,    KWD, 1,     0.001",
    })
    void roundTripsExactlyThroughMinorUnitsDecimalTextAndJson(
            String decimal, String code, long minor, String canonicalDecimal) throws Exception {
        Money money = Money.parse(decimal, code);

        assertThat(money.minorUnits()).isEqualTo(minor);
        assertThat(money.toDecimalString()).isEqualTo(canonicalDecimal);
        assertThat(Money.parse(money.toDecimalString(), code)).isEqualTo(money);

        String text = json.writeValueAsString(money);
        assertThat(text).isEqualTo("{\"amountMinor\":" + minor + ",\"currency\":\"" + money.currency() + "\"}");
        assertThat(json.readValue(text, Money.class)).isEqualTo(money);
    }

    @Test
    void exponentComesFromTheCurrency() {
        assertThat(Money.ofMinor(1, "USD").exponent()).isEqualTo(2);
        assertThat(Money.ofMinor(1, "JPY").exponent()).isEqualTo(0);
        assertThat(Money.ofMinor(12345, "KWD").toDecimalString()).isEqualTo("12.345");
    }

    @Test
    void acceptsLowerCaseCodesAsStripeSendsThem() {
        assertThat(Money.ofMinor(1299, "usd")).isEqualTo(Money.parse("12.99", "USD"));
    }

    @ParameterizedTest
    @CsvSource({"1.234, USD", "1.5, JPY", "0.0001, KWD", "1.2345, KWD"})
    void rejectsMoreDecimalsThanTheCurrencyHas(String decimal, String code) {
        assertThatThrownBy(() -> Money.parse(decimal, code))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(decimal)
                .hasMessageContaining(code);
    }

    @Test
    void rejectsWhatIsNotAnAmount() {
        assertThatThrownBy(() -> Money.parse("12,50", "EUR")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("12,50").hasMessageContaining("EUR");
        assertThatThrownBy(() -> Money.parse(" ", "EUR")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Money.parse("92233720368547758.08", "USD"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
    }

    @Test
    void rejectsUnknownCurrenciesAndCurrenciesWithoutMinorUnit() {
        assertThatThrownBy(() -> Money.parse("1", "ABC")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ABC");
        assertThatThrownBy(() -> Money.ofMinor(1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Money.ofMinor(1, "XAU")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("XAU");
    }

    @Test
    void arithmeticStaysInOneCurrency() {
        Money a = Money.parse("10.05", "USD");
        Money b = Money.parse("0.95", "USD");

        assertThat(a.plus(b)).isEqualTo(Money.parse("11.00", "USD"));
        assertThat(a.minus(b).toDecimalString()).isEqualTo("9.10");
        assertThat(b.negate().toDecimalString()).isEqualTo("-0.95");
        assertThat(Money.zero(Currency.getInstance("USD")).plus(a)).isEqualTo(a);

        Money euros = Money.parse("1.00", "EUR");
        assertThatThrownBy(() -> a.plus(euros)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("USD").hasMessageContaining("EUR");
        assertThatThrownBy(() -> a.minus(euros)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void arithmeticRefusesToOverflow() {
        Money max = Money.ofMinor(Long.MAX_VALUE, "USD");
        assertThatThrownBy(() -> max.plus(Money.ofMinor(1, "USD"))).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void jsonRefusesAmountsThatAreNotExactIntegers() {
        assertThatThrownBy(() -> json.readValue("{\"amountMinor\":12.5,\"currency\":\"USD\"}", Money.class))
                .isInstanceOf(JsonMappingException.class).hasMessageContaining("amountMinor");
        assertThatThrownBy(() -> json.readValue("{\"amountMinor\":\"1250\",\"currency\":\"USD\"}", Money.class))
                .isInstanceOf(JsonMappingException.class).hasMessageContaining("amountMinor");
        assertThatThrownBy(() -> json.readValue("{\"amountMinor\":1250}", Money.class))
                .isInstanceOf(JsonMappingException.class).hasMessageContaining("currency");
        assertThatThrownBy(() -> json.readValue("{\"amountMinor\":1250,\"currency\":\"ZZZ\"}", Money.class))
                .isInstanceOf(JsonMappingException.class).hasMessageContaining("ZZZ");
    }
}
