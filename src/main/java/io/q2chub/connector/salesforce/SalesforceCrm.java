package io.q2chub.connector.salesforce;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.q2chub.connector.Crm;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.PoisonFailure;
import io.q2chub.ops.resilience.SystemGuard;
import io.q2chub.ops.resilience.SystemGuards;
import io.q2chub.ops.tracing.TraceContext;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The CRM role played by Salesforce, through Camel's Salesforce component: it holds the OAuth session, logs in
 * again when the session expires and retries the call once. Every REST call counts against the org's daily API
 * budget, so write-backs go out as sObject Collections updates of up to 200 records per call.
 *
 * <p>API calls: {@link #fetchAccount} 1; {@link #upsertAccount} 1; {@link #writeBack} ceil(n / 200);
 * {@link #listAccounts} ceil(n / 2000); {@link #fetchOrder} 1; {@link #fetchOrderItems} 1 (ceil(n / 2000));
 * {@link #writeBackOrder} 1; {@link #writeBackInvoiceStatus} 1.
 */
@ApplicationScoped
@Named("salesforce")
@RegisterForReflection
public class SalesforceCrm implements Crm {

    /** Salesforce's cap on records in one sObject Collections request. */
    static final int COLLECTION_SIZE = 200;
    /** A field's API name; it becomes a path segment, so nothing else may pass. */
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern RECORD_ID = Pattern.compile("[A-Za-z0-9]{15}([A-Za-z0-9]{3})?");
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ProducerTemplate producer;
    private final String apiVersion;
    private final SystemGuard guard;
    private final SalesforceApiUsage apiUsage;
    private final ObjectMapper json = new ObjectMapper();

    /** Every REST call passes the hub's shared Salesforce guard (daily API calls, circuit breaker). */
    public SalesforceCrm(ProducerTemplate producer,
            @ConfigProperty(name = "camel.component.salesforce.api-version", defaultValue = "60.0") String apiVersion,
            SystemGuards guards, SalesforceApiUsage apiUsage) {
        this.producer = producer;
        this.apiUsage = apiUsage;
        this.apiVersion = apiVersion;
        this.guard = guards.forSystem(SalesforceFailures.SYSTEM);
    }

    @Override
    public String system() {
        return SalesforceFailures.SYSTEM;
    }

    @Override
    public Optional<Map<String, Object>> fetchAccount(String accountId) {
        String body = call("reading Account " + accountId, true, () -> send("salesforce:getSObject?sObjectName=Account&rawPayload=true", null, Map.of("sObjectId", accountId)));
        if (body == null) {
            return Optional.empty();
        }
        try {
            Map<String, Object> account = json.readValue(body, MAP);
            account.remove("attributes");
            return Optional.of(account);
        } catch (IOException e) {
            throw new PoisonFailure(system(), "UNPARSEABLE", "Account " + accountId + " is not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * PATCH {@code sobjects/Account/{externalIdField}/{externalId}}: Salesforce creates the account (201) or updates
     * the one holding the external id (200); both answers carry its id. Two accounts holding the same external id
     * (300) is data only a person can untangle: a business failure naming them.
     */
    @Override
    public String upsertAccount(String externalIdField, String externalId, Map<String, Object> fields) {
        if (!FIELD_NAME.matcher(externalIdField).matches()) {
            throw new IllegalArgumentException("not a Salesforce field name: " + externalIdField);
        }
        String doing = "upserting Account " + externalIdField + "=" + externalId;
        String answer;
        try {
            String request = json.writeValueAsString(fields);
            answer = call(doing, false, () -> send("salesforce:upsertSObject?sObjectName=Account&rawPayload=true", request,
                    Map.of("sObjectIdName", externalIdField, "sObjectIdValue", externalId)));
        } catch (IOException e) {
            throw new PoisonFailure(system(), "UNSERIALIZABLE", doing + ": fields are not JSON: " + e.getMessage(), e);
        }
        return savedId(answer, doing);
    }

    private String savedId(String answer, String doing) {
        try {
            String id = answer == null || answer.isBlank() ? null : json.readTree(answer).path("id").asText(null);
            if (id == null) {
                // API versions before 46.0 answer an update with 204 and no id; the hub speaks 60.0.
                throw new PoisonFailure(system(), "NO_ID", doing + ": Salesforce answered without the record id: " + answer);
            }
            return id;
        } catch (IOException e) {
            throw new PoisonFailure(system(), "UNPARSEABLE", doing + ": answer is not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the hub's ids and sync outcome back onto the Account records, 200 per call. Records Salesforce
     * refuses (deleted, invalid) do not stop the others; they are named together in one business failure.
     */
    @Override
    public void writeBack(List<SyncStatus> statuses) {
        List<String> refused = new ArrayList<>();
        for (int from = 0; from < statuses.size(); from += COLLECTION_SIZE) {
            List<SyncStatus> batch = statuses.subList(from, Math.min(from + COLLECTION_SIZE, statuses.size()));
            refused.addAll(updateCollection(batch));
        }
        if (!refused.isEmpty()) {
            throw new BusinessFailure(system(), "WRITE_BACK_REFUSED",
                    "Salesforce refused the write-back of " + refused.size() + " account(s): " + String.join("; ", refused));
        }
    }

    /**
     * Every live (non-deleted) account with the given fields, read with SOQL and following nextRecordsUrl until
     * Salesforce says done. The whole result is read before it is returned, so a re-sync publishes a snapshot or
     * nothing. API calls: ceil(n / batch size), Salesforce's batch being 2000 records.
     */
    @Override
    public List<Map<String, Object>> listAccounts(List<String> fields) {
        String soql = "SELECT " + String.join(", ", fields) + " FROM Account WHERE IsDeleted = false";
        List<Map<String, Object>> accounts = new ArrayList<>();
        // The raw operation takes its path and query parameters from headers, so one endpoint serves every page.
        JsonNode page = rawGet(Map.of("rawPath", "/services/data/v" + apiVersion + "/query", "rawQueryParameters", "q", "q", soql));
        while (true) {
            for (JsonNode record : page.path("records")) {
                Map<String, Object> account = json.convertValue(record, MAP);
                account.remove("attributes");
                accounts.add(account);
            }
            String next = page.path("nextRecordsUrl").asText(null);
            if (page.path("done").asBoolean(true) || next == null) {
                return accounts;
            }
            page = rawGet(Map.of("rawPath", next));
        }
    }

    /**
     * SOQL on Order (Status = 'Activated', EffectiveDate in the range; SOQL date literals are unquoted), paged
     * through nextRecordsUrl: ceil(n / 2000) calls against the daily API budget.
     */
    @Override
    public List<BookedOrder> listActivatedOrders(java.time.LocalDate from, java.time.LocalDate to) {
        String soql = "SELECT Id, Status, CurrencyIsoCode, EffectiveDate FROM Order WHERE Status = 'Activated'"
                + " AND EffectiveDate >= " + from + " AND EffectiveDate < " + to;
        List<BookedOrder> orders = new ArrayList<>();
        JsonNode page = rawGet(Map.of("rawPath", "/services/data/v" + apiVersion + "/query", "rawQueryParameters", "q", "q", soql));
        while (true) {
            for (JsonNode r : page.path("records")) {
                orders.add(new BookedOrder(r.path("Id").asText(), r.path("Status").asText(),
                        r.path("CurrencyIsoCode").asText(null), java.time.LocalDate.parse(r.path("EffectiveDate").asText())));
            }
            String next = page.path("nextRecordsUrl").asText(null);
            if (page.path("done").asBoolean(true) || next == null) {
                return orders;
            }
            page = rawGet(Map.of("rawPath", next));
        }
    }

    // --- orders (issue 5) ---------------------------------------------------------------------------------------

    /** The order's fields as Salesforce holds them now; empty when it no longer exists. */
    public Optional<Map<String, Object>> fetchOrder(String orderId) {
        requireRecordId(orderId);
        String body = call("reading Order " + orderId, true, () -> send("salesforce:getSObject?sObjectName=Order&rawPayload=true", null, Map.of("sObjectId", orderId)));
        if (body == null) {
            return Optional.empty();
        }
        try {
            Map<String, Object> order = json.readValue(body, MAP);
            order.remove("attributes");
            return Optional.of(order);
        } catch (IOException e) {
            throw new PoisonFailure(system(), "UNPARSEABLE", "Order " + orderId + " is not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The order's items with their product code, in one SOQL query (the relationship field Product2.ProductCode
     * spares a read per product). An OrderChangeEvent never carries its items, so this is how the hub learns them.
     */
    public List<JsonNode> fetchOrderItems(String orderId) {
        requireRecordId(orderId);
        String soql = "SELECT Id, Quantity, UnitPrice, ServiceDate, EndDate, Product2.ProductCode FROM OrderItem"
                + " WHERE OrderId = '" + orderId + "'";
        List<JsonNode> items = new ArrayList<>();
        JsonNode page = rawGet(Map.of("rawPath", "/services/data/v" + apiVersion + "/query", "rawQueryParameters", "q", "q", soql));
        while (true) {
            page.path("records").forEach(items::add);
            String next = page.path("nextRecordsUrl").asText(null);
            if (page.path("done").asBoolean(true) || next == null) {
                return items;
            }
            page = rawGet(Map.of("rawPath", next));
        }
    }

    /** One PATCH of the order record: setting the same values again changes nothing, so a repeat is harmless. */
    @Override
    public void writeBackOrder(OrderSyncStatus status) {
        requireRecordId(status.orderId());
        ObjectNode fields = json.createObjectNode();
        fields.put("Billing_Subscription_Id__c", status.billingSubscriptionId());
        fields.put("Sync_Status__c", status.status());
        fields.put("Sync_Message__c", status.message());
        String path = "/services/data/v" + apiVersion + "/sobjects/Order/" + status.orderId();
        call("writing back Order " + status.orderId(), false, () -> send("salesforce:raw?format=JSON&rawMethod=PATCH", fields.toString(), Map.of("rawPath", path)));
    }

    /** One PATCH of the order record with the latest invoice's posting outcome; repeating it changes nothing. */
    @Override
    public void writeBackInvoiceStatus(OrderInvoiceStatus status) {
        requireRecordId(status.orderId());
        ObjectNode fields = json.createObjectNode();
        fields.put("Invoice_Status__c", status.status());
        fields.put("ERP_Invoice_Number__c", status.erpNumber());
        fields.put("ERP_Invoice_Id__c", status.erpId());
        fields.put("Billing_Invoice_Id__c", status.billingInvoiceId());
        String path = "/services/data/v" + apiVersion + "/sobjects/Order/" + status.orderId();
        call("writing invoice status to Order " + status.orderId(), false, () -> send("salesforce:raw?format=JSON&rawMethod=PATCH", fields.toString(), Map.of("rawPath", path)));
    }

    private static void requireRecordId(String id) {
        // It becomes a path segment or a SOQL literal: nothing but a Salesforce id may pass.
        if (id == null || !RECORD_ID.matcher(id).matches()) {
            throw new PoisonFailure(SalesforceFailures.SYSTEM, "NOT_A_RECORD_ID", "not a Salesforce record id: " + id);
        }
    }

    private JsonNode rawGet(Map<String, Object> headers) {
        String answer = call("querying " + headers.get("rawPath"), false, () -> send("salesforce:raw?format=JSON&rawMethod=GET", null, headers));
        try {
            return json.readTree(answer);
        } catch (IOException e) {
            throw new PoisonFailure(system(), "UNPARSEABLE", "query answer is not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * One API call through the shared guard, its failure classified inside it so the circuit breaker sees what
     * Salesforce said. With {@code notFoundIsAnswer} a 404 returns null instead of failing.
     */
    private String call(String doing, boolean notFoundIsAnswer, Supplier<String> request) {
        return guard.call(doing, () -> {
            try {
                return request.get();
            } catch (CamelExecutionException e) {
                if (notFoundIsAnswer && SalesforceFailures.notFound(e)) {
                    return null;
                }
                throw SalesforceFailures.classify(e.getCause() != null ? e.getCause() : e, doing);
            }
        });
    }

    /**
     * Sends one request and reads Salesforce's own count of the org's daily API calls from the answer's
     * Sforce-Limit-Info (failed answers carry it too). A failure is thrown as requestBody would throw it.
     */
    private String send(String uri, Object body, Map<String, Object> headers) {
        Exchange done = producer.request(uri, exchange -> {
            exchange.getIn().setBody(body);
            exchange.getIn().getHeaders().putAll(headers);
            // Camel's tracer spans the call; a ProducerTemplate's exchange has no parent unless given the caller's
            // (camel-salesforce sends only Sforce-* headers on to Salesforce, so traceparent stays in the hub)
            TraceContext.continueIn(exchange);
        });
        apiUsage.record(done.getMessage().getHeader(SalesforceApiUsage.HEADER, String.class));
        if (done.getException() != null) {
            throw CamelExecutionException.wrapCamelExecutionException(done, done.getException());
        }
        return done.getMessage().getBody(String.class);
    }

    private List<String> updateCollection(List<SyncStatus> batch) {
        String uri = "salesforce:raw?format=JSON&rawMethod=PATCH&rawPath=/services/data/v" + apiVersion + "/composite/sobjects";
        String request = collectionRequest(batch);
        String answer = call("writing back " + batch.size() + " account(s)", false,
                () -> send(uri, request, Map.of()));
        List<String> refused = new ArrayList<>();
        try {
            for (JsonNode result : json.readTree(answer)) {
                if (!result.path("success").asBoolean()) {
                    JsonNode error = result.path("errors").path(0);
                    refused.add(result.path("id").asText() + " " + error.path("statusCode").asText() + " "
                            + error.path("message").asText());
                }
            }
        } catch (IOException e) {
            throw new PoisonFailure(system(), "UNPARSEABLE", "sObject Collections answer is not JSON: " + e.getMessage(), e);
        }
        return refused;
    }

    private String collectionRequest(List<SyncStatus> batch) {
        ObjectNode request = json.createObjectNode();
        // One bad record must not roll back the others: each record's outcome is reported separately.
        request.put("allOrNone", false);
        ArrayNode records = request.putArray("records");
        for (SyncStatus s : batch) {
            ObjectNode record = records.addObject();
            record.putObject("attributes").put("type", "Account");
            record.put("id", s.accountId());
            record.put("ERP_Id__c", s.erpId());
            record.put("Billing_Id__c", s.billingId());
            record.put("Sync_Status__c", s.status());
            record.put("Sync_Message__c", s.message());
        }
        return request.toString();
    }
}
