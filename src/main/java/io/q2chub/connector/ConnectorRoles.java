package io.q2chub.connector;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Binds each system role to the vendor an installation uses, by configuration ({@code q2c.roles.erp=netsuite}):
 * capabilities ask for the ERP, the billing platform or the CRM and never learn which vendor answers. Adding SAP
 * beside NetSuite adds a connector bean and changes one setting; no route or capability changes.
 */
@ApplicationScoped
public class ConnectorRoles {

    private final Instance<Erp> erps;
    private final Instance<Billing> billings;
    private final Instance<Crm> crms;
    private final String erp;
    private final String billing;
    private final String crm;

    public ConnectorRoles(Instance<Erp> erps, Instance<Billing> billings, Instance<Crm> crms,
            @ConfigProperty(name = "q2c.roles.erp") String erp,
            @ConfigProperty(name = "q2c.roles.billing") String billing,
            @ConfigProperty(name = "q2c.roles.crm") String crm) {
        this.erps = erps;
        this.billings = billings;
        this.crms = crms;
        this.erp = erp;
        this.billing = billing;
        this.crm = crm;
    }

    public Erp erp() {
        return pick("erp", erp, erps, Erp::system);
    }

    public Billing billing() {
        return pick("billing", billing, billings, Billing::system);
    }

    public Crm crm() {
        return pick("crm", crm, crms, Crm::system);
    }

    static <T> T pick(String role, String system, Iterable<T> connectors, Function<T, String> nameOf) {
        StringBuilder available = new StringBuilder();
        for (T connector : connectors) {
            if (system.equals(nameOf.apply(connector))) {
                return connector;
            }
            available.append(available.isEmpty() ? "" : ", ").append(nameOf.apply(connector));
        }
        throw new IllegalStateException("q2c.roles." + role + "=" + system + " names no " + role
                + " connector; available: [" + available + "]");
    }
}
