package io.q2chub.connector;

import io.q2chub.canonical.Money;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Objects;

/**
 * An invoice or credit memo as the ERP role receives it: the canonical document enriched by the posting rules
 * (legal entity, GL dimensions, revenue type and rev-rec attributes, tax codes). Vendor-neutral: items are named by
 * SKU, and the connector maps them to its own item ids; dimension and tax code values are the ERP's ids as the
 * posting rules give them.
 *
 * @param externalId the canonical/billing document id: the ERP's external id, so a retry never posts twice
 * @param erpCustomerId the ERP's id of the customer, from the cross-reference
 */
public record ErpPosting(String externalId, String number, String erpCustomerId, String legalEntity,
        Currency currency, LocalDate tranDate, LocalDate dueDate, Dimensions dimensions, List<Line> lines) {

    public enum RevenueType {
        RECURRING, USAGE, SERVICES
    }

    /** GL segments of the legal entity; any may be null. */
    public record Dimensions(String department, String classification, String location) {
        public static final Dimensions NONE = new Dimensions(null, null, null);
    }

    /** A tax the billing platform charged on a line, with the ERP tax code the posting rules give it. */
    public record Tax(String taxCode, String jurisdiction, int rateBasisPoints, Money amount) {
    }

    /**
     * @param revRecRule the ERP's revenue recognition rule id, null when the item's default applies
     * @param revRecTermMonths whole months of the service period, null for usage and one-off lines
     */
    public record Line(String lineId, String sku, String description, BigDecimal quantity, Money unitAmount,
            Money amount, RevenueType revenueType, String revRecRule, LocalDate revRecStart, LocalDate revRecEnd,
            Integer revRecTermMonths, List<Tax> taxes) {
        public Line {
            Objects.requireNonNull(sku, "sku");
            taxes = taxes == null ? List.of() : List.copyOf(taxes);
        }
    }

    public ErpPosting {
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(erpCustomerId, "erpCustomerId");
        Objects.requireNonNull(currency, "currency");
        dimensions = dimensions == null ? Dimensions.NONE : dimensions;
        lines = lines == null ? List.of() : List.copyOf(lines);
    }
}
