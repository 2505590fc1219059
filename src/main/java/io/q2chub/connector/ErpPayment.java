package io.q2chub.connector;

import io.q2chub.canonical.Money;
import java.time.LocalDate;
import java.util.Objects;

/**
 * Money received from a customer as the ERP role records it: a customer payment applied to one invoice (what the
 * invoice still owes at most; the rest stays on the customer as unapplied credit).
 *
 * @param externalId the canonical payment id: the ERP's external id, so a redelivery never records it twice
 * @param invoiceErpId the ERP invoice to apply it to, null for a payment that names no invoice (all unapplied)
 */
public record ErpPayment(String externalId, String erpCustomerId, Money amount, LocalDate date,
        String invoiceErpId, String memo) {

    public ErpPayment {
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(erpCustomerId, "erpCustomerId");
        Objects.requireNonNull(amount, "amount");
    }

    /**
     * What the ERP holds for a payment: how much went to the invoice and how much is left as customer credit.
     */
    public record Applied(String erpId, Money applied, Money unapplied) {
    }
}
