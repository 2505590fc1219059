package io.q2chub.canonical;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Objects;

/**
 * An exact amount of one currency, held as an integer count of the currency's minor unit (cents, fils, yen).
 *
 * <p>Every system on the quote-to-cash path rounds differently; carrying integers end to end means the hub never
 * adds its own rounding. The exponent comes from ISO 4217 via {@link Currency#getDefaultFractionDigits()}: USD 2,
 * JPY 0, KWD 3. On the wire it is {@code {"amountMinor": 12345, "currency": "KWD"}} (see {@link MoneyJson}).
 */
@JsonSerialize(using = MoneyJson.Serializer.class)
@JsonDeserialize(using = MoneyJson.Deserializer.class)
public record Money(long minorUnits, Currency currency) {

    public Money {
        Objects.requireNonNull(currency, "currency");
        if (currency.getDefaultFractionDigits() < 0) {
            // XAU, XDR, XXX...: no minor unit, so no exact integer representation
            throw new IllegalArgumentException("currency " + currency.getCurrencyCode() + " has no minor unit");
        }
    }

    /** Amount already in minor units, as billing APIs (Stripe, Chargebee) send it. */
    public static Money ofMinor(long minorUnits, String isoCode) {
        return new Money(minorUnits, currencyOf(isoCode));
    }

    public static Money zero(Currency currency) {
        return new Money(0, currency);
    }

    /**
     * Parses a decimal amount as ERPs and CRMs send it ("1234.50"). Trailing zeros are fine ("1.50" JPY is not,
     * "1.0" JPY is); anything that would need rounding is rejected, because silently rounding money is worse than
     * parking the message.
     */
    public static Money parse(String decimalAmount, String isoCode) {
        Currency currency = currencyOf(isoCode);
        if (decimalAmount == null || decimalAmount.isBlank()) {
            throw new IllegalArgumentException("amount is blank for " + currency.getCurrencyCode());
        }
        BigDecimal minor = decimal(decimalAmount, currency).movePointRight(currency.getDefaultFractionDigits());
        if (minor.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("amount '" + decimalAmount + "' has more than "
                    + currency.getDefaultFractionDigits() + " decimals for " + currency.getCurrencyCode());
        }
        try {
            return new Money(minor.longValueExact(), currency);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount '" + decimalAmount + "' " + currency.getCurrencyCode()
                    + " is out of range", e);
        }
    }

    /** Number of decimals of this currency's minor unit. */
    public int exponent() {
        return currency.getDefaultFractionDigits();
    }

    /** Exact decimal value, e.g. KWD 12345 minor → 12.345. */
    public BigDecimal toBigDecimal() {
        return BigDecimal.valueOf(minorUnits, exponent());
    }

    /** Plain decimal text with exactly the currency's decimals: "12.345" (KWD), "0.50" (USD), "1234" (JPY). */
    public String toDecimalString() {
        return toBigDecimal().toPlainString();
    }

    public Money plus(Money other) {
        return new Money(Math.addExact(minorUnits, sameCurrency(other).minorUnits), currency);
    }

    public Money minus(Money other) {
        return new Money(Math.subtractExact(minorUnits, sameCurrency(other).minorUnits), currency);
    }

    public Money negate() {
        return new Money(Math.negateExact(minorUnits), currency);
    }

    @Override
    public String toString() {
        return toDecimalString() + " " + currency.getCurrencyCode();
    }

    private Money sameCurrency(Money other) {
        Objects.requireNonNull(other, "other");
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("currency mismatch: " + this + " and " + other);
        }
        return other;
    }

    /** Case-insensitive because Stripe sends "usd"; the canonical JSON itself is upper case. */
    static Currency currencyOf(String isoCode) {
        if (isoCode == null) {
            throw new IllegalArgumentException("currency code is missing");
        }
        try {
            return Currency.getInstance(isoCode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown currency code '" + isoCode + "'", e);
        }
    }

    private static BigDecimal decimal(String decimalAmount, Currency currency) {
        try {
            return new BigDecimal(decimalAmount.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("amount '" + decimalAmount + "' is not a decimal number for "
                    + currency.getCurrencyCode(), e);
        }
    }
}
