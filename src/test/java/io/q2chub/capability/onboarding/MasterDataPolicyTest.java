package io.q2chub.capability.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.q2chub.canonical.Customer;
import io.q2chub.ops.failure.BusinessFailure;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MasterDataPolicyTest {

    private final MasterDataPolicy policy = new MasterDataPolicy(new OnboardingSettings() {
        @Override
        public Map<String, LegalEntitySettings> legalEntities() {
            return Map.of("US01", entity(List.of("US", "CA"), List.of("USD")),
                    "DE01", entity(List.of("DE", "AT"), List.of("EUR")),
                    "JP01", entity(List.of("JP"), List.of("JPY")));
        }

        @Override
        public Set<String> taxIdRequired() {
            return Set.of("US", "DE", "JP");
        }
    });

    @Test
    void completeCustomerPassesAndGetsTheLegalEntityOfItsRegion() {
        Customer checked = policy.check(customer(null, "DE", "EUR", "DE123456789"));
        assertThat(checked.legalEntity()).isEqualTo("DE01");
    }

    @Test
    void everyMissingOrInvalidFieldIsNamedAtOnce() {
        assertThatThrownBy(() -> policy.check(customer("US01", "DE", "JPY", null)))
                .isInstanceOf(BusinessFailure.class)
                .hasMessageContaining("legalEntity US01 does not serve billing country DE")
                .hasMessageContaining("currency JPY is not allowed for legal entity US01")
                .hasMessageContaining("taxId missing (required for DE)")
                .extracting(e -> ((BusinessFailure) e).errorCode()).isEqualTo("MASTER_DATA_INVALID");
    }

    @Test
    void malformedTaxIdIsRejectedWithTheExpectedFormat() {
        assertThatThrownBy(() -> policy.check(customer("US01", "US", "USD", "123456789")))
                .hasMessageContaining("taxId '123456789' is not a valid US EIN");
        assertThat(policy.check(customer("US01", "US", "USD", "12-3456789")).legalEntity()).isEqualTo("US01");
    }

    @Test
    void countryWithoutAnyEntityAndUnknownEntityAreNamed() {
        assertThatThrownBy(() -> policy.check(customer(null, "BR", "USD", null)))
                .hasMessageContaining("no legal entity serves billing country BR");
        assertThatThrownBy(() -> policy.check(customer("XX99", "US", "USD", "12-3456789")))
                .hasMessageContaining("legalEntity 'XX99' is not a configured legal entity");
        assertThatThrownBy(() -> policy.check(customer("US01", null, "USD", null)))
                .hasMessageContaining("billingCountry missing");
    }

    private static Customer customer(String entity, String country, String currency, String taxId) {
        return new Customer("c-1", "Acme", null, entity, country, currency == null ? null : Currency.getInstance(currency),
                taxId, "ap@acme.example", Customer.Status.ACTIVE, Map.of("crm", "001A"));
    }

    private static OnboardingSettings.LegalEntitySettings entity(List<String> countries, List<String> currencies) {
        return new OnboardingSettings.LegalEntitySettings() {
            @Override
            public List<String> countries() {
                return countries;
            }

            @Override
            public List<String> currencies() {
                return currencies;
            }
        };
    }
}
