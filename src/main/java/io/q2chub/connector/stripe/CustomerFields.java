package io.q2chub.connector.stripe;

import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerUpdateParams;
import io.q2chub.canonical.Customer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the hub writes onto a Stripe customer. The ids of the other systems go into metadata because Stripe has
 * no external-id field: {@code canonical_id} is what finds the customer again once an idempotency key has been
 * pruned, {@code crm_account_id} and {@code erp_id} let a person in the Stripe dashboard follow the chain.
 * Absent values are left out rather than sent empty, because an empty metadata value deletes the key in Stripe.
 */
record CustomerFields(String name, String email, String country, Map<String, String> metadata) {

    static final String CANONICAL_ID = "canonical_id";
    static final String CRM_ACCOUNT_ID = "crm_account_id";
    static final String ERP_ID = "erp_id";
    // Stripe customers have no active flag; the status lives in metadata (deactivation never deletes).
    static final String STATUS = "status";
    static final String INACTIVE = "inactive";

    static CustomerFields of(Customer customer) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(CANONICAL_ID, customer.id());
        putIfPresent(metadata, CRM_ACCOUNT_ID, customer.externalIds().get("crm"));
        putIfPresent(metadata, ERP_ID, customer.externalIds().get("erp"));
        metadata.put(STATUS, customer.status().name().toLowerCase(Locale.ROOT));
        return new CustomerFields(customer.name(), customer.email(), customer.billingCountry(), Map.copyOf(metadata));
    }

    private static void putIfPresent(Map<String, String> metadata, String key, String value) {
        if (value != null && !value.isBlank()) {
            metadata.put(key, value);
        }
    }

    CustomerCreateParams toCreate() {
        CustomerCreateParams.Builder params = CustomerCreateParams.builder().setName(name).putAllMetadata(metadata);
        if (email != null) {
            params.setEmail(email);
        }
        if (country != null) {
            params.setAddress(CustomerCreateParams.Address.builder().setCountry(country).build());
        }
        return params.build();
    }

    CustomerUpdateParams toUpdate() {
        CustomerUpdateParams.Builder params = CustomerUpdateParams.builder().setName(name).putAllMetadata(metadata);
        if (email != null) {
            params.setEmail(email);
        }
        if (country != null) {
            params.setAddress(CustomerUpdateParams.Address.builder().setCountry(country).build());
        }
        return params.build();
    }

    /**
     * Stripe search clause for the canonical id. Values are single-quoted in Stripe's query language, with
     * backslash escaping a quote or backslash inside them.
     */
    static String canonicalIdQuery(String canonicalId) {
        String escaped = canonicalId.replace("\\", "\\\\").replace("'", "\\'");
        return "metadata['" + CANONICAL_ID + "']:'" + escaped + "'";
    }
}
