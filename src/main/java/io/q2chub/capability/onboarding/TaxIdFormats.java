package io.q2chub.capability.onboarding;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tax id formats per billing country, checked before a customer reaches the ERP, because an ERP or tax engine
 * rejecting the id later means an invoice that cannot be posted.
 */
final class TaxIdFormats {

    private record Format(Pattern pattern, String description) {
    }

    private static final Map<String, Format> FORMATS = Map.of(
            "US", new Format(Pattern.compile("\\d{2}-\\d{7}"), "EIN, 12-3456789"),
            "DE", new Format(Pattern.compile("DE\\d{9}"), "USt-IdNr., DE + 9 digits"),
            "GB", new Format(Pattern.compile("GB(\\d{9}|\\d{12})"), "VAT number, GB + 9 or 12 digits"),
            "FR", new Format(Pattern.compile("FR[0-9A-Z]{2}\\d{9}"), "TVA, FR + 2 characters + 9 digits"),
            "JP", new Format(Pattern.compile("T?\\d{13}"), "corporate number, 13 digits (T prefix for invoice registration)"),
            "KW", new Format(Pattern.compile("\\d{12}"), "civil id, 12 digits"));

    private TaxIdFormats() {
    }

    /** The problem with {@code taxId} for {@code country}, or empty when it is well-formed or the format is unknown. */
    static Optional<String> problem(String country, String taxId) {
        Format format = FORMATS.get(country);
        if (format == null || format.pattern().matcher(taxId).matches()) {
            return Optional.empty();
        }
        return Optional.of("taxId '" + taxId + "' is not a valid " + country + " " + format.description());
    }
}
