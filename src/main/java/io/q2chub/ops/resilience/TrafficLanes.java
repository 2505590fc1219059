package io.q2chub.ops.resilience;

import io.q2chub.ops.exceptions.CaseReplay;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Puts every exchange in its traffic lane when it enters a route: a record replayed from an exception case
 * (header {@code q2c-replayed-case}) travels in the replay lane, everything else is live. Connectors run on the
 * exchange's thread, so the budgets they pass through see the lane without any route or capability knowing.
 * Camel picks the factory up from the registry and applies it to every route.
 */
@ApplicationScoped
@Named("trafficLanes")
@RegisterForReflection
public class TrafficLanes implements RoutePolicyFactory {

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return new LanePolicy();
    }

    private static final class LanePolicy extends RoutePolicySupport {
        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            boolean replay = exchange.getMessage().getHeader(CaseReplay.REPLAYED_CASE) != null;
            TrafficLane.enter(replay ? TrafficLane.REPLAY : TrafficLane.LIVE);
        }

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            // only when the exchange leaves the route it came in by: a direct: sub-route returns to its caller
            if (route.getRouteId().equals(exchange.getFromRouteId())) {
                TrafficLane.leave();
            }
        }
    }
}
