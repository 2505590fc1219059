package io.q2chub.canonical;

import java.util.Currency;
import java.util.Map;
import java.util.Objects;

/**
 * A customer account as the hub knows it. {@code id} is the hub's own canonical id: CRM, billing and ERP each
 * keep their own key, collected in {@code externalIds} by system role ({"crm": "001...", "billing": "cus_...",
 * "erp": "123"}), so no system's key becomes everybody's key.
 *
 * @param parentId canonical id of the parent account in a hierarchy, null at the top
 * @param legalEntity the seller's legal entity (subsidiary) that contracts with this customer
 * @param billingCountry ISO 3166-1 alpha-2, e.g. "DE"
 * @param currency the customer's billing currency
 */
public record Customer(
        String id,
        String name,
        String parentId,
        String legalEntity,
        String billingCountry,
        Currency currency,
        String taxId,
        String email,
        Status status,
        Map<String, String> externalIds) {

    public enum Status {
        ACTIVE,
        INACTIVE
    }

    public Customer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        externalIds = externalIds == null ? Map.of() : Map.copyOf(externalIds);
    }
}
