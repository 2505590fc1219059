package io.q2chub.canonical;

import java.util.Objects;

/**
 * One tax charged in one jurisdiction. The rate is in basis points (825 = 8.25 %) so it stays an integer like the
 * amount; the amount is what the tax engine computed, never recomputed from the rate.
 *
 * @param taxCode the tax engine's code for the product's tax category, null when exempt or unknown
 * @param jurisdiction e.g. "US-CA", "US-CA-SAN FRANCISCO", "DE"
 */
public record TaxLine(String taxCode, String jurisdiction, int rateBasisPoints, Money amount) {

    public TaxLine {
        Objects.requireNonNull(jurisdiction, "jurisdiction");
        Objects.requireNonNull(amount, "amount");
    }
}
