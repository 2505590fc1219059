package io.q2chub.connector.salesforce;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.q2chub.canonical.CanonicalJson;
import io.q2chub.canonical.Customer;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.PoisonFailure;
import io.q2chub.ops.replay.ReplayPositions;
import io.q2chub.ops.xref.CrossReference;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.jboss.logging.Logger;

/**
 * Turns a Salesforce AccountChangeEvent (Change Data Capture, delivered as JSON by the Pub/Sub consumer) into
 * canonical {@code q2c.customer.changed.v1} data, one per record the event names.
 *
 * <p>A change event carries only the fields that changed, but customer.changed carries the customer as it is now.
 * So only CREATE and UNDELETE (which carry every set field) are mapped from the event itself; UPDATE and every
 * GAP_* event re-read the account through the REST API (1 API call per record). DELETE marks the customer
 * INACTIVE; a DELETE naming a MasterRecordId is the losing side of a merge and carries the survivor's canonical id.
 */
@ApplicationScoped
@Named("salesforceAccountEvents")
@RegisterForReflection
public class SalesforceAccountEvents {

    /** The Salesforce change type, or MERGE for the deleted side of a merge. */
    public static final String CHANGE_TYPE = "q2c-change-type";
    /** On a merge: canonical id of the customer the deleted one was merged into. */
    public static final String SURVIVING_ID = "q2c-surviving-id";
    static final String OBJECT_TYPE = "Account";
    /** Fields the hub itself writes back (SalesforceCrm#writeBack); no canonical customer field depends on them. */
    static final Set<String> WRITE_BACK_FIELDS = Set.of("ERP_Id__c", "Billing_Id__c", "Sync_Status__c", "Sync_Message__c");
    /** The Account fields the canonical customer is made of. */
    public static final List<String> ACCOUNT_FIELDS = List.of("Id", "Name", "ParentId", "Legal_Entity__c",
            "BillingCountry", "CurrencyIsoCode", "Tax_Id__c");
    private static final String CRM_ROLE = "crm";
    private static final Logger LOG = Logger.getLogger(SalesforceAccountEvents.class);

    private final SalesforceCrm crm;
    private final CrossReference xref;
    private final ReplayPositions positions;
    private final ObjectMapper json = CanonicalJson.mapper();

    public SalesforceAccountEvents(SalesforceCrm crm, CrossReference xref, ReplayPositions positions) {
        this.crm = crm;
        this.xref = xref;
        this.positions = positions;
    }

    /**
     * Sets {@value #CHANGE_TYPE} (and {@value #SURVIVING_ID} for a merge) and returns the canonical customer data
     * of every record the event names, as JSON, in the order Salesforce listed them.
     */
    public List<byte[]> toCustomers(Exchange exchange) throws SQLException {
        Message in = exchange.getMessage();
        JsonNode event = parse(in.getBody(String.class));
        JsonNode header = event.path("ChangeEventHeader");
        String changeType = text(header.path("changeType"));
        SalesforceSubscriptions.noteCommitTime(exchange, header);
        if (changeType == null) {
            throw new PoisonFailure(SalesforceFailures.SYSTEM, "NOT_A_CHANGE_EVENT", "event has no ChangeEventHeader.changeType");
        }
        String master = text(event.path("MasterRecordId"));
        boolean merge = changeType.equals("DELETE") && master != null;
        in.setHeader(CHANGE_TYPE, merge ? "MERGE" : changeType);
        if (merge) {
            in.setHeader(SURVIVING_ID, canonicalId(master));
        }
        if (changeType.equals("GAP_OVERFLOW")) {
            // Too many changes for the event bus to describe: only a full re-sync closes this gap.
            LOG.errorf("Salesforce reported GAP_OVERFLOW for Account: re-sync requested");
            positions.requestResync(SalesforceSubscriptions.subscriptionOf(exchange.getFromEndpoint()),
                    in.getHeader("CamelSalesforcePubSubReplayId", String.class), "GAP_OVERFLOW");
            return List.of();
        }
        if (changeType.equals("UPDATE") && onlyWriteBack(header.path("changedFields"))) {
            // The echo of the hub's own write-back: nothing a customer.changed consumer sees has changed, and a
            // re-read would spend one API call per written-back account.
            return List.of();
        }
        List<byte[]> customers = new ArrayList<>();
        for (JsonNode id : header.path("recordIds")) {
            customerOf(changeType, text(id), event).ifPresent(c -> customers.add(write(c)));
        }
        return customers;
    }

    private Optional<Customer> customerOf(String changeType, String accountId, JsonNode event) throws SQLException {
        return switch (changeType) {
            case "CREATE", "UNDELETE" -> Optional.of(customer(accountId, field(event, "Name"), field(event, "ParentId"),
                    field(event, "Legal_Entity__c"), field(event, "BillingCountry"), field(event, "CurrencyIsoCode"),
                    field(event, "Tax_Id__c"), Customer.Status.ACTIVE));
            case "DELETE", "GAP_DELETE" -> Optional.of(customer(accountId,
                    // Salesforce no longer serves a deleted record's fields; the canonical id is what consumers key on.
                    "deleted Salesforce account " + accountId, null, null, null, null, null, Customer.Status.INACTIVE));
            default -> refetch(accountId);
        };
    }

    /** The account as Salesforce holds it now; empty when it was deleted meanwhile (its DELETE event follows). */
    private Optional<Customer> refetch(String accountId) throws SQLException {
        Optional<Map<String, Object>> account = crm.fetchAccount(accountId);
        if (account.isEmpty()) {
            LOG.infof("Account %s no longer exists; its change is superseded by the deletion", accountId);
            return Optional.empty();
        }
        return Optional.of(fromAccount(accountId, account.get()));
    }

    /**
     * The canonical customer data of a live account read through the REST API (fields {@link #ACCOUNT_FIELDS}), as
     * JSON: what a re-sync publishes for every account, the same mapping a re-read change event gets.
     */
    public byte[] customerOf(Map<String, Object> account) throws SQLException {
        return write(fromAccount(string(account, "Id"), account));
    }

    private Customer fromAccount(String accountId, Map<String, Object> a) throws SQLException {
        return customer(accountId, string(a, "Name"), string(a, "ParentId"), string(a, "Legal_Entity__c"),
                string(a, "BillingCountry"), string(a, "CurrencyIsoCode"), string(a, "Tax_Id__c"), Customer.Status.ACTIVE);
    }

    private Customer customer(String accountId, String name, String parentAccountId, String legalEntity, String country,
            String currency, String taxId, Customer.Status status) throws SQLException {
        if (name == null || name.isBlank()) {
            throw new BusinessFailure(SalesforceFailures.SYSTEM, "NAME_MISSING", "Account " + accountId + " has no Name");
        }
        if (country != null && !country.matches("[A-Z]{2}")) {
            throw new BusinessFailure(SalesforceFailures.SYSTEM, "COUNTRY_NOT_ISO",
                    "Account " + accountId + " BillingCountry '" + country + "' is not an ISO 3166-1 alpha-2 code");
        }
        return new Customer(canonicalId(accountId), name, parentAccountId == null ? null : canonicalId(parentAccountId),
                legalEntity, country, currency(accountId, currency), taxId, null, status, Map.of(CRM_ROLE, accountId));
    }

    /** The hub's id for the account: looked up, or minted and linked the first time the hub sees the account. */
    String canonicalId(String accountId) throws SQLException {
        Optional<String> known = xref.canonicalId(SalesforceFailures.SYSTEM, OBJECT_TYPE, accountId);
        if (known.isPresent()) {
            return known.get();
        }
        String minted = "cust-" + UUID.randomUUID();
        try {
            xref.link(SalesforceFailures.SYSTEM, OBJECT_TYPE, accountId, minted);
            return minted;
        } catch (BusinessFailure raced) {
            // Another replica linked the account first: its id wins.
            return xref.canonicalId(SalesforceFailures.SYSTEM, OBJECT_TYPE, accountId).orElseThrow(() -> raced);
        }
    }

    private static Currency currency(String accountId, String code) {
        if (code == null) {
            return null;
        }
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new BusinessFailure(SalesforceFailures.SYSTEM, "CURRENCY_UNKNOWN",
                    "Account " + accountId + " CurrencyIsoCode '" + code + "' is not an ISO 4217 currency");
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new PoisonFailure(SalesforceFailures.SYSTEM, "UNPARSEABLE", "change event is not JSON: " + e.getMessage(), e);
        }
    }

    private byte[] write(Customer customer) {
        try {
            return json.writeValueAsBytes(customer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean onlyWriteBack(JsonNode changedFields) {
        if (!changedFields.isArray() || changedFields.isEmpty()) {
            return false;
        }
        for (JsonNode field : changedFields) {
            if (!WRITE_BACK_FIELDS.contains(text(field))) {
                return false;
            }
        }
        return true;
    }

    private static String field(JsonNode event, String name) {
        return text(event.path(name));
    }

    /** Avro unions may arrive wrapped ({"string": "x"}) or plain, depending on the JSON encoder. */
    private static String text(JsonNode node) {
        if (node.isObject() && node.size() == 1) {
            return text(node.elements().next());
        }
        return node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    private static String string(Map<String, Object> account, String field) {
        Object value = account.get(field);
        return value == null ? null : value.toString();
    }
}
