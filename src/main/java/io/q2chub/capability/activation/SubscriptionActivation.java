package io.q2chub.capability.activation;

import io.q2chub.canonical.CanonicalJson;
import io.q2chub.canonical.CloudEventHeaders;
import io.q2chub.canonical.Contract;
import io.q2chub.canonical.EventTypes;
import io.q2chub.canonical.QuoteToCashChain;
import io.q2chub.canonical.Subscription;
import io.q2chub.connector.Billing;
import io.q2chub.connector.Billing.BillingSubscription;
import io.q2chub.connector.Billing.SubscriptionItem;
import io.q2chub.connector.Billing.SubscriptionRequest;
import io.q2chub.connector.ConnectorRoles;
import io.q2chub.connector.Crm.OrderSyncStatus;
import io.q2chub.connector.Erp;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.mappings.ValueMappings;
import io.q2chub.ops.xref.CrossReference;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.jboss.logging.Logger;

/**
 * The steps of subscription activation that subscription-activation.camel.yaml strings together: a booked contract
 * becomes exactly one subscription in the billing platform, then q2c.subscription.activated, then the CRM order
 * learns its subscription. Roles only; which billing platform, ERP and CRM answer is configuration.
 *
 * <p>Everything that needs an answer before billing starts is checked first, in one pass, so a case names every gap
 * at once: the customer onboarded in billing and ERP, the currency, and for every product (SKU) a billing price
 * (mapping kind {@value #PRICE_KIND}, code {@code SKU:CURRENCY}) and an ERP item (kind {@value #ITEM_KIND}, code SKU).
 */
@ApplicationScoped
@Named("subscriptionActivation")
@RegisterForReflection
public class SubscriptionActivation {

    static final String PRICE_KIND = "price";
    static final String ITEM_KIND = "item";
    static final String CUSTOMER = "customer";
    static final String SUBSCRIPTION = "subscription";
    /** Cross-reference object type of a CRM order, linked to the canonical contract it booked. */
    public static final String ORDER = "order";
    /** Exchange properties carried from one step to the next. */
    static final String CONTRACT = "q2c-contract";
    static final String PLAN = "q2c-subscription-plan";
    static final String BILLING_SUBSCRIPTION = "q2c-billing-subscription";
    private static final Logger LOG = Logger.getLogger(SubscriptionActivation.class);

    private final ConnectorRoles roles;
    private final CrossReference xref;
    private final ValueMappings mappings;
    private final ActivationSettings settings;

    public SubscriptionActivation(ConnectorRoles roles, CrossReference xref, ValueMappings mappings, ActivationSettings settings) {
        this.roles = roles;
        this.xref = xref;
        this.mappings = mappings;
        this.settings = settings;
    }

    /** The event data as a canonical contract (the schema was checked before). */
    public Contract read(byte[] body) {
        return CanonicalJson.bind(body, Contract.class, "contract data");
    }

    /**
     * The checks that need an answer now. The customer comes first: without it nothing else can be billed. Then every
     * line is checked and all gaps are named together (each SKU with the mapping it lacks), so one fix round suffices.
     */
    public void check(Exchange exchange) throws SQLException {
        Contract contract = exchange.getMessage().getBody(Contract.class);
        Billing billing = roles.billing();
        Erp erp = roles.erp();
        List<String> missing = new ArrayList<>();
        Optional<String> billingCustomer = xref.externalId(billing.system(), CUSTOMER, contract.customerId());
        if (billingCustomer.isEmpty()) {
            missing.add(billing.system());
        }
        if (xref.externalId(erp.system(), CUSTOMER, contract.customerId()).isEmpty()) {
            missing.add(erp.system());
        }
        if (!missing.isEmpty()) {
            throw new BusinessFailure("hub", "CUSTOMER_NOT_ONBOARDED", "contract " + contract.id() + ": customer "
                    + contract.customerId() + " is not onboarded in " + String.join(" and ", missing));
        }
        String currency = contract.currency().getCurrencyCode();
        if (!settings.currencies().contains(currency)) {
            throw new BusinessFailure("hub", "CURRENCY_NOT_ALLOWED", "contract " + contract.id() + ": currency " + currency
                    + " is not one billing charges in (q2c.activation.currencies=" + String.join(",", settings.currencies()) + ")");
        }
        List<String> gaps = new ArrayList<>();
        List<SubscriptionItem> items = new ArrayList<>();
        for (Contract.Line line : contract.lines()) {
            String priceCode = line.productId() + ":" + currency;
            Optional<String> price = mappings.target(billing.system(), PRICE_KIND, priceCode);
            if (price.isEmpty()) {
                gaps.add("SKU " + line.productId() + " has no " + billing.system() + " price in " + currency
                        + " (mapping " + billing.system() + "/" + PRICE_KIND + "/" + priceCode + ")");
            }
            if (mappings.target(erp.system(), ITEM_KIND, line.productId()).isEmpty()) {
                gaps.add("SKU " + line.productId() + " has no " + erp.system() + " item (mapping " + erp.system() + "/"
                        + ITEM_KIND + "/" + line.productId() + ")");
            }
            price.ifPresent(p -> items.add(new SubscriptionItem(p, wholeQuantity(contract, line))));
        }
        if (!gaps.isEmpty()) {
            throw new BusinessFailure("hub", "PRODUCT_NOT_MAPPED", "contract " + contract.id() + ": " + String.join("; ", gaps));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("contract_id", contract.id());
        metadata.put("canonical_customer_id", contract.customerId());
        if (contract.crmOrderId() != null) {
            metadata.put("crm_order_id", contract.crmOrderId());
        }
        exchange.setProperty(CONTRACT, contract);
        exchange.setProperty(PLAN, new SubscriptionRequest(billingCustomer.get(), items, metadata));
    }

    /**
     * Exactly one subscription per contract. The idempotency key is derived from the contract (not the event), so a
     * redelivery, a replay or a second activation event of the same order within the platform's key retention gets
     * the first subscription back; after that the cross-reference (contract's subscription → billing id) is what
     * stops a second one, and the linked subscription is read instead (1 call).
     */
    public void activate(Exchange exchange) throws SQLException {
        Contract contract = exchange.getProperty(CONTRACT, Contract.class);
        Billing billing = roles.billing();
        String canonicalId = subscriptionIdOf(contract);
        Optional<String> linked = xref.externalId(billing.system(), SUBSCRIPTION, canonicalId);
        BillingSubscription subscription;
        if (linked.isPresent()) {
            LOG.infof("contract %s already has subscription %s in %s", contract.id(), linked.get(), billing.system());
            subscription = billing.subscription(linked.get());
        } else {
            // Linked before billing starts: the first invoice may be posted (and its status written back to this
            // order) before this route reaches its own write-back.
            if (contract.crmOrderId() != null) {
                xref.link(roles.crm().system(), ORDER, contract.crmOrderId(), contract.id());
            }
            subscription = billing.createSubscription(exchange.getProperty(PLAN, SubscriptionRequest.class),
                    "activate-" + contract.id());
            xref.link(billing.system(), SUBSCRIPTION, subscription.id(), canonicalId);
        }
        exchange.setProperty(BILLING_SUBSCRIPTION, subscription);
    }

    /** Turns the message into the subscription.activated event, caused by the contract event. */
    public void activated(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        Contract contract = exchange.getProperty(CONTRACT, Contract.class);
        BillingSubscription billed = exchange.getProperty(BILLING_SUBSCRIPTION, BillingSubscription.class);
        List<Subscription.Item> items = contract.lines().stream()
                .map(l -> new Subscription.Item(l.productId(), l.quantity(), l.unitPrice())).toList();
        Subscription subscription = new Subscription(subscriptionIdOf(contract), contract.id(), contract.customerId(),
                status(billed.status()), billed.currentPeriodStart(), billed.currentPeriodEnd(), items);
        in.setBody(CanonicalJson.mapper().writeValueAsBytes(subscription));
        String causation = in.getHeader(CloudEventHeaders.ID, String.class);
        String correlation = in.getHeader(CloudEventHeaders.CORRELATION_ID, String.class);
        in.getHeaders().keySet().removeIf(name -> name.startsWith("ce_"));
        in.setHeader(CloudEventHeaders.TYPE, EventTypes.SUBSCRIPTION_ACTIVATED);
        // One event id per contract: a replay that publishes again is recognised as the same event downstream.
        in.setHeader(CloudEventHeaders.ID, "activated-" + contract.id());
        in.setHeader(CloudEventHeaders.CAUSATION_ID, causation);
        in.setHeader(CloudEventHeaders.CORRELATION_ID, correlation != null ? correlation : causation);
    }

    /**
     * Tells the CRM order which subscription bills it: one direct write per order (not batched), because the sales
     * team waits for it; the same values written again change nothing, so a replay may repeat it.
     */
    public void writeBack(Exchange exchange) {
        Contract contract = exchange.getProperty(CONTRACT, Contract.class);
        BillingSubscription billed = exchange.getProperty(BILLING_SUBSCRIPTION, BillingSubscription.class);
        if (contract.crmOrderId() == null) {
            return;
        }
        roles.crm().writeBackOrder(new OrderSyncStatus(contract.crmOrderId(), billed.id(), "Synced",
                "subscription " + billed.id() + " " + billed.status()));
    }

    static String subscriptionIdOf(Contract contract) {
        return subscriptionIdOfContract(contract.id());
    }

    /** The canonical subscription of a canonical contract: reconciliation follows a booking to its invoices. */
    public static String subscriptionIdOfContract(String contractId) {
        return QuoteToCashChain.subscriptionOfContract(contractId);
    }

    /** The contract a canonical subscription bills (the inverse of the hub's own id rule); null for any other id. */
    public static String contractIdOf(String canonicalSubscriptionId) {
        return QuoteToCashChain.contractOfSubscription(canonicalSubscriptionId);
    }

    private static long wholeQuantity(Contract contract, Contract.Line line) {
        try {
            return line.quantity().stripTrailingZeros().longValueExact();
        } catch (ArithmeticException e) {
            throw new BusinessFailure("hub", "QUANTITY_NOT_WHOLE", "contract " + contract.id() + ": SKU " + line.productId()
                    + " quantity " + line.quantity().toPlainString() + " is not a whole number of seats");
        }
    }

    private static Subscription.Status status(String billingStatus) {
        return switch (billingStatus == null ? "" : billingStatus) {
            case "trialing" -> Subscription.Status.TRIALING;
            case "past_due", "unpaid", "incomplete" -> Subscription.Status.PAST_DUE;
            case "paused" -> Subscription.Status.PAUSED;
            case "canceled", "incomplete_expired" -> Subscription.Status.CANCELED;
            default -> Subscription.Status.ACTIVE;
        };
    }
}
