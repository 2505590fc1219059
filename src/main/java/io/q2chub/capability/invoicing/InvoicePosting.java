package io.q2chub.capability.invoicing;

import io.q2chub.canonical.CanonicalJson;
import io.q2chub.canonical.CloudEventHeaders;
import io.q2chub.canonical.EventTypes;
import io.q2chub.canonical.Invoice;
import io.q2chub.canonical.Money;
import io.q2chub.connector.ConnectorRoles;
import io.q2chub.connector.Erp;
import io.q2chub.connector.ErpPosting;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.TransientFailure;
import io.q2chub.ops.xref.CrossReference;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.IOException;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The steps of invoice posting that invoice-posting.camel.yaml strings together: a canonical invoice, credit note
 * or void from the billing platform becomes exactly one ERP invoice, credit memo or reversal, keyed by the billing
 * document id, and is announced as invoice.posted. Which ERP answers is configuration (ConnectorRoles).
 */
@ApplicationScoped
@Named("invoicePosting")
@RegisterForReflection
public class InvoicePosting {

    /** Cross-reference object types: the posted document, and the reversal of a voided invoice. */
    static final String INVOICE = "invoice";
    static final String REVERSAL = "invoice-reversal";
    static final String CUSTOMER = "customer";
    static final String POSTING = "q2c-erp-posting";
    static final String ERP_ID = "q2c-erp-id";

    private final ConnectorRoles roles;
    private final CrossReference xref;
    private final PostingEnrichment enrichment;
    private final PostingOutcomes outcomes;

    public InvoicePosting(ConnectorRoles roles, CrossReference xref, PostingEnrichment enrichment,
            PostingOutcomes outcomes) {
        this.roles = roles;
        this.xref = xref;
        this.enrichment = enrichment;
        this.outcomes = outcomes;
    }

    /** The event data as a canonical invoice (the schema was checked before). */
    public Invoice read(byte[] body) {
        return CanonicalJson.bind(body, Invoice.class, "invoice data");
    }

    /** The billing platform's totals must add up: posting a document whose parts disagree would hide the error. */
    public void checkTotals(Invoice invoice) {
        InvoiceTotals.check(invoice);
    }

    /** ERP customer, legal entity, items, tax codes, GL dimensions and rev-rec attributes for the posting. */
    public void enrich(Exchange exchange) throws SQLException {
        Invoice invoice = exchange.getMessage().getBody(Invoice.class);
        Erp erp = roles.erp();
        String erpCustomerId = xref.externalId(erp.system(), CUSTOMER, invoice.customerId()).orElseThrow(() ->
                new BusinessFailure("hub", "ERP_CUSTOMER_UNKNOWN", "customer " + invoice.customerId() + " of "
                        + invoice.kind().name().toLowerCase() + " " + invoice.number() + " has no " + erp.system()
                        + " customer: onboard the customer, then replay"));
        if (invoice.kind() == Invoice.Kind.VOID) {
            return; // the ERP reverses its own invoice as posted: nothing to enrich
        }
        String legalEntity = erp.findCustomer(invoice.customerId()).map(Erp.ErpCustomer::subsidiary)
                .orElseThrow(() -> new BusinessFailure(erp.system(), "ERP_CUSTOMER_MISSING", "customer "
                        + invoice.customerId() + " is linked to " + erp.system() + " customer " + erpCustomerId
                        + " but " + erp.system() + " does not have it"));
        exchange.setProperty(POSTING, enrichment.posting(invoice, erpCustomerId, legalEntity));
    }

    public void postInvoice(Exchange exchange) throws SQLException {
        Invoice invoice = exchange.getMessage().getBody(Invoice.class);
        Erp erp = roles.erp();
        String erpId = erp.postInvoice(exchange.getProperty(POSTING, ErpPosting.class));
        linked(exchange, erp, INVOICE, erpId, invoice.id());
    }

    /** Applied to the invoice it corrects, which must be posted first (it may still be on its way: retried). */
    public void postCreditMemo(Exchange exchange) throws SQLException {
        Invoice note = exchange.getMessage().getBody(Invoice.class);
        Erp erp = roles.erp();
        String invoiceErpId = note.originalInvoiceId() == null ? null : postedInvoice(erp, note);
        String erpId = erp.postCreditMemo(exchange.getProperty(POSTING, ErpPosting.class), invoiceErpId);
        linked(exchange, erp, INVOICE, erpId, note.id());
    }

    /** A void reverses the posted invoice in full, keyed by the void's document id. */
    public void reverse(Exchange exchange) throws SQLException {
        Invoice voided = exchange.getMessage().getBody(Invoice.class);
        Erp erp = roles.erp();
        String erpId = erp.reverseInvoice(voided.id(), postedInvoice(erp, voided), voided.issueDate(),
                "void of invoice " + voided.number());
        linked(exchange, erp, REVERSAL, erpId, voided.id());
    }

    /** Turns the message into the invoice.posted event: the invoice with the ERP's key. */
    public void posted(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        Invoice invoice = in.getBody(Invoice.class);
        Map<String, String> ids = new HashMap<>(invoice.externalIds());
        ids.put("erp", in.getHeader(ERP_ID, String.class));
        Invoice posted = new Invoice(invoice.id(), invoice.number(), invoice.kind(), invoice.customerId(),
                invoice.subscriptionId(), invoice.originalInvoiceId(), invoice.currency(), invoice.issueDate(),
                invoice.dueDate(), invoice.lines(), invoice.totals(), ids);
        in.setBody(CanonicalJson.mapper().writeValueAsBytes(posted));
        String causation = in.getHeader(CloudEventHeaders.ID, String.class);
        String correlation = in.getHeader(CloudEventHeaders.CORRELATION_ID, String.class);
        in.getHeaders().keySet().removeIf(name -> name.startsWith("ce_"));
        in.setHeader(CloudEventHeaders.TYPE, EventTypes.INVOICE_POSTED);
        in.setHeader(CloudEventHeaders.CAUSATION_ID, causation);
        in.setHeader(CloudEventHeaders.CORRELATION_ID, correlation != null ? correlation : causation);
        outcomes.posted();
    }

    private String postedInvoice(Erp erp, Invoice correction) throws SQLException {
        String original = correction.originalInvoiceId() != null ? correction.originalInvoiceId() : correction.id();
        return xref.externalId(erp.system(), INVOICE, original).orElseThrow(() -> new TransientFailure("hub",
                "ORIGINAL_INVOICE_NOT_POSTED", correction.kind().name().toLowerCase() + " " + correction.number()
                + " corrects invoice " + original + ", which is not posted to " + erp.system() + " yet"));
    }

    private void linked(Exchange exchange, Erp erp, String object, String erpId, String canonicalId)
            throws SQLException {
        xref.link(erp.system(), object, erpId, canonicalId);
        exchange.getMessage().setHeader(ERP_ID, erpId);
    }

    static Money positive(Money money) {
        return money.minorUnits() < 0 ? money.negate() : money;
    }
}
