package io.q2chub.capability.onboarding;

import io.q2chub.canonical.Customer;
import io.q2chub.ops.failure.BusinessFailure;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.config.ConfigMapping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Header;

/**
 * System-of-record policy for customers, checked on every change: each field has one owning role, and a change
 * event may only carry the fields its source role owns. The CRM owns name and hierarchy; the ERP owns the
 * receivables account, which no other system's event can even carry (it is read back from the ERP, never sent).
 */
@ApplicationScoped
@Named("customerOwnership")
@RegisterForReflection
public class CustomerOwnership {

    /** The role of the system an event comes from ("crm", "billing", "erp"), set by the ingress that received it. */
    public static final String SOURCE_ROLE = "q2c-source-role";

    /**
     * {@code q2c.system-of-record.customer.<field>=<role>}, fields: name, parent, receivables-account.
     */
    @ConfigMapping(prefix = "q2c.system-of-record")
    public interface Settings {
        Map<String, String> customer();
    }

    private final Map<String, String> owners;

    public CustomerOwnership(Settings settings) {
        this.owners = settings.customer();
    }

    public Customer check(Customer customer, @Header(SOURCE_ROLE) String sourceRole) {
        if (sourceRole == null || sourceRole.isBlank()) {
            throw new BusinessFailure("hub", "SYSTEM_OF_RECORD",
                    "customer " + customer.id() + " changed by an unknown source: the ingress must set " + SOURCE_ROLE);
        }
        List<String> refused = new ArrayList<>();
        checkField("name", sourceRole, refused);
        if (customer.parentId() != null) {
            checkField("parent", sourceRole, refused);
        }
        if (!refused.isEmpty()) {
            throw new BusinessFailure("hub", "SYSTEM_OF_RECORD", "customer " + customer.id() + ": "
                    + String.join("; ", refused) + "; a change from " + sourceRole + " is refused");
        }
        return customer;
    }

    private void checkField(String field, String sourceRole, List<String> refused) {
        String owner = owners.get(field);
        if (owner != null && !owner.equals(sourceRole)) {
            refused.add(field + " is owned by " + owner);
        }
    }
}
