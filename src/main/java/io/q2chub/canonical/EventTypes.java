package io.q2chub.canonical;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The canonical event types, and where each one travels.
 *
 * <p><b>Type</b>: {@code q2c.<entity>.<event>.v1}, e.g. {@code q2c.invoice.issued.v1}. It is the CloudEvents
 * {@code ce_type}; routes branch on it. The version changes only for an incompatible change, which then gets a new
 * schema file next to the old one.
 *
 * <p><b>Topic</b>: {@code q2c.<entity>.v1}, one topic per entity, so all events about one invoice (issued, posted)
 * share a topic and stay in order. See {@link #topicOf(String)}.
 *
 * <p><b>Key</b>: the business key whose order matters, named by {@link #keyFieldOf(String)} as a property of the
 * event data: the entity's own id for customers, products, contracts, subscriptions and invoices; the customer
 * id for payments (a refund must follow its payment, and cash is applied per customer); the invoice id for tax
 * and revenue (they follow the invoice they belong to).
 *
 * <p><b>Schema</b>: {@code schemas/canonical/v1/<entity>.<event>.json} on the classpath, published as
 * {@value #SCHEMA_BASE_URI}{@code <entity>.<event>.json}, which is the JSON Schema {@code $id} and the
 * CloudEvents {@code dataschema}.
 */
public final class EventTypes {
    public static final String CUSTOMER_CHANGED = "q2c.customer.changed.v1";
    public static final String CUSTOMER_ONBOARDED = "q2c.customer.onboarded.v1";
    public static final String PRODUCT_CHANGED = "q2c.product.changed.v1";
    public static final String CONTRACT_BOOKED = "q2c.contract.booked.v1";
    public static final String SUBSCRIPTION_ACTIVATED = "q2c.subscription.activated.v1";
    public static final String INVOICE_ISSUED = "q2c.invoice.issued.v1";
    public static final String INVOICE_POSTED = "q2c.invoice.posted.v1";
    /** Payments and refunds alike; {@link Payment#kind()} tells them apart. */
    public static final String PAYMENT_RECORDED = "q2c.payment.recorded.v1";
    public static final String TAX_CALCULATED = "q2c.tax.calculated.v1";
    /** A payment's dispute opened, won or lost (keyed by the customer, ordered with its payments). */
    public static final String PAYMENT_DISPUTED = "q2c.payment.disputed.v1";
    /** A collection attempt of an invoice failed (keyed by the customer); no money moved. */
    public static final String PAYMENT_FAILED = "q2c.payment.failed.v1";
    /** A processor payout to the bank with the settled payments and refunds it sweeps (keyed by the payout id). */
    public static final String PAYOUT_PAID = "q2c.payout.paid.v1";
    public static final String REVENUE_RECOGNIZED = "q2c.revenue.recognized.v1";

    public static final String SCHEMA_BASE_URI = "https://q2c-hub.io/schemas/canonical/v1/";
    public static final String SCHEMA_RESOURCE_DIR = "schemas/canonical/v1/";

    private record Route(String keyField, Class<?> dataClass) {
    }

    private static final Map<String, Route> TYPES = types();

    private EventTypes() {
    }

    private static Map<String, Route> types() {
        Map<String, Route> types = new LinkedHashMap<>();
        types.put(CUSTOMER_CHANGED, new Route("id", Customer.class));
        types.put(CUSTOMER_ONBOARDED, new Route("id", Customer.class));
        types.put(PRODUCT_CHANGED, new Route("id", Product.class));
        types.put(CONTRACT_BOOKED, new Route("id", Contract.class));
        types.put(SUBSCRIPTION_ACTIVATED, new Route("id", Subscription.class));
        types.put(INVOICE_ISSUED, new Route("id", Invoice.class));
        types.put(INVOICE_POSTED, new Route("id", Invoice.class));
        types.put(PAYMENT_RECORDED, new Route("customerId", Payment.class));
        types.put(TAX_CALCULATED, new Route("invoiceId", TaxDetail.class));
        types.put(REVENUE_RECOGNIZED, new Route("invoiceId", RevenueEvent.class));
        types.put(PAYOUT_PAID, new Route("id", Payout.class));
        types.put(PAYMENT_DISPUTED, new Route("customerId", PaymentDispute.class));
        types.put(PAYMENT_FAILED, new Route("customerId", PaymentFailure.class));
        return Collections.unmodifiableMap(types);
    }

    /** Every event type, in a stable order. */
    public static Set<String> all() {
        return TYPES.keySet();
    }

    public static boolean isKnown(String type) {
        return TYPES.containsKey(type);
    }

    /** The Kafka topic the type travels on: {@code q2c.invoice.issued.v1} → {@code q2c.invoice.v1}. */
    public static String topicOf(String type) {
        route(type);
        String[] parts = type.split("\\.");
        return parts[0] + "." + parts[1] + "." + parts[3];
    }

    /** The property of the event data whose value is the Kafka record key. */
    public static String keyFieldOf(String type) {
        return route(type).keyField();
    }

    /** The canonical record the event data binds to. */
    public static Class<?> dataClassOf(String type) {
        return route(type).dataClass();
    }

    /** {@code q2c.invoice.issued.v1} → {@code invoice.issued.json}. */
    public static String schemaFileOf(String type) {
        route(type);
        String[] parts = type.split("\\.");
        return parts[1] + "." + parts[2] + ".json";
    }

    /** Classpath location of the type's JSON Schema. */
    public static String schemaResourceOf(String type) {
        return SCHEMA_RESOURCE_DIR + schemaFileOf(type);
    }

    /** The schema's {@code $id}, also sent as the CloudEvents {@code dataschema}. */
    public static String dataSchemaOf(String type) {
        return SCHEMA_BASE_URI + schemaFileOf(type);
    }

    private static Route route(String type) {
        Route route = TYPES.get(type);
        if (route == null) {
            throw new IllegalArgumentException("unknown event type '" + type + "'");
        }
        return route;
    }
}
