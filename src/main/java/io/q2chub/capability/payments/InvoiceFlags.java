package io.q2chub.capability.payments;

import io.q2chub.canonical.CanonicalJson;
import io.q2chub.canonical.PaymentDispute;
import io.q2chub.canonical.PaymentFailure;
import io.q2chub.connector.ConnectorRoles;
import io.q2chub.connector.Erp;
import io.q2chub.ops.failure.TransientFailure;
import io.q2chub.ops.xref.CrossReference;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.sql.SQLException;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * What finance must see on an ERP invoice although no money moved in the ERP: a dispute of the payment that paid it
 * (open: flagged; won: flag cleared; lost: flagged lost, the chargeback itself is a customer refund recorded by
 * payment application); a failed collection attempt (decline code and attempt number; the invoice stays open).
 * The ERP keeps the latest state, so redeliveries and out-of-order events change nothing.
 */
@ApplicationScoped
@Named("invoiceFlags")
@RegisterForReflection
public class InvoiceFlags {

    /** Header: the ERP invoices whose flag changed. */
    static final String FLAGGED = "q2c-invoices-flagged";

    private final ConnectorRoles roles;
    private final CrossReference xref;

    public InvoiceFlags(ConnectorRoles roles, CrossReference xref) {
        this.roles = roles;
        this.xref = xref;
    }

    public PaymentDispute readDispute(byte[] body) {
        return CanonicalJson.bind(body, PaymentDispute.class, "dispute data");
    }

    /**
     * The dispute's state on the invoices the payment paid. A payment not in the ERP yet (its webhook is behind
     * the dispute's) is transient: retried, then parked until it is.
     */
    public void markDispute(Exchange exchange) throws SQLException {
        PaymentDispute dispute = exchange.getMessage().getBody(PaymentDispute.class);
        Erp erp = roles.erp();
        String paymentErpId = xref.externalId(erp.system(), PaymentApplication.PAYMENT, dispute.paymentId())
                .orElseThrow(() -> new TransientFailure("hub", "PAYMENT_NOT_RECORDED", "dispute "
                        + dispute.billingDisputeId() + " (" + dispute.status() + ") of payment " + dispute.paymentId()
                        + ": the payment is not recorded in " + erp.system() + " yet"));
        List<String> changed = erp.markDispute(paymentErpId, new Erp.DisputeMark(
                dispute.billingDisputeId() != null ? dispute.billingDisputeId() : dispute.id(),
                dispute.status().name(), dispute.changedAt()));
        exchange.getMessage().setHeader(FLAGGED, String.join(",", changed));
    }

    public PaymentFailure readFailure(byte[] body) {
        return CanonicalJson.bind(body, PaymentFailure.class, "payment failure data");
    }

    /**
     * The failed attempt on the ERP invoice it tried to collect; nothing is paid, so the invoice stays open. An
     * invoice not posted yet is transient: retried, then parked until it is.
     */
    public void markPaymentFailure(Exchange exchange) throws SQLException {
        PaymentFailure failure = exchange.getMessage().getBody(PaymentFailure.class);
        Erp erp = roles.erp();
        String invoiceErpId = xref.externalId(erp.system(), PaymentApplication.INVOICE, failure.invoiceId())
                .orElseThrow(() -> new TransientFailure("hub", "INVOICE_NOT_POSTED", "failed payment attempt "
                        + failure.attemptCount() + " of invoice " + failure.invoiceId() + ": the invoice is not posted"
                        + " to " + erp.system() + " yet"));
        boolean changed = erp.markPaymentFailure(invoiceErpId, failure.declineCode(), failure.attemptCount(),
                failure.failedAt());
        exchange.getMessage().setHeader(FLAGGED, changed ? invoiceErpId : "");
    }
}
