package io.q2chub.canonical;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.q2chub.ops.tracing.TraceContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Publishes canonical event data from Java (ingress connectors, reconciliation heal) through
 * direct:publish-canonical-event, the route that validates the envelope and data and writes the record, so Java
 * callers publish exactly as a route does. The caller's trace goes on through the bus, and a failure is thrown back
 * to the caller, whose own route then retries or parks it.
 */
@ApplicationScoped
public class CanonicalPublisher {

    private final ProducerTemplate producer;
    private final ObjectMapper json = CanonicalJson.mapper();

    public CanonicalPublisher(ProducerTemplate producer) {
        this.producer = producer;
    }

    /**
     * @param cloudEventId stable for one business fact, so a redelivery or a second heal is the same event
     * @param correlationId the quote-to-cash chain the event joins, or null to start its own
     */
    public void publish(String type, String cloudEventId, String sourceRole, String correlationId, Object data)
            throws Exception {
        byte[] body = json.writeValueAsBytes(data);
        Exchange result = producer.send("direct:publish-canonical-event", e -> {
            TraceContext.continueIn(e);
            e.getMessage().setHeader("ce_type", type);
            e.getMessage().setHeader("ce_id", cloudEventId);
            if (correlationId != null) {
                e.getMessage().setHeader(CloudEventHeaders.CORRELATION_ID, correlationId);
            }
            e.getMessage().setHeader("q2c-source-role", sourceRole);
            e.getMessage().setBody(body);
        });
        if (result.getException() != null) {
            throw result.getException();
        }
    }
}
