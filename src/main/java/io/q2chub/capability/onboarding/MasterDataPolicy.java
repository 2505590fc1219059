package io.q2chub.capability.onboarding;

import io.q2chub.canonical.Customer;
import io.q2chub.ops.failure.BusinessFailure;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a customer's master data is complete enough to exist in the ERP and the billing platform.
 * It names every missing or invalid field at once, so one fix in the CRM resolves the case.
 */
@ApplicationScoped
@Named("masterDataPolicy")
@RegisterForReflection
public class MasterDataPolicy {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private final OnboardingSettings settings;

    public MasterDataPolicy(OnboardingSettings settings) {
        this.settings = settings;
    }

    /** The customer with its legal entity resolved (region → entity when the CRM left it empty). */
    public Customer check(Customer customer) {
        List<String> problems = new ArrayList<>();
        String country = customer.billingCountry();
        if (blank(country)) {
            problems.add("billingCountry missing");
        } else if (!COUNTRIES.contains(country)) {
            problems.add("billingCountry '" + country + "' is not an ISO 3166 country");
        }
        String entity = blank(customer.legalEntity()) ? entityServing(country).orElse(null) : customer.legalEntity();
        OnboardingSettings.LegalEntitySettings entitySettings = entity == null ? null : settings.legalEntities().get(entity);
        if (entity == null) {
            problems.add("legalEntity missing and no legal entity serves billing country " + country);
        } else if (entitySettings == null) {
            problems.add("legalEntity '" + entity + "' is not a configured legal entity");
        } else if (country != null && !entitySettings.countries().contains(country)) {
            problems.add("legalEntity " + entity + " does not serve billing country " + country);
        }
        if (customer.currency() == null) {
            problems.add("currency missing");
        } else if (entitySettings != null && !entitySettings.currencies().contains(customer.currency().getCurrencyCode())) {
            problems.add("currency " + customer.currency().getCurrencyCode() + " is not allowed for legal entity " + entity);
        }
        if (blank(customer.taxId())) {
            if (country != null && settings.taxIdRequired().contains(country)) {
                problems.add("taxId missing (required for " + country + ")");
            }
        } else if (country != null) {
            TaxIdFormats.problem(country, customer.taxId()).ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            throw new BusinessFailure("hub", "MASTER_DATA_INVALID",
                    "customer " + customer.id() + " cannot be onboarded: " + String.join("; ", problems));
        }
        return entity.equals(customer.legalEntity()) ? customer : withLegalEntity(customer, entity);
    }

    private Optional<String> entityServing(String country) {
        return settings.legalEntities().entrySet().stream()
                .filter(e -> country != null && e.getValue().countries().contains(country))
                .map(Map.Entry::getKey).sorted().findFirst();
    }

    private static Customer withLegalEntity(Customer c, String entity) {
        return new Customer(c.id(), c.name(), c.parentId(), entity, c.billingCountry(), c.currency(), c.taxId(),
                c.email(), c.status(), c.externalIds());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
