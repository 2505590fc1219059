package io.q2chub.ops.tracing;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Carries the W3C trace context ({@code traceparent}) across the two hand-offs Camel's tracer does not see, so one
 * trace runs from the webhook request to the ERP call (README "Tracing and logs"):
 * <ul>
 * <li>HTTP request → route: Quarkus starts the server span on the Vert.x request; Camel's platform-http route starts
 * its own span from the request's headers only. The server span is written into the request's headers here, so the
 * route continues it.</li>
 * <li>bean → {@code direct:publish-canonical-event}: a connector bean publishes through a ProducerTemplate, which makes
 * a new exchange with no parent; {@link #continueIn} gives it the span current on the bean's thread.</li>
 * </ul>
 * The Kafka hop itself needs nothing: Camel's tracer writes {@code traceparent} into the record headers and the
 * consuming route continues from it. With no valid span current, nothing is written.
 */
@ApplicationScoped
public class TraceContext {

    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();
    /** Before the application's routes (platform-http registers its routes with order 0 and above). */
    private static final int BEFORE_ROUTES = -100;

    /** Puts the span current on this thread into the headers of {@code exchange}, which a route then continues. */
    public static void continueIn(Exchange exchange) {
        Message message = exchange.getMessage();
        W3C.inject(Context.current(), message, Message::setHeader);
    }

    void exposeServerSpan(@Observes Router router) {
        router.route().order(BEFORE_ROUTES).handler(request -> {
            // replaces a caller's traceparent: the server span is already its child
            W3C.inject(Context.current(), request.request().headers(), (headers, name, value) -> headers.set(name, value));
            request.next();
        });
    }
}
