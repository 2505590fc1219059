package io.q2chub.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class CanonicalEventTypesTest {

    @Test
    void topicIsOnePerEntity() {
        assertThat(EventTypes.topicOf(EventTypes.CUSTOMER_CHANGED)).isEqualTo("q2c.customer.v1");
        assertThat(EventTypes.topicOf(EventTypes.CUSTOMER_ONBOARDED)).isEqualTo("q2c.customer.v1");
        assertThat(EventTypes.topicOf(EventTypes.INVOICE_ISSUED)).isEqualTo("q2c.invoice.v1");
        assertThat(EventTypes.topicOf(EventTypes.INVOICE_POSTED)).isEqualTo("q2c.invoice.v1");
        assertThat(EventTypes.topicOf(EventTypes.PAYMENT_RECORDED)).isEqualTo("q2c.payment.v1");
        assertThat(EventTypes.topicOf(EventTypes.REVENUE_RECOGNIZED)).isEqualTo("q2c.revenue.v1");
    }

    @Test
    void everyTypeFollowsTheNamingConvention() {
        assertThat(EventTypes.all()).hasSize(13).allMatch(type -> type.matches("q2c\\.[a-z]+\\.[a-z]+\\.v1"));
        for (String type : EventTypes.all()) {
            String entity = type.split("\\.")[1];
            assertThat(EventTypes.topicOf(type)).isEqualTo("q2c." + entity + ".v1");
            assertThat(EventTypes.schemaResourceOf(type)).startsWith("schemas/canonical/v1/" + entity + ".");
            assertThat(EventTypes.dataSchemaOf(type))
                    .isEqualTo("https://q2c-hub.io/schemas/canonical/v1/" + EventTypes.schemaFileOf(type));
        }
    }

    @Test
    void keyFieldIsPresentInTheDataOfEveryType() {
        for (String type : EventTypes.all()) {
            JsonNode data = CanonicalJson.mapper().valueToTree(SampleData.of(type));
            assertThat(data.path(EventTypes.keyFieldOf(type)).isTextual()).as(type).isTrue();
        }
        assertThat(EventTypes.keyFieldOf(EventTypes.PAYMENT_RECORDED)).isEqualTo("customerId");
        assertThat(EventTypes.keyFieldOf(EventTypes.INVOICE_POSTED)).isEqualTo("id");
        assertThat(EventTypes.keyFieldOf(EventTypes.TAX_CALCULATED)).isEqualTo("invoiceId");
    }

    @Test
    void unknownTypesAreRefused() {
        assertThatThrownBy(() -> EventTypes.topicOf("q2c.invoice.paid.v1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("q2c.invoice.paid.v1");
        assertThat(EventTypes.isKnown("q2c.invoice.paid.v1")).isFalse();
    }
}
