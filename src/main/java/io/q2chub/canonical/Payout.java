package io.q2chub.canonical;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * Money the payment processor paid out to the company's bank account: the settled payments and refunds it sweeps,
 * each with its gross and the processor's fee. {@code net} is what reaches the bank: gross − fees, and the sum of
 * the items' gross minus their fees. The ERP records it as one bank deposit of the payments it received.
 *
 * @param id canonical payout id (the ERP's external id of the deposit)
 * @param billingPayoutId the processor's own id (e.g. Stripe po_...), for finance to trace the bank line
 * @param arrivalDate the day the money is expected on the bank account
 * @param gross sum of the items' gross (refunds negative)
 * @param fees sum of the items' fees (positive: what the processor kept)
 * @param net the payout amount: gross − fees
 */
public record Payout(
        String id,
        String billingPayoutId,
        LocalDate arrivalDate,
        Money gross,
        Money fees,
        Money net,
        List<Item> items) {

    public Payout {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(arrivalDate, "arrivalDate");
        Objects.requireNonNull(gross, "gross");
        Objects.requireNonNull(fees, "fees");
        Objects.requireNonNull(net, "net");
        items = items == null ? List.of() : List.copyOf(items);
    }

    /**
     * One settled movement: a payment received (positive gross) or a refund or chargeback returned (negative gross),
     * named by its canonical payment id, and the fee the processor charged for it.
     */
    public record Item(Payment.Kind kind, String paymentId, Money gross, Money fee) {

        public Item {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(paymentId, "paymentId");
            Objects.requireNonNull(gross, "gross");
            Objects.requireNonNull(fee, "fee");
        }
    }
}
