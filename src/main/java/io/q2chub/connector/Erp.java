package io.q2chub.connector;

import io.q2chub.canonical.Customer;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The ERP role (system of record for receivables and the books): NetSuite, SAP S/4HANA, Dynamics 365, Oracle
 * ERP Cloud each implement it in their own package. Every write is keyed by the hub's canonical id as the ERP's
 * external id, so a retry or a replay can never create a second record.
 *
 * <p>Failures are thrown as the project's classified failures: TransientFailure for timeouts, 5xx and
 * throttling (NetSuite SSS_REQUEST_LIMIT_EXCEEDED, Dataverse 429), BusinessFailure for rejected data (with the
 * ERP's own error code and message), SecurityFailure for refused credentials.
 */
public interface Erp {

    /** Short name of the implementation ("netsuite", "sap", ...), used in metrics, cases and the cross-reference. */
    String system();

    /** Creates or updates the customer whose external id is {@code customer.id()}; returns the ERP's internal id. */
    String upsertCustomer(Customer customer, String subsidiary);

    /** Marks the customer inactive. ERP customers are never deleted: their history belongs to the books. */
    void deactivateCustomer(String canonicalId);

    /** The ERP's view of the customer with this external id, if it has one. */
    Optional<ErpCustomer> findCustomer(String canonicalId);

    /**
     * Posts an invoice keyed by {@code posting.externalId()}: posting the same document again updates the one ERP
     * invoice, never adds a second. Returns the ERP's internal id.
     */
    default String postInvoice(ErpPosting posting) {
        throw new UnsupportedOperationException(system() + " does not post invoices");
    }

    /**
     * Posts a credit memo keyed by {@code posting.externalId()}, applied to the ERP invoice {@code invoiceErpId}
     * (null: unapplied). Returns the ERP's internal id.
     */
    default String postCreditMemo(ErpPosting posting, String invoiceErpId) {
        throw new UnsupportedOperationException(system() + " does not post credit memos");
    }

    /**
     * Reverses the ERP invoice {@code invoiceErpId} in full, the reversal keyed by {@code reversalId} (the void's
     * document id): a second call with the same id finds the first reversal and returns its id.
     */
    default String reverseInvoice(String reversalId, String invoiceErpId, LocalDate date, String memo) {
        throw new UnsupportedOperationException(system() + " does not reverse invoices");
    }

    /**
     * Every customer invoice (not credit memos) dated in {@code [from, to)}, as the ERP holds it now: the ERP view
     * of a reconciliation. {@code externalId} is the key the hub posted it with (the canonical invoice id), or
     * null for an invoice entered in the ERP by hand.
     */
    default java.util.List<ErpInvoice> listInvoices(LocalDate from, LocalDate to) {
        throw new UnsupportedOperationException(system() + " cannot list invoices");
    }

    /** One ERP invoice: what it totals and what is still owed on it (zero once paid, credited or reversed). */
    record ErpInvoice(String erpId, String externalId, String number, LocalDate date,
            io.q2chub.canonical.Money total, io.q2chub.canonical.Money remaining) {
    }

    /**
     * Records a customer payment keyed by {@code payment.externalId()} and applies it to its invoice for at most
     * what the invoice still owes; the rest stays on the customer as unapplied credit. A second call with the same
     * external id finds the first payment and changes nothing.
     */
    default ErpPayment.Applied applyPayment(ErpPayment payment) {
        throw new UnsupportedOperationException(system() + " does not record payments");
    }

    /**
     * Returns money to the customer against the ERP payment {@code paymentErpId}, keyed by {@code refundId}; a
     * second call with the same id finds the first refund and returns its id.
     */
    default String refundPayment(String refundId, String erpCustomerId, String paymentErpId,
            io.q2chub.canonical.Money amount, LocalDate date, String memo) {
        throw new UnsupportedOperationException(system() + " does not record refunds");
    }

    /**
     * Records a bank deposit keyed by {@code deposit.externalId()}: the customer payments deposited, minus the
     * refunds and fees withdrawn. A second call with the same external id finds the first deposit and returns its id.
     */
    default String recordDeposit(ErpDeposit deposit) {
        throw new UnsupportedOperationException(system() + " does not record deposits");
    }

    /**
     * Flags the ERP invoices the payment {@code paymentErpId} was applied to with the state of its dispute (open:
     * flagged; won: flag cleared; lost: flagged lost). A mark older than the one the invoice carries (a close seen
     * before, or an earlier time) changes nothing, so redeliveries and out-of-order webhooks leave the latest state.
     * Returns the ERP invoice ids whose flag changed.
     */
    default java.util.List<String> markDispute(String paymentErpId, DisputeMark mark) {
        throw new UnsupportedOperationException(system() + " does not flag disputes");
    }

    /** A dispute's state as an ERP invoice flag carries it; {@code status} OPEN, WON or LOST. */
    record DisputeMark(String disputeId, String status, java.time.Instant at) {

        /** OPEN before WON/LOST; between two of the same rank, the later one; another dispute if later. */
        public boolean supersedes(DisputeMark current) {
            if (current == null) {
                return true;
            }
            if (!disputeId.equals(current.disputeId())) {
                return !at.isBefore(current.at());
            }
            int rank = rank(status);
            int currentRank = rank(current.status());
            return rank > currentRank || rank == currentRank && at.isAfter(current.at());
        }

        private static int rank(String status) {
            return "OPEN".equals(status) ? 1 : 2;
        }
    }

    /**
     * Flags the ERP invoice {@code invoiceErpId} with a failed collection attempt (decline code, attempt number,
     * time); the invoice stays open. An attempt not later than the one it carries changes nothing. Returns whether
     * the flag changed.
     */
    default boolean markPaymentFailure(String invoiceErpId, String declineCode, int attemptCount,
            java.time.Instant failedAt) {
        throw new UnsupportedOperationException(system() + " does not flag failed payments");
    }

    /**
     * Every bank deposit dated in {@code [from, to)}: the ERP view of payouts in a reconciliation. {@code externalId}
     * is the canonical payout id the hub recorded it with, or null for a deposit entered by hand.
     */
    default java.util.List<HeldDeposit> listDeposits(LocalDate from, LocalDate to) {
        throw new UnsupportedOperationException(system() + " cannot list deposits");
    }

    /** One ERP deposit: its date and total (what reached the bank). */
    record HeldDeposit(String erpId, String externalId, LocalDate date, io.q2chub.canonical.Money total) {
    }

    /** What the hub reads back from the ERP about a customer: the fields the ERP owns. */
    record ErpCustomer(String erpId, String externalId, String name, String subsidiary, boolean inactive,
            String receivablesAccount) {
    }

    // ---- payments in the reconciliation (issue 6) ------------------------------------------------------------

    /**
     * Every customer payment and customer refund dated in {@code [from, to)}, as the ERP holds it now: the ERP side
     * of the payment comparison. {@code externalId} is the canonical payment or refund id the hub recorded it with,
     * or null for one entered in the ERP by hand.
     */
    default java.util.List<ErpReceipt> listPayments(LocalDate from, LocalDate to) {
        throw new UnsupportedOperationException(system() + " cannot list payments");
    }

    /** One customer payment (kind PAYMENT) or customer refund (REFUND) in the ERP, its amount positive. */
    record ErpReceipt(io.q2chub.canonical.Payment.Kind kind, String erpId, String externalId, String number,
            LocalDate date, io.q2chub.canonical.Money amount) {
    }
}
