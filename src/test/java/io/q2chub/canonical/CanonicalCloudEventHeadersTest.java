package io.q2chub.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CanonicalCloudEventHeadersTest {

    @Test
    void newEventCarriesTheFullEnvelope() {
        Map<String, Object> headers = CloudEventHeaders.forNewEvent(EventTypes.INVOICE_ISSUED,
                "/q2c-hub/invoice-posting", "inv-1", "corr-1", "cause-1");

        assertThat(headers)
                .containsEntry("ce_specversion", "1.0")
                .containsEntry("ce_type", "q2c.invoice.issued.v1")
                .containsEntry("ce_source", "/q2c-hub/invoice-posting")
                .containsEntry("ce_subject", "inv-1")
                .containsEntry("ce_dataschema", "https://q2c-hub.io/schemas/canonical/v1/invoice.issued.json")
                .containsEntry("ce_correlationid", "corr-1")
                .containsEntry("ce_causationid", "cause-1")
                .containsEntry("content-type", "application/json");
        assertThat(UUID.fromString((String) headers.get("ce_id"))).isNotNull();
        assertThat(OffsetDateTime.parse((String) headers.get("ce_time")).getOffset().getTotalSeconds()).isZero();
        assertThat(CloudEventHeaders.missingFrom(headers)).isEmpty();
    }

    @Test
    void aNewFlowIsCorrelatedByItsFirstEventId() {
        Map<String, Object> headers = CloudEventHeaders.forNewEvent(EventTypes.CUSTOMER_CHANGED, "/q2c-hub/crm",
                null, null, null);

        assertThat(headers.get("ce_correlationid")).isEqualTo(headers.get("ce_id"));
        assertThat(headers).doesNotContainKeys("ce_subject", "ce_causationid");
        assertThat(CloudEventHeaders.forNewEvent(EventTypes.CUSTOMER_CHANGED, "/s", null, null, null).get("ce_id"))
                .isNotEqualTo(headers.get("ce_id"));
    }

    @Test
    void requiredHeadersAreTheCloudEventsRequiredAttributes() {
        assertThat(CloudEventHeaders.required())
                .containsExactlyInAnyOrder("ce_specversion", "ce_id", "ce_source", "ce_type");
        assertThat(CloudEventHeaders.missingFrom(Map.of("ce_id", new byte[0], "ce_type", "t".getBytes(),
                "ce_source", "")))
                .containsExactlyInAnyOrder("ce_specversion", "ce_id", "ce_source");
    }

    @Test
    void refusesUnknownTypes() {
        assertThatThrownBy(() -> CloudEventHeaders.forNewEvent("q2c.nope.v1", "/s", null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
