package io.q2chub.connector.stripe;

import io.agroal.api.AgroalDataSource;
import io.q2chub.canonical.CanonicalPublisher;
import io.q2chub.canonical.EventTypes;
import io.q2chub.canonical.Invoice;
import io.q2chub.canonical.QuoteToCashChain;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.TransientFailure;
import io.q2chub.ops.xref.CrossReference;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.jboss.logging.Logger;

/**
 * Turns a verified Stripe event into canonical {@code q2c.invoice.issued.v1} events: invoice.finalized → INVOICE,
 * invoice.voided → VOID, credit_note.created → CREDIT_NOTE. Other types reaching it are acknowledged and not
 * published (payment events are routed to StripePaymentEvents by the ingress route).
 *
 * <p><b>Order.</b> Stripe delivers unordered, so the event only says which way the document moved; what is
 * published is the object as Stripe holds it now (re-fetched), and {@code billing_document_progress} remembers
 * how far each document got on the bus (1 issued, 2 voided), which only ever grows. Per document, under a
 * PostgreSQL advisory lock held until the publish is acknowledged (replicas and concurrent deliveries queue):
 * an event that would not move the document forward publishes nothing; a void that arrives before its
 * finalization publishes the INVOICE first, then the VOID, so a consumer always sees invoice before void and never
 * an invoice after its void. Re-fetching also means an older snapshot in a late event never overwrites newer data.
 *
 * <p><b>Ids.</b> The customer's canonical id comes from the cross-reference (unknown → business failure, parked,
 * never guessed). An invoice's or credit note's canonical id is linked in the cross-reference when first seen;
 * it is derived from the Stripe id (name-based UUID), so a redelivery after a crash in between gets the same id.
 * The VOID of an invoice carries the invoice's own canonical id (same record key, same partition, so it stays
 * behind the INVOICE) and names it as originalInvoiceId. CloudEvent ids derive from the Stripe event id.
 *
 * <p><b>Chain.</b> An invoice of a subscription the hub opened for a contract carries that contract's quote-to-cash
 * chain as {@code ce_correlationid} (QuoteToCashChain), so the ledger links order → invoice → posting → payment.
 */
@ApplicationScoped
@Named("stripeInvoiceEvents")
@RegisterForReflection
public class StripeInvoiceEvents {

    static final String INVOICE_OBJECT = "invoice";
    static final String CREDIT_NOTE_OBJECT = "credit_note";
    static final String CUSTOMER_OBJECT = "customer";
    static final String SUBSCRIPTION_OBJECT = "subscription";
    /** Response header: what the hub did with the event (published, superseded, ignored). */
    public static final String OUTCOME = "q2c-stripe-outcome";
    private static final int ISSUED = 1;
    private static final int VOIDED = 2;
    private static final Logger LOG = Logger.getLogger(StripeInvoiceEvents.class);

    private final StripeBilling stripe;
    private final CrossReference xref;
    private final AgroalDataSource dataSource;
    private final CanonicalPublisher publisher;

    public StripeInvoiceEvents(StripeBilling stripe, CrossReference xref, AgroalDataSource dataSource,
            CanonicalPublisher publisher) {
        this.stripe = stripe;
        this.xref = xref;
        this.dataSource = dataSource;
        this.publisher = publisher;
    }

    public void publish(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        String eventId = in.getHeader(StripeWebhookVerification.EVENT_ID, String.class);
        String type = in.getHeader(StripeWebhookVerification.EVENT_TYPE, String.class);
        String objectId = in.getHeader(StripeWebhookVerification.OBJECT_ID, String.class);
        String outcome = switch (type) {
            case "invoice.finalized" -> advance(eventId, INVOICE_OBJECT, objectId, ISSUED);
            case "invoice.voided" -> advance(eventId, INVOICE_OBJECT, objectId, VOIDED);
            case "credit_note.created" -> advance(eventId, CREDIT_NOTE_OBJECT, objectId, ISSUED);
            default -> "ignored";
        };
        LOG.debugf("Stripe event %s (%s) for %s: %s", eventId, type, objectId, outcome);
        in.setHeader(OUTCOME, outcome);
    }

    private String advance(String eventId, String objectType, String stripeId, int target) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                lock(c, stripeId);
                int reached = stage(c, stripeId);
                if (reached >= target) {
                    c.rollback();
                    return "superseded";
                }
                List<Invoice> events = toPublish(eventId, objectType, stripeId, reached, target);
                for (Invoice invoice : events) {
                    send(invoice, cloudEventId(eventId, invoice, events.size()));
                }
                record(c, stripeId, target, eventId);
                c.commit();
                return "published";
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new TransientFailure("hub", "DB_UNAVAILABLE", "billing document progress: " + e.getMessage(), e);
        }
    }

    private List<Invoice> toPublish(String eventId, String objectType, String stripeId, int reached, int target)
            throws SQLException {
        if (CREDIT_NOTE_OBJECT.equals(objectType)) {
            Invoice note = stripe.fetchCreditNote(stripeId);
            String original = canonicalDocumentId(INVOICE_OBJECT, note.originalInvoiceId());
            return List.of(canonical(note, canonicalDocumentId(CREDIT_NOTE_OBJECT, stripeId), Invoice.Kind.CREDIT_NOTE,
                    original));
        }
        Invoice current = stripe.fetchInvoice(stripeId);
        String id = canonicalDocumentId(INVOICE_OBJECT, stripeId);
        List<Invoice> events = new ArrayList<>();
        if (reached < ISSUED) {
            events.add(canonical(current, id, Invoice.Kind.INVOICE, null));
        }
        if (target == VOIDED) {
            if (current.kind() != Invoice.Kind.VOID) {
                // Stripe says it voided the invoice but does not show it voided: a stale read; Stripe retries.
                throw new TransientFailure(StripeFailures.SYSTEM, "stale_read",
                        "invoice " + stripeId + " is not void yet at Stripe (event " + eventId + ")");
            }
            events.add(canonical(current, id, Invoice.Kind.VOID, id));
        }
        return events;
    }

    private Invoice canonical(Invoice fetched, String id, Invoice.Kind kind, String originalId) throws SQLException {
        String customer = xref.canonicalId(StripeFailures.SYSTEM, CUSTOMER_OBJECT, fetched.customerId())
                .orElseThrow(() -> new BusinessFailure(StripeFailures.SYSTEM, "UNKNOWN_CUSTOMER",
                        "Stripe customer " + fetched.customerId() + " of " + fetched.externalIds().get("billing")
                                + " is not linked to a canonical customer"));
        String subscription = fetched.subscriptionId() == null ? null
                : xref.canonicalId(StripeFailures.SYSTEM, SUBSCRIPTION_OBJECT, fetched.subscriptionId()).orElse(null);
        Map<String, String> externalIds = new LinkedHashMap<>(fetched.externalIds());
        return new Invoice(id, fetched.number(), kind, customer, subscription, originalId, fetched.currency(),
                fetched.issueDate(), kind == Invoice.Kind.INVOICE ? fetched.dueDate() : null, fetched.lines(),
                fetched.totals(), externalIds);
    }

    /** Linked on first sight; the same Stripe id always gives the same canonical id, even before the link exists. */
    String canonicalDocumentId(String objectType, String stripeId) throws SQLException {
        var linked = xref.canonicalId(StripeFailures.SYSTEM, objectType, stripeId);
        if (linked.isPresent()) {
            return linked.get();
        }
        String prefix = INVOICE_OBJECT.equals(objectType) ? "inv-" : "cn-";
        String minted = prefix + UUID.nameUUIDFromBytes((StripeFailures.SYSTEM + ":" + objectType + ":" + stripeId)
                .getBytes(StandardCharsets.UTF_8));
        xref.link(StripeFailures.SYSTEM, objectType, stripeId, minted);
        return minted;
    }

    /** {@code stripe-evt_...}; when one Stripe event yields two canonical ones, the kind tells them apart. */
    private static String cloudEventId(String eventId, Invoice invoice, int count) {
        return count == 1 ? "stripe-" + eventId : "stripe-" + eventId + "-" + invoice.kind().name().toLowerCase();
    }

    private void send(Invoice invoice, String cloudEventId) throws Exception {
        // Joins the chain of the contract the subscription bills, so posting and payments carry it on.
        publisher.publish(EventTypes.INVOICE_ISSUED, cloudEventId, "billing",
                QuoteToCashChain.ofSubscription(invoice.subscriptionId()), invoice);
    }

    private static void lock(Connection c, String stripeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            ps.setString(1, StripeFailures.SYSTEM + ":" + stripeId);
            ps.execute();
        }
    }

    private static int stage(Connection c, String stripeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT stage FROM billing_document_progress WHERE system = ? AND document_id = ?")) {
            ps.setString(1, StripeFailures.SYSTEM);
            ps.setString(2, stripeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    private static void record(Connection c, String stripeId, int stage, String eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO billing_document_progress (system, document_id, stage, event_id) VALUES (?, ?, ?, ?)
                ON CONFLICT (system, document_id) DO UPDATE
                   SET stage = GREATEST(billing_document_progress.stage, EXCLUDED.stage),
                       event_id = EXCLUDED.event_id, updated_at = now()""")) {
            ps.setString(1, StripeFailures.SYSTEM);
            ps.setString(2, stripeId);
            ps.setInt(3, stage);
            ps.setString(4, eventId);
            ps.executeUpdate();
        }
    }
}
