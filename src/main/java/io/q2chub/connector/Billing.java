package io.q2chub.connector;

import io.q2chub.canonical.Customer;
import java.util.Optional;

/**
 * The billing role (subscriptions, invoices, collection): Stripe, Chargebee, Zuora each implement it in their
 * own package. Creates carry an idempotency key derived from the canonical event, and the record carries the
 * canonical, CRM and ERP ids in its metadata so it can be found again after the key has expired.
 */
public interface Billing {

    /** Short name of the implementation ("stripe", "chargebee", "zuora"). */
    String system();

    /**
     * Creates the customer (or updates the one already linked as {@code billingId}); returns the billing id.
     *
     * @param billingId the billing platform's id from the cross-reference, or null when none is known yet
     * @param idempotencyKey stable for one canonical event, so a retry of the same event repeats no write
     */
    String upsertCustomer(Customer customer, String billingId, String idempotencyKey);

    /** Marks the customer inactive (metadata and, where the platform has it, a status); never deletes it. */
    void deactivateCustomer(String billingId, String idempotencyKey);

    /** Finds a customer by the canonical id in its metadata: the safety net when an idempotency key expired. */
    Optional<String> findCustomerByCanonicalId(String canonicalId);
}
