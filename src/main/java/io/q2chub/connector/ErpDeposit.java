package io.q2chub.connector;

import io.q2chub.canonical.Money;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * A bank deposit as the ERP role records it: the customer payments the processor paid out, less what it kept back
 * (refunds and chargebacks it paid from the same balance, and its fees). {@code net()} is what reached the bank.
 *
 * @param externalId the canonical payout id: the ERP's external id, so a redelivery never records it twice
 * @param payments ERP customer payments deposited, each for its full amount
 * @param withdrawals money taken out of the deposit, each booked to the account its purpose maps to
 */
public record ErpDeposit(String externalId, LocalDate date, Money net, List<Deposited> payments,
        List<Withdrawal> withdrawals, String memo) {

    public ErpDeposit {
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(net, "net");
        payments = List.copyOf(payments);
        withdrawals = List.copyOf(withdrawals);
    }

    /** One ERP customer payment deposited. */
    public record Deposited(String erpPaymentId, Money amount) {
    }

    /** Why money leaves the deposit: the ERP connector books each purpose to its configured account. */
    public enum Purpose {
        /** A refund or chargeback paid from the processor balance (the ERP customer refund cleared it). */
        REFUND,
        /** The processor's fees: bank charges. */
        FEE
    }

    /** A positive amount taken out of the deposit. */
    public record Withdrawal(Purpose purpose, Money amount, String memo) {
    }
}
