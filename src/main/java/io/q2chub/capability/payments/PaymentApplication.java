package io.q2chub.capability.payments;

import io.q2chub.canonical.CanonicalJson;
import io.q2chub.canonical.Payment;
import io.q2chub.connector.ConnectorRoles;
import io.q2chub.connector.Erp;
import io.q2chub.connector.ErpPayment;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.TransientFailure;
import io.q2chub.ops.xref.CrossReference;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The steps of payment application that payment-reconciliation.camel.yaml strings together: a payment recorded by
 * the billing platform becomes one ERP customer payment applied to the ERP invoice the cross-reference names
 * (external id = canonical payment id), and a refund one ERP customer refund against the payment it returns.
 * Which ERP answers is configuration (ConnectorRoles).
 *
 * <p>Webhooks arrive out of order, so a payment may come before its invoice is posted: that is transient (retried
 * within the ERP's retry window, then parked with the candidates considered); the case's replay after the
 * invoice posts applies it once.
 */
@ApplicationScoped
@Named("paymentApplication")
@RegisterForReflection
public class PaymentApplication {

    /** Cross-reference object types. */
    static final String INVOICE = "invoice";
    static final String CUSTOMER = "customer";
    static final String PAYMENT = "payment";
    static final String REFUND = "refund";
    /** Header: the ERP's id of the payment or refund, and for a payment what was applied and left unapplied. */
    static final String ERP_ID = "q2c-erp-id";
    static final String APPLIED = "q2c-payment-applied";
    static final String UNAPPLIED = "q2c-payment-unapplied";

    private final ConnectorRoles roles;
    private final CrossReference xref;

    public PaymentApplication(ConnectorRoles roles, CrossReference xref) {
        this.roles = roles;
        this.xref = xref;
    }

    /** The event data as a canonical payment (the schema was checked before). */
    public Payment read(byte[] body) {
        return CanonicalJson.bind(body, Payment.class, "payment data");
    }

    /** What the schema cannot say: amounts are positive (the kind gives the direction), a refund names its payment. */
    public void validate(Payment payment) {
        if (payment.amount().minorUnits() <= 0) {
            throw new BusinessFailure("hub", "PAYMENT_AMOUNT_INVALID", payment.kind().name().toLowerCase() + " "
                    + payment.id() + " has amount " + payment.amount() + ": amounts are positive, the kind gives"
                    + " the direction");
        }
        if (payment.kind() == Payment.Kind.REFUND && payment.originalPaymentId() == null) {
            throw new BusinessFailure("hub", "REFUND_WITHOUT_PAYMENT", "refund " + payment.id()
                    + " names no original payment: the ERP refunds against a payment");
        }
    }

    /** A customer payment applied to the payment's invoice; overpayment stays unapplied credit. */
    public void applyPayment(Exchange exchange) throws SQLException {
        Payment payment = exchange.getMessage().getBody(Payment.class);
        Erp erp = roles.erp();
        String erpCustomer = erpCustomer(erp, payment);
        String invoiceErpId = payment.invoiceId() == null ? null : postedInvoice(erp, payment);
        ErpPayment.Applied applied = erp.applyPayment(new ErpPayment(payment.id(), erpCustomer, payment.amount(),
                dateOf(payment), invoiceErpId, memo(payment)));
        xref.link(erp.system(), PAYMENT, applied.erpId(), payment.id());
        Message in = exchange.getMessage();
        in.setHeader(ERP_ID, applied.erpId());
        in.setHeader(APPLIED, applied.applied().toDecimalString());
        in.setHeader(UNAPPLIED, applied.unapplied().toDecimalString());
    }

    /** A customer refund against the ERP payment it returns (which may still be on its way: retried). */
    public void refund(Exchange exchange) throws SQLException {
        Payment refund = exchange.getMessage().getBody(Payment.class);
        Erp erp = roles.erp();
        String erpCustomer = erpCustomer(erp, refund);
        String paymentErpId = xref.externalId(erp.system(), PAYMENT, refund.originalPaymentId()).orElseThrow(() ->
                new TransientFailure("hub", "ORIGINAL_PAYMENT_NOT_APPLIED", "refund " + refund.id() + " returns"
                        + " payment " + refund.originalPaymentId() + ", which is not recorded in " + erp.system()
                        + " yet"));
        String erpId = erp.refundPayment(refund.id(), erpCustomer, paymentErpId, refund.amount(), dateOf(refund),
                memo(refund));
        xref.link(erp.system(), REFUND, erpId, refund.id());
        exchange.getMessage().setHeader(ERP_ID, erpId);
    }

    private String erpCustomer(Erp erp, Payment payment) throws SQLException {
        return xref.externalId(erp.system(), CUSTOMER, payment.customerId()).orElseThrow(() ->
                new BusinessFailure("hub", "ERP_CUSTOMER_UNKNOWN", "customer " + payment.customerId() + " of "
                        + payment.kind().name().toLowerCase() + " " + payment.id() + " has no " + erp.system()
                        + " customer: onboard the customer, then replay"));
    }

    /**
     * The invoice may not be posted yet (its webhook is behind the payment's, or posting waits on a mapping):
     * transient, so it is retried and then parked naming what was looked for.
     */
    private String postedInvoice(Erp erp, Payment payment) throws SQLException {
        return xref.externalId(erp.system(), INVOICE, payment.invoiceId()).orElseThrow(() -> new TransientFailure(
                "hub", "INVOICE_NOT_POSTED", "payment " + payment.id() + " (" + payment.amount() + ") of customer "
                + payment.customerId() + " cannot be matched: candidates considered: invoice " + payment.invoiceId()
                + " (named by the payment; no " + erp.system() + " invoice in the cross-reference yet). It is"
                + " applied when the invoice is posted and this case replayed"));
    }

    private static LocalDate dateOf(Payment payment) {
        return LocalDate.ofInstant(payment.receivedAt(), ZoneOffset.UTC);
    }

    private static String memo(Payment payment) {
        return (payment.kind() == Payment.Kind.REFUND ? "refund " : "payment ") + payment.id()
                + (payment.method() == null ? "" : " (" + payment.method() + ")");
    }
}
