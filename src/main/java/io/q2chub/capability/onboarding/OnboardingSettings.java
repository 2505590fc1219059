package io.q2chub.capability.onboarding;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Master-data policy of customer onboarding, as configuration: which legal entities exist, which billing
 * countries and currencies each serves, and which countries require a tax id.
 *
 * <pre>
 * q2c.onboarding.legal-entities.US01.countries=US,CA
 * q2c.onboarding.legal-entities.US01.currencies=USD
 * q2c.onboarding.tax-id-required=US,DE,GB,JP
 * </pre>
 */
@ConfigMapping(prefix = "q2c.onboarding")
public interface OnboardingSettings {

    /** Legal entity (ERP subsidiary) code → what it may serve. */
    Map<String, LegalEntitySettings> legalEntities();

    /** Billing countries whose customers must have a tax id before they are onboarded. */
    @WithDefault("US,DE,GB,JP")
    Set<String> taxIdRequired();

    interface LegalEntitySettings {
        /** Billing countries this entity contracts with; the first entity listing a country is its default. */
        List<String> countries();

        /** Currencies this entity may invoice in. */
        List<String> currencies();
    }
}
