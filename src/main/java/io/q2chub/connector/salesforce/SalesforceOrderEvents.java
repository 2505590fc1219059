package io.q2chub.connector.salesforce;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.q2chub.canonical.CanonicalJson;
import io.q2chub.canonical.CloudEventHeaders;
import io.q2chub.canonical.Contract;
import io.q2chub.canonical.Money;
import io.q2chub.canonical.QuoteToCashChain;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.PoisonFailure;
import io.q2chub.ops.xref.CrossReference;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

/**
 * Turns an OrderChangeEvent (Change Data Capture over the Pub/Sub API, as JSON) into canonical
 * {@code q2c.contract.booked.v1} data when it activates an order: a CREATE with Status 'Activated', an UPDATE that
 * changed Status to 'Activated', or a GAP_CREATE/GAP_UPDATE whose order is now Activated (a gap tells nothing, so the
 * order is re-read). Every other change (drafts, the hub's own write-back) books nothing.
 *
 * <p>A change event never carries the order's items, so each activated order costs 2 API calls: the Order read
 * (its current fields, whatever the event carried) and one SOQL query of its items with their product code.
 *
 * <p>The contract id is derived from the order id ({@value #CONTRACT_PREFIX}{@code <orderId>}), so a re-delivered or
 * re-read activation books the same contract. The customer is the one the hub onboarded from the order's account;
 * an account the hub never saw is a business failure, never a guess.
 */
@ApplicationScoped
@Named("salesforceOrderEvents")
@RegisterForReflection
public class SalesforceOrderEvents {

    static final String CONTRACT_PREFIX = "ctr-sf-";
    static final String ACTIVATED = "Activated";
    private static final Logger LOG = Logger.getLogger(SalesforceOrderEvents.class);

    private final SalesforceCrm crm;
    private final CrossReference xref;
    private final ObjectMapper json = CanonicalJson.mapper();

    public SalesforceOrderEvents(SalesforceCrm crm, CrossReference xref) {
        this.crm = crm;
        this.xref = xref;
    }

    /** The canonical contracts the event books, as JSON; empty when it activates no order. */
    public List<byte[]> toContracts(Exchange exchange) throws SQLException {
        JsonNode event = parse(exchange.getMessage().getBody(String.class));
        JsonNode header = event.path("ChangeEventHeader");
        String changeType = text(header.path("changeType"));
        SalesforceSubscriptions.noteCommitTime(exchange, header);
        if (changeType == null) {
            throw new PoisonFailure(SalesforceFailures.SYSTEM, "NOT_A_CHANGE_EVENT", "event has no ChangeEventHeader.changeType");
        }
        if (!activates(changeType, event, header)) {
            return List.of();
        }
        List<byte[]> contracts = new ArrayList<>();
        for (JsonNode id : header.path("recordIds")) {
            contractOf(text(id)).ifPresent(c -> contracts.add(write(c)));
        }
        return contracts;
    }

    /**
     * A booked contract starts its quote-to-cash chain: the correlation id every later event of the chain carries
     * (subscription, invoices, postings, payments) is the canonical contract id (QuoteToCashChain).
     */
    public void startChain(Exchange exchange) {
        JsonNode contract = parse(exchange.getMessage().getBody(String.class));
        exchange.getMessage().setHeader(CloudEventHeaders.CORRELATION_ID,
                QuoteToCashChain.ofContract(contract.path("id").asText()));
    }

    private static boolean activates(String changeType, JsonNode event, JsonNode header) {
        return switch (changeType) {
            case "CREATE" -> ACTIVATED.equals(text(event.path("Status")));
            case "UPDATE" -> contains(header.path("changedFields"), "Status") && ACTIVATED.equals(text(event.path("Status")));
            case "GAP_CREATE", "GAP_UPDATE" -> true;
            default -> false;
        };
    }

    private Optional<Contract> contractOf(String orderId) throws SQLException {
        Optional<Map<String, Object>> found = crm.fetchOrder(orderId);
        if (found.isEmpty() || !ACTIVATED.equals(string(found.get(), "Status"))) {
            LOG.infof("Order %s is not (or no longer) activated: nothing to book", orderId);
            return Optional.empty();
        }
        Map<String, Object> order = found.get();
        Currency currency = currency(orderId, string(order, "CurrencyIsoCode"));
        List<Contract.Line> lines = new ArrayList<>();
        for (JsonNode item : crm.fetchOrderItems(orderId)) {
            lines.add(line(orderId, item, currency));
        }
        if (lines.isEmpty()) {
            throw new BusinessFailure(SalesforceFailures.SYSTEM, "ORDER_WITHOUT_ITEMS", "Order " + orderId + " was activated without items");
        }
        return Optional.of(new Contract(CONTRACT_PREFIX + orderId, customerOf(orderId, string(order, "AccountId")),
                string(order, "OpportunityId"), orderId, currency, date(orderId, "EffectiveDate", string(order, "EffectiveDate"), true),
                date(orderId, "EndDate", string(order, "EndDate"), false), lines));
    }

    /** The customer the hub onboarded from this account (cross-reference salesforce/Account). */
    private String customerOf(String orderId, String accountId) throws SQLException {
        if (accountId == null) {
            throw new BusinessFailure(SalesforceFailures.SYSTEM, "ORDER_WITHOUT_ACCOUNT", "Order " + orderId + " has no AccountId");
        }
        return xref.canonicalId(SalesforceFailures.SYSTEM, SalesforceAccountEvents.OBJECT_TYPE, accountId)
                .orElseThrow(() -> new BusinessFailure(SalesforceFailures.SYSTEM, "ACCOUNT_NOT_ONBOARDED",
                        "Order " + orderId + ": account " + accountId + " is not a customer the hub knows (not onboarded yet)"));
    }

    private static Contract.Line line(String orderId, JsonNode item, Currency currency) {
        String itemId = text(item.path("Id"));
        String sku = text(item.path("Product2").path("ProductCode"));
        if (sku == null || sku.isBlank()) {
            throw new BusinessFailure(SalesforceFailures.SYSTEM, "PRODUCT_WITHOUT_CODE",
                    "Order " + orderId + " item " + itemId + ": its product has no ProductCode (the SKU)");
        }
        BigDecimal quantity = decimal(item.path("Quantity"));
        BigDecimal unitPrice = decimal(item.path("UnitPrice"));
        if (quantity == null || unitPrice == null) {
            throw new BusinessFailure(SalesforceFailures.SYSTEM, "ITEM_INCOMPLETE",
                    "Order " + orderId + " item " + itemId + " (" + sku + ") has no Quantity or UnitPrice");
        }
        try {
            // Negotiated price, exact in the order's currency: 1.2345 KWD would need rounding and is refused.
            return new Contract.Line(sku, quantity, Money.parse(unitPrice.toPlainString(), currency.getCurrencyCode()));
        } catch (IllegalArgumentException e) {
            throw new BusinessFailure(SalesforceFailures.SYSTEM, "PRICE_NOT_EXACT",
                    "Order " + orderId + " item " + itemId + " (" + sku + "): " + e.getMessage());
        }
    }

    private static Currency currency(String orderId, String code) {
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new BusinessFailure(SalesforceFailures.SYSTEM, "CURRENCY_UNKNOWN",
                    "Order " + orderId + " CurrencyIsoCode '" + code + "' is not an ISO 4217 currency");
        }
    }

    private static LocalDate date(String orderId, String field, String value, boolean required) {
        if (value == null) {
            if (required) {
                throw new BusinessFailure(SalesforceFailures.SYSTEM, "DATE_MISSING", "Order " + orderId + " has no " + field);
            }
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new BusinessFailure(SalesforceFailures.SYSTEM, "DATE_INVALID", "Order " + orderId + " " + field + " '" + value + "'");
        }
    }

    private static BigDecimal decimal(JsonNode node) {
        return node.isNumber() ? node.decimalValue() : node.isTextual() ? new BigDecimal(node.asText()) : null;
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new PoisonFailure(SalesforceFailures.SYSTEM, "UNPARSEABLE", "change event is not JSON: " + e.getMessage(), e);
        }
    }

    private byte[] write(Contract contract) {
        try {
            return json.writeValueAsBytes(contract);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (value.equals(text(n))) {
                return true;
            }
        }
        return false;
    }

    /** Avro unions may arrive wrapped ({"string": "x"}) or plain, depending on the JSON encoder. */
    private static String text(JsonNode node) {
        if (node.isObject() && node.size() == 1) {
            return text(node.elements().next());
        }
        return node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    private static String string(Map<String, Object> record, String field) {
        Object value = record.get(field);
        return value == null ? null : value.toString();
    }
}
