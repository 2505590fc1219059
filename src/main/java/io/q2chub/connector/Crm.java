package io.q2chub.connector;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CRM role (system of record for accounts, their names and hierarchy, and for orders): Salesforce.
 * Write-backs are batched because every CRM call counts against a daily budget.
 */
public interface Crm {

    /** Short name of the implementation ("salesforce"). */
    String system();

    /** The account's current fields as the CRM holds them, by CRM id; empty when it no longer exists. */
    Optional<Map<String, Object>> fetchAccount(String accountId);

    /**
     * Creates or updates the account keyed by an external id the hub owns (e.g. {@code Q2C_Customer_Id__c}), so
     * the write is idempotent: repeating it after a timeout or a redelivery updates the record it created instead
     * of creating a second one. {@code fields} must not contain the external id field itself.
     *
     * @return the CRM's id of the account, the same on every repeat
     */
    String upsertAccount(String externalIdField, String externalId, Map<String, Object> fields);

    /** Every live account with these fields, as the CRM holds them now: the snapshot a re-sync publishes. */
    List<Map<String, Object>> listAccounts(List<String> fields);

    /** Writes the sync outcome of many accounts back in as few calls as the CRM allows (e.g. 200 per call). */
    void writeBack(List<SyncStatus> statuses);

    /** The hub's ids for an account and how its last sync went, as written back to the CRM record. */
    record SyncStatus(String accountId, String erpId, String billingId, String status, String message) {
    }

    /**
     * Writes the billing outcome of a booked order back onto the CRM order (subscription id, status, message). The
     * same values written twice leave the record as it was, so a redelivered event may repeat the write.
     */
    void writeBackOrder(OrderSyncStatus status);

    /** How activating an order went, as written back to the CRM order record. */
    record OrderSyncStatus(String orderId, String billingSubscriptionId, String status, String message) {
    }

    /**
     * Writes how the ERP posting of an order's invoice went back onto the CRM order (status, ERP document number and
     * id, billing invoice id), so sales sees that what it booked is on the books. The same values written twice leave
     * the record as it was, so a redelivered event may repeat the write.
     */
    default void writeBackInvoiceStatus(OrderInvoiceStatus status) {
        throw new UnsupportedOperationException(system() + " cannot write invoice status to orders");
    }

    /**
     * Activated orders whose booking date (effective date) is in {@code [from, to)}, as the CRM holds them now:
     * the bookings of a reconciliation.
     */
    default List<BookedOrder> listActivatedOrders(java.time.LocalDate from, java.time.LocalDate to) {
        throw new UnsupportedOperationException(system() + " cannot list orders");
    }

    /** One activated order. */
    record BookedOrder(String orderId, String status, String currency, java.time.LocalDate effectiveDate) {
    }

    /** The posting outcome of one invoice of a CRM order; status e.g. "Posted" or "Voided". */
    record OrderInvoiceStatus(String orderId, String billingInvoiceId, String erpId, String erpNumber, String status) {
    }
}
