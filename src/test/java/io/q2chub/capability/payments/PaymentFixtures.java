package io.q2chub.capability.payments;

import static io.restassured.RestAssured.given;

import io.q2chub.canonical.Customer;
import io.q2chub.connector.ConnectorRoles;
import io.q2chub.connector.Erp;
import io.q2chub.ops.xref.CrossReference;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.q2chub.testing.CanonicalSamples;
import io.q2chub.testing.Sql;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** What the payment test classes set up and look at the same way: customers, webhook deliveries, parked cases. */
public final class PaymentFixtures {

    private PaymentFixtures() {
    }

    /**
     * A customer as onboarding leaves it: in the ERP and linked to it, and linked to a Stripe customer id (the
     * Stripe simulator needs no customer record for invoices raised by scenario). Returns the Stripe id.
     */
    static String customer(ConnectorRoles roles, CrossReference xref, String legalEntity, String currency)
            throws Exception {
        String canonical = CanonicalSamples.newId("cust");
        Erp erp = roles.erp();
        String erpId = erp.upsertCustomer(new Customer(canonical, "Customer " + canonical, null, legalEntity, null,
                Currency.getInstance(currency), null, null, Customer.Status.ACTIVE, Map.of()), legalEntity);
        xref.link(erp.system(), "customer", erpId, canonical);
        String stripeId = "cus_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
        xref.link("stripe", "customer", stripeId, canonical);
        return stripeId;
    }

    /** Deliveries of the Stripe event of this type about this object that the hub answered 200. */
    public static long acknowledged(StripeSimulator stripe, String type, String objectId) {
        String eventId = stripe.webhooks().eventId(type, objectId);
        return eventId == null ? 0 : stripe.webhooks().attempts().stream()
                .filter(a -> a.eventId().equals(eventId) && a.status() == 200).count();
    }

    /** The operator replays the newest case of the capability with this business key. */
    static void replay(DataSource db, String capability, String businessKey) {
        long caseId = Long.parseLong(caseColumn(db, capability, "id", businessKey));
        as("operator").contentType("application/json").body("{}").post("/api/exception-cases/" + caseId + "/replay")
                .then().statusCode(200);
    }

    static String caseColumn(DataSource db, String capability, String column, String businessKey) {
        return Sql.first(db, "SELECT " + column + " FROM exception_case WHERE capability = '" + capability
                + "' AND business_key = ? ORDER BY id DESC LIMIT 1", businessKey).orElse(null);
    }

    static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user + "-sandbox");
    }

    /** The invoice's n-th payment as Stripe lists it (`payments.data`). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> invoicePayment(StripeSimulator stripe, String stripeInvoice, int index) {
        Map<String, Object> payments = (Map<String, Object>) stripe.invoice(stripeInvoice).get("payments");
        return ((List<Map<String, Object>>) payments.get("data")).get(index);
    }

    @SuppressWarnings("unchecked")
    public static String paymentIntent(StripeSimulator stripe, String stripeInvoice, int index) {
        return (String) ((Map<String, Object>) invoicePayment(stripe, stripeInvoice, index).get("payment"))
                .get("payment_intent");
    }

    /** The canonical id the webhook ingress gave the invoice's n-th payment, once it has. */
    public static String canonicalPayment(StripeSimulator stripe, CrossReference xref, String stripeInvoice, int index,
            Duration within) {
        String paymentIntent = paymentIntent(stripe, stripeInvoice, index);
        return org.awaitility.Awaitility.await().atMost(within)
                .until(() -> xref.canonicalId("stripe", "payment", paymentIntent), Optional::isPresent).orElseThrow();
    }
}
