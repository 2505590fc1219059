package io.q2chub.connector;

import io.q2chub.canonical.Customer;
import io.q2chub.canonical.Invoice;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
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

    // --- subscriptions (issue 5: subscription activation) -------------------------------------------------------

    /**
     * Starts a subscription for a booked contract. The key is derived from the contract event, so a retry or a
     * redelivery of the same event returns the subscription created the first time instead of a second one.
     *
     * @return the subscription as the platform created it; its id is the billing subscription id
     */
    BillingSubscription createSubscription(SubscriptionRequest request, String idempotencyKey);

    /** The subscription as the platform holds it now, by billing id: for a contract already linked to one. */
    BillingSubscription subscription(String billingSubscriptionId);

    /**
     * What to subscribe the customer to: billing price ids (from the value mappings) and whole quantities.
     *
     * @param metadata stored on the subscription (canonical contract id, CRM order id) so it can be found again
     */
    record SubscriptionRequest(String customerBillingId, List<SubscriptionItem> items, Map<String, String> metadata) {
        public SubscriptionRequest {
            items = List.copyOf(items);
            metadata = Map.copyOf(metadata);
        }
    }

    record SubscriptionItem(String priceId, long quantity) {
    }

    /** @param currentPeriodEnd exclusive */
    record BillingSubscription(String id, String status, LocalDate currentPeriodStart, LocalDate currentPeriodEnd) {
    }

    // ---- invoices (issue 5: Stripe webhooks, invoice status write-back) ----------------------------------------

    /**
     * The invoice as the billing platform holds it now, with every id as that platform knows it: {@code id} and
     * {@code externalIds.billing} are the billing invoice id, {@code customerId} the billing customer id,
     * {@code subscriptionId} the billing subscription id or null. Kind VOID when the platform voided it, else
     * INVOICE. The caller resolves canonical ids through the cross-reference.
     */
    default Invoice fetchInvoice(String billingInvoiceId) {
        throw new UnsupportedOperationException(system() + " cannot fetch invoices");
    }

    /**
     * A credit note as the billing platform holds it, kind CREDIT_NOTE, ids as for {@link #fetchInvoice}:
     * {@code originalInvoiceId} is the billing id of the invoice it credits. Amounts are positive; the kind says
     * they reduce what the customer owes.
     */
    default Invoice fetchCreditNote(String billingCreditNoteId) {
        throw new UnsupportedOperationException(system() + " cannot fetch credit notes");
    }

    /**
     * Records on the billing invoice that the ERP posted it (its internal id and document number), so finance sees
     * it in the billing platform and a re-sync can find the pair. Writing the same values again changes nothing.
     */
    default void markInvoicePosted(String billingInvoiceId, String erpId, String erpNumber, String idempotencyKey) {
        throw new UnsupportedOperationException(system() + " cannot mark invoices posted");
    }

    // ---- reconciliation (issue 6) ---------------------------------------------------------------------------

    /**
     * Every issued invoice (drafts left out) created in {@code [from, to)}, as the platform holds it now, read in
     * as few calls as it allows: the billing view of a reconciliation.
     */
    default List<BillingInvoice> listInvoices(java.time.Instant from, java.time.Instant to) {
        throw new UnsupportedOperationException(system() + " cannot list invoices");
    }

    /**
     * One invoice in a billing listing: ids as the platform knows them.
     *
     * @param status "open", "paid", "void" or "uncollectible", as the platform words it in lower case
     * @param subscriptionId the billing subscription id, or null
     */
    record BillingInvoice(String id, String number, String status, io.q2chub.canonical.Money total,
            String customerId, String subscriptionId, java.time.Instant created) {
    }

    // ---- payments in the reconciliation (issue 6) ------------------------------------------------------------

    /**
     * Every collected payment and every refund created in {@code [from, to)}, as the platform holds them now, in as
     * few calls as it allows: the billing side of the payment comparison. Failed and pending ones are left out.
     */
    default List<BillingPayment> listPayments(java.time.Instant from, java.time.Instant to) {
        throw new UnsupportedOperationException(system() + " cannot list payments");
    }

    /** The collected payments of one billing invoice, whenever they were made. */
    default List<BillingPayment> paymentsOfInvoice(String billingInvoiceId) {
        throw new UnsupportedOperationException(system() + " cannot list an invoice's payments");
    }

    /**
     * The payment or refund as the platform holds it now, mapped as the billing ingress maps it, with every id as
     * the platform knows it ({@code id} = {@link BillingPayment#paymentId()}, {@code customerId} the billing
     * customer, {@code invoiceId} the billing invoice, {@code originalPaymentId} the billing id of the payment a
     * refund returns). The caller resolves canonical ids through the cross-reference.
     */
    default io.q2chub.canonical.Payment fetchPayment(BillingPayment listed) {
        throw new UnsupportedOperationException(system() + " cannot fetch payments");
    }

    /**
     * One payment or refund in a billing listing.
     *
     * @param id the listed object (a Stripe invoice payment {@code inpay_…} or refund {@code re_…})
     * @param paymentId what the canonical id derives from: the money movement (Stripe payment intent, refund id)
     * @param invoiceId the billing invoice a payment pays, null for a refund
     * @param originalPaymentId for a refund, the {@code paymentId} of the payment it returns
     */
    record BillingPayment(io.q2chub.canonical.Payment.Kind kind, String id, String paymentId,
            io.q2chub.canonical.Money amount, String invoiceId, String originalPaymentId, java.time.Instant created) {
    }

    // ---- payouts (issue 6: deposits in the reconciliation) -------------------------------------------------------

    /** Every payout created in {@code [from, to)}, as the platform holds it now; canceled and failed ones too. */
    default List<BillingPayout> listPayouts(java.time.Instant from, java.time.Instant to) {
        throw new UnsupportedOperationException(system() + " cannot list payouts");
    }

    /** A payout: the platform's id, status (paid, in_transit, failed, ...) and the amount sent to the bank. */
    record BillingPayout(String id, String status, io.q2chub.canonical.Money amount, LocalDate arrivalDate) {
    }
}
