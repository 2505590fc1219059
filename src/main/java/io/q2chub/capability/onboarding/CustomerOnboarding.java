package io.q2chub.capability.onboarding;

import io.q2chub.canonical.CanonicalJson;
import io.q2chub.canonical.CloudEventHeaders;
import io.q2chub.canonical.Customer;
import io.q2chub.canonical.EventTypes;
import io.q2chub.connector.Billing;
import io.q2chub.connector.ConnectorRoles;
import io.q2chub.connector.Crm.SyncStatus;
import io.q2chub.connector.Erp;
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
 * The steps of customer onboarding that customer-onboarding.camel.yaml strings together. Each speaks canonical
 * customers and system roles; which ERP or billing platform answers is configuration (ConnectorRoles).
 */
@ApplicationScoped
@Named("customerOnboarding")
@RegisterForReflection
public class CustomerOnboarding {

    /** How the CRM changed the account: CREATE, UPDATE, DELETE, UNDELETE or MERGE (set by the CRM ingress). */
    public static final String CHANGE_TYPE = "q2c-change-type";
    static final String ERP_ID = "q2c-erp-id";
    static final String BILLING_ID = "q2c-billing-id";
    static final String OBJECT = "customer";

    private final ConnectorRoles roles;
    private final CrossReference xref;
    private final CrmWriteBack writeBack;

    public CustomerOnboarding(ConnectorRoles roles, CrossReference xref, CrmWriteBack writeBack) {
        this.roles = roles;
        this.xref = xref;
        this.writeBack = writeBack;
    }

    /** The event data as a canonical customer (the schema was checked before). */
    public Customer read(byte[] body) {
        return CanonicalJson.bind(body, Customer.class, "customer data");
    }

    /** Exactly one ERP customer, keyed by the canonical id as external id: a retry updates, never duplicates. */
    public void upsertInErp(Exchange exchange) throws SQLException {
        Customer customer = exchange.getMessage().getBody(Customer.class);
        Erp erp = roles.erp();
        String erpId = erp.upsertCustomer(customer, customer.legalEntity());
        xref.link(erp.system(), OBJECT, erpId, customer.id());
        exchange.getMessage().setHeader(ERP_ID, erpId);
    }

    /** Exactly one billing customer: the known one is updated; a new one is created under the event's key. */
    public void upsertInBilling(Exchange exchange) throws SQLException {
        Message in = exchange.getMessage();
        Customer customer = withExternalId(in.getBody(Customer.class), "erp", in.getHeader(ERP_ID, String.class));
        Billing billing = roles.billing();
        String known = xref.externalId(billing.system(), OBJECT, customer.id()).orElse(null);
        String billingId = billing.upsertCustomer(customer, known, "onboard-" + in.getHeader(CloudEventHeaders.ID));
        xref.link(billing.system(), OBJECT, billingId, customer.id());
        in.setHeader(BILLING_ID, billingId);
    }

    /** Deleted or merged away in the CRM: inactive downstream, never deleted (the books keep their history). */
    public void deactivate(Exchange exchange) throws SQLException {
        Message in = exchange.getMessage();
        Customer customer = in.getBody(Customer.class);
        Erp erp = roles.erp();
        Billing billing = roles.billing();
        String erpId = xref.externalId(erp.system(), OBJECT, customer.id()).orElse(null);
        String billingId = xref.externalId(billing.system(), OBJECT, customer.id()).orElse(null);
        if (erpId != null) {
            erp.deactivateCustomer(customer.id());
        }
        if (billingId != null) {
            billing.deactivateCustomer(billingId, "deactivate-" + in.getHeader(CloudEventHeaders.ID));
        }
        in.setHeader(ERP_ID, erpId);
        in.setHeader(BILLING_ID, billingId);
        in.setBody(inactive(customer));
    }

    /** Queues the outcome for the CRM record and turns the message into the customer.onboarded event. */
    public void onboarded(Exchange exchange) throws SQLException, IOException {
        Message in = exchange.getMessage();
        Customer customer = in.getBody(Customer.class);
        String erpId = in.getHeader(ERP_ID, String.class);
        String billingId = in.getHeader(BILLING_ID, String.class);
        String crmId = customer.externalIds().get("crm");
        String change = in.getHeader(CHANGE_TYPE, String.class);
        // A deleted or merged-away CRM record is gone: there is nothing to write back to.
        if (crmId != null && !"DELETE".equals(change) && !"MERGE".equals(change)) {
            boolean active = customer.status() == Customer.Status.ACTIVE;
            writeBack.enqueue(new SyncStatus(crmId, erpId, billingId, active ? "Synced" : "Inactive",
                    active ? "onboarded" : "inactive in ERP and billing"));
        }
        Customer linked = withExternalId(withExternalId(customer, "erp", erpId), "billing", billingId);
        in.setBody(CanonicalJson.mapper().writeValueAsBytes(linked));
        String causation = in.getHeader(CloudEventHeaders.ID, String.class);
        String correlation = in.getHeader(CloudEventHeaders.CORRELATION_ID, String.class);
        in.getHeaders().keySet().removeIf(name -> name.startsWith("ce_"));
        in.setHeader(CloudEventHeaders.TYPE, EventTypes.CUSTOMER_ONBOARDED);
        in.setHeader(CloudEventHeaders.CAUSATION_ID, causation);
        in.setHeader(CloudEventHeaders.CORRELATION_ID, correlation != null ? correlation : causation);
    }

    private static Customer withExternalId(Customer c, String role, String id) {
        if (id == null) {
            return c;
        }
        Map<String, String> ids = new HashMap<>(c.externalIds());
        ids.put(role, id);
        return new Customer(c.id(), c.name(), c.parentId(), c.legalEntity(), c.billingCountry(), c.currency(),
                c.taxId(), c.email(), c.status(), ids);
    }

    private static Customer inactive(Customer c) {
        return new Customer(c.id(), c.name(), c.parentId(), c.legalEntity(), c.billingCountry(), c.currency(),
                c.taxId(), c.email(), Customer.Status.INACTIVE, c.externalIds());
    }
}
