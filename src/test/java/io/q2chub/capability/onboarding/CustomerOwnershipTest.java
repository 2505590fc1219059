package io.q2chub.capability.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.q2chub.canonical.Customer;
import io.q2chub.ops.failure.BusinessFailure;
import java.util.Currency;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomerOwnershipTest {

    private final CustomerOwnership ownership = new CustomerOwnership(
            () -> Map.of("name", "crm", "parent", "crm", "receivables-account", "erp"));

    @Test
    void theCrmMayChangeNameAndHierarchy() {
        Customer customer = customer("parent-1");
        assertThat(ownership.check(customer, "crm")).isSameAs(customer);
    }

    @Test
    void anotherSystemChangingCrmOwnedFieldsIsRefusedNamingTheOwner() {
        assertThatThrownBy(() -> ownership.check(customer("parent-1"), "billing"))
                .isInstanceOf(BusinessFailure.class)
                .hasMessageContaining("name is owned by crm")
                .hasMessageContaining("parent is owned by crm")
                .hasMessageContaining("a change from billing is refused");
    }

    @Test
    void aChangeOfUnknownOriginIsRefused() {
        assertThatThrownBy(() -> ownership.check(customer(null), null))
                .hasMessageContaining("unknown source").hasMessageContaining(CustomerOwnership.SOURCE_ROLE);
    }

    private static Customer customer(String parentId) {
        return new Customer("c-1", "Acme", parentId, "US01", "US", Currency.getInstance("USD"), "12-3456789",
                null, Customer.Status.ACTIVE, Map.of("crm", "001A"));
    }
}
