package io.q2chub.connector.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.q2chub.connector.Billing;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.testing.HubTestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

/**
 * The hub as every other test runs it, with no q2c.stripe.* set: it starts, routes can name {@code bean:stripe},
 * and only a call fails, saying which key is missing.
 */
@QuarkusTest
@QuarkusTestResource(HubTestServices.class)
class StripeBeanWiringTest {

    @Inject
    @Named("stripe")
    Billing stripe;

    @Inject
    CamelContext camel;

    @Test
    void unconfiguredTheBeanIsThereForRoutesAndFailsOnlyWhenCalled() {
        assertThat(camel.getRegistry().lookupByName("stripe")).isInstanceOf(Billing.class);
        assertThat(stripe.system()).isEqualTo("stripe");

        BusinessFailure failure = catchThrowableOfType(BusinessFailure.class,
                () -> stripe.findCustomerByCanonicalId("cust-1"));

        assertThat(failure).isNotNull();
        assertThat(failure.errorCode()).isEqualTo("not_configured");
        assertThat(failure.getMessage()).contains("q2c.stripe.api-key");
    }
}
