package io.q2chub.connector.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.util.stream.StreamSupport;
import org.apache.camel.util.AntPathMatcher;
import org.junit.jupiter.api.Test;

/**
 * Salesforce is off unless the config profile "salesforce" is active: without it no camel.component.salesforce.*
 * option exists (Camel main would start the component, which logs in) and the Salesforce ingress route file is
 * excluded from loading.
 */
class SalesforceSwitchTest {

    static final String ROUTE_FILE = "file:routes/salesforce-account-ingress.camel.yaml";

    @Test
    void offByDefault() throws IOException {
        SmallRyeConfig config = config(null);
        assertThat(salesforceComponentOptions(config)).isZero();
        assertThat(config.getValue("q2c.crm.salesforce.enabled", Boolean.class)).isFalse();
        assertThat(AntPathMatcher.INSTANCE.match(config.getValue("camel.main.routes-exclude-pattern", String.class), ROUTE_FILE)).isTrue();
        assertThat(AntPathMatcher.INSTANCE.match(config.getValue("camel.main.routes-exclude-pattern", String.class),
                "file:routes/transaction-ledger.camel.yaml")).isFalse();
    }

    @Test
    void onWithTheSalesforceProfile() throws IOException {
        SmallRyeConfig config = config("salesforce");
        assertThat(config.getValue("q2c.crm.salesforce.enabled", Boolean.class)).isTrue();
        assertThat(config.getValue("camel.component.salesforce.authentication-type", String.class)).isEqualTo("CLIENT_CREDENTIALS");
        assertThat(config.getValue("camel.component.salesforce.login-url", String.class)).isEqualTo("https://login.salesforce.com");
        assertThat(AntPathMatcher.INSTANCE.match(config.getValue("camel.main.routes-exclude-pattern", String.class), ROUTE_FILE)).isFalse();
    }

    private static long salesforceComponentOptions(SmallRyeConfig config) {
        return StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .filter(name -> name.startsWith("camel.component.salesforce.")).count();
    }

    private static SmallRyeConfig config(String profile) throws IOException {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(SalesforceSwitchTest.class.getResource("/application.properties"), 250));
        if (profile != null) {
            builder.withProfile(profile);
        }
        return builder.build();
    }
}
