package io.q2chub.capability.payments;

import io.q2chub.canonical.CanonicalJson;
import io.q2chub.canonical.Money;
import io.q2chub.canonical.Payment;
import io.q2chub.canonical.Payout;
import io.q2chub.connector.ConnectorRoles;
import io.q2chub.connector.Erp;
import io.q2chub.connector.ErpDeposit;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.TransientFailure;
import io.q2chub.ops.xref.CrossReference;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A processor payout becomes one ERP bank deposit (external id = canonical payout id): the ERP customer payments
 * it settles are deposited in full, and what the processor kept back is taken out again: refunds and chargebacks
 * it paid from the same balance, and its fees, each to the account the ERP connector maps the purpose to. The
 * deposit's net is the payout amount to the minor unit, or nothing is written.
 *
 * <p>A payout can arrive before the payments it settles are in the ERP (their webhooks are behind it, or an invoice
 * is waiting on a mapping): transient, so it is retried within the ERP's retry window and then parked naming the
 * payments missing; the case's replay records it once they are.
 */
@ApplicationScoped
@Named("payoutDeposit")
@RegisterForReflection
public class PayoutDeposit {

    /** Cross-reference object type of the ERP deposit. */
    static final String DEPOSIT = "deposit";

    private final ConnectorRoles roles;
    private final CrossReference xref;

    public PayoutDeposit(ConnectorRoles roles, CrossReference xref) {
        this.roles = roles;
        this.xref = xref;
    }

    /** The event data as a canonical payout (the schema was checked before). */
    public Payout read(byte[] body) {
        return CanonicalJson.bind(body, Payout.class, "payout data");
    }

    /**
     * The processor's numbers must add up before anything reaches the books: the items' gross and fees sum to the
     * payout's, gross − fees is the payout amount, one currency throughout, a payment received and a refund returned.
     */
    public void validate(Payout payout) {
        long gross = 0;
        long fees = 0;
        for (Payout.Item item : payout.items()) {
            sameCurrency(payout, item.gross());
            sameCurrency(payout, item.fee());
            if ((item.kind() == Payment.Kind.PAYMENT) != (item.gross().minorUnits() > 0)) {
                throw doesNotAddUp(payout, item.kind().name().toLowerCase() + " " + item.paymentId() + " has gross "
                        + item.gross() + ": payments are positive, refunds negative");
            }
            gross += item.gross().minorUnits();
            fees += item.fee().minorUnits();
        }
        sameCurrency(payout, payout.gross());
        sameCurrency(payout, payout.fees());
        if (gross != payout.gross().minorUnits() || fees != payout.fees().minorUnits()) {
            throw doesNotAddUp(payout, "its items sum to gross " + minor(payout, gross) + " and fees "
                    + minor(payout, fees) + ", the payout reports " + payout.gross() + " and " + payout.fees());
        }
        if (gross - fees != payout.net().minorUnits()) {
            throw doesNotAddUp(payout, "gross " + payout.gross() + " - fees " + payout.fees() + " = "
                    + minor(payout, gross - fees) + ", but the payout amount is " + payout.net());
        }
        if (payout.net().minorUnits() <= 0 || fees < 0) {
            throw doesNotAddUp(payout, "net " + payout.net() + " and fees " + payout.fees()
                    + ": a deposit needs a positive net and fees");
        }
    }

    /** The deposit: every payment by its ERP id, refunds and fees withdrawn; its net is the payout amount. */
    public void recordDeposit(org.apache.camel.Exchange exchange) throws SQLException {
        Payout payout = exchange.getMessage().getBody(Payout.class);
        Erp erp = roles.erp();
        List<ErpDeposit.Deposited> payments = new ArrayList<>();
        List<ErpDeposit.Withdrawal> withdrawals = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Payout.Item item : payout.items()) {
            boolean payment = item.kind() == Payment.Kind.PAYMENT;
            var erpId = xref.externalId(erp.system(), payment ? PaymentApplication.PAYMENT : PaymentApplication.REFUND,
                    item.paymentId());
            if (erpId.isEmpty()) {
                missing.add(item.kind().name().toLowerCase() + " " + item.paymentId() + " (" + item.gross() + ")");
            } else if (payment) {
                payments.add(new ErpDeposit.Deposited(erpId.get(), item.gross()));
            } else {
                withdrawals.add(new ErpDeposit.Withdrawal(ErpDeposit.Purpose.REFUND, negate(item.gross()),
                        "refund " + item.paymentId()));
            }
        }
        if (!missing.isEmpty()) {
            throw new TransientFailure("hub", "PAYMENT_NOT_RECORDED", "payout " + payout.id() + " ("
                    + payout.billingPayoutId() + ", " + payout.net() + ") settles what " + erp.system()
                    + " does not hold yet: " + String.join(", ", missing) + ". It is deposited when they are"
                    + " recorded and this case replayed");
        }
        if (payout.fees().minorUnits() > 0) {
            withdrawals.add(new ErpDeposit.Withdrawal(ErpDeposit.Purpose.FEE, payout.fees(),
                    "processor fees of payout " + payout.billingPayoutId()));
        }
        String erpId = erp.recordDeposit(new ErpDeposit(payout.id(), payout.arrivalDate(), payout.net(), payments,
                withdrawals, "payout " + payout.billingPayoutId() + " (" + payout.id() + ")"));
        xref.link(erp.system(), DEPOSIT, erpId, payout.id());
        exchange.getMessage().setHeader(PaymentApplication.ERP_ID, erpId);
    }

    private static void sameCurrency(Payout payout, Money money) {
        if (!money.currency().equals(payout.net().currency())) {
            throw doesNotAddUp(payout, "it mixes " + money.currency() + " into a " + payout.net().currency()
                    + " payout");
        }
    }

    private static Money minor(Payout payout, long minorUnits) {
        return new Money(minorUnits, payout.net().currency());
    }

    private static Money negate(Money money) {
        return new Money(-money.minorUnits(), money.currency());
    }

    private static BusinessFailure doesNotAddUp(Payout payout, String why) {
        return new BusinessFailure("hub", "PAYOUT_DOES_NOT_ADD_UP", "payout " + payout.id() + " ("
                + payout.billingPayoutId() + ") does not add up: " + why + ". Nothing was deposited; correct it"
                + " with the processor or record the deposit by hand");
    }
}
