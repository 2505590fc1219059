package io.q2chub.capability.invoicing;

import io.q2chub.canonical.CanonicalJson;
import io.q2chub.canonical.Invoice;
import io.q2chub.capability.activation.SubscriptionActivation;
import io.q2chub.connector.Billing;
import io.q2chub.connector.ConnectorRoles;
import io.q2chub.connector.Crm;
import io.q2chub.connector.Crm.OrderInvoiceStatus;
import io.q2chub.ops.xref.CrossReference;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.sql.SQLException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The steps of invoice-status-write-back (invoice-posting.camel.yaml): once the ERP posted an invoice, the billing
 * invoice learns the ERP's id and number, and the CRM order that booked the subscription learns the posting status.
 * Both writes set fixed values, so a redelivered or replayed invoice.posted repeats them harmlessly. Roles only.
 *
 * <p>The CRM order is found through the cross-reference: invoice → canonical subscription → its contract → the CRM
 * order linked to that contract at activation. An invoice of no subscription, or of a contract that came from no CRM
 * order, has nothing to tell the CRM. Credit notes are not written back (the ERP applies them to their invoice).
 */
@ApplicationScoped
@Named("invoiceStatusWriteBack")
@RegisterForReflection
public class InvoiceStatusWriteBack {

    static final String POSTED = "Posted";
    static final String VOIDED = "Voided";
    static final String SUBSCRIPTION = "subscription";
    private static final Logger LOG = Logger.getLogger(InvoiceStatusWriteBack.class);

    private final ConnectorRoles roles;
    private final CrossReference xref;

    public InvoiceStatusWriteBack(ConnectorRoles roles, CrossReference xref) {
        this.roles = roles;
        this.xref = xref;
    }

    /** The posted invoice (the canonical invoice with {@code externalIds.erp}). */
    public Invoice read(byte[] body) {
        return CanonicalJson.bind(body, Invoice.class, "posted invoice");
    }

    /**
     * The billing invoice's metadata gets the ERP id and number (the ERP takes the billing number as its document
     * number). Voids and credit notes leave the billing invoice as it is: billing already knows it voided it.
     */
    public void markBillingInvoice(Invoice invoice) {
        String billingId = invoice.externalIds().get("billing");
        String erpId = invoice.externalIds().get("erp");
        if (invoice.kind() != Invoice.Kind.INVOICE || billingId == null || erpId == null) {
            return;
        }
        roles.billing().markInvoicePosted(billingId, erpId, invoice.number(), "invoice-posted-" + invoice.id());
    }

    /** The CRM order of the invoice's subscription gets "Posted" (or "Voided") with the ERP document. */
    public void writeBackCrmOrder(Invoice invoice) throws SQLException {
        if (invoice.kind() == Invoice.Kind.CREDIT_NOTE) {
            return;
        }
        Crm crm = roles.crm();
        String contractId = SubscriptionActivation.contractIdOf(subscriptionOf(invoice));
        Optional<String> order = contractId == null ? Optional.empty()
                : xref.externalId(crm.system(), SubscriptionActivation.ORDER, contractId);
        if (order.isEmpty()) {
            LOG.debugf("invoice %s: no %s order behind it; nothing to write back", invoice.id(), crm.system());
            return;
        }
        crm.writeBackInvoiceStatus(new OrderInvoiceStatus(order.get(), invoice.externalIds().get("billing"),
                invoice.externalIds().get("erp"), invoice.number(),
                invoice.kind() == Invoice.Kind.VOID ? VOIDED : POSTED));
    }

    /**
     * The canonical subscription of the invoice. Billing finalizes a subscription's first invoice the moment it
     * creates the subscription, so its webhook can overtake activation linking the subscription, and the canonical
     * invoice then names none; the billing invoice is asked once more which subscription it bills (1 call).
     */
    private String subscriptionOf(Invoice invoice) throws SQLException {
        if (invoice.subscriptionId() != null) {
            return invoice.subscriptionId();
        }
        String billingId = invoice.externalIds().get("billing");
        if (billingId == null) {
            return null;
        }
        Billing billing = roles.billing();
        String billingSubscription = billing.fetchInvoice(billingId).subscriptionId();
        return billingSubscription == null ? null
                : xref.canonicalId(billing.system(), SUBSCRIPTION, billingSubscription).orElse(null);
    }
}
