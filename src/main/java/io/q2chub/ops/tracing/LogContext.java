package io.q2chub.ops.tracing;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.jboss.logging.MDC;

/**
 * Puts the event an exchange carries into the logging MDC when it enters a route, so every line logged while it is
 * processed names it: {@code correlationId} (ce_correlationid, the quote-to-cash chain), {@code eventId} (ce_id),
 * {@code businessKey} (ce_subject), {@code eventType} (ce_type) and {@code routeId}. Quarkus' OpenTelemetry adds
 * {@code traceId} and {@code spanId}. Ids only: never a payload field, so no PII or secret reaches a log line this
 * way. When the exchange leaves the route it came in by, the thread's context is put back as it was: a publisher
 * bean sends a nested exchange on the caller's thread, and the caller's lines must keep naming the caller's event.
 * Camel applies the factory to every route (registry lookup, like TrafficLanes).
 */
@ApplicationScoped
@Named("logContext")
@RegisterForReflection
public class LogContext implements RoutePolicyFactory {

    public static final String CORRELATION_ID = "correlationId";
    public static final String EVENT_ID = "eventId";
    public static final String BUSINESS_KEY = "businessKey";
    public static final String EVENT_TYPE = "eventType";
    public static final String ROUTE_ID = "routeId";

    private static final Map<String, String> FROM_HEADERS = Map.of(
            CORRELATION_ID, "ce_correlationid", EVENT_ID, "ce_id", BUSINESS_KEY, "ce_subject", EVENT_TYPE, "ce_type");
    private static final String OUTER = "q2c-log-context-outer";

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return new Policy();
    }

    private static final class Policy extends RoutePolicySupport {
        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            if (entersFirstRoute(route, exchange) && exchange.getProperty(OUTER) == null) {
                exchange.setProperty(OUTER, current());
            }
            Message message = exchange.getMessage();
            FROM_HEADERS.forEach((key, header) -> put(key, message.getHeader(header, String.class)));
            put(ROUTE_ID, route.getRouteId());
        }

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            if (entersFirstRoute(route, exchange)) {
                @SuppressWarnings("unchecked")
                Map<String, String> outer = exchange.getProperty(OUTER, Map.class);
                restore(outer == null ? Map.of() : outer);
            }
        }

        /** A direct: sub-route returns to its caller: only the route the exchange came in by ends its context. */
        private static boolean entersFirstRoute(Route route, Exchange exchange) {
            return route.getRouteId().equals(exchange.getFromRouteId());
        }
    }

    private static Map<String, String> current() {
        Map<String, String> values = new HashMap<>();
        for (String key : keys()) {
            Object value = MDC.get(key);
            if (value != null) {
                values.put(key, value.toString());
            }
        }
        return values;
    }

    private static void restore(Map<String, String> values) {
        for (String key : keys()) {
            put(key, values.get(key));
        }
    }

    private static Iterable<String> keys() {
        return java.util.List.of(CORRELATION_ID, EVENT_ID, BUSINESS_KEY, EVENT_TYPE, ROUTE_ID);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
