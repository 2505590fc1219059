package io.q2chub.ops.health;

import io.q2chub.ops.resilience.SystemGuard;
import io.q2chub.ops.resilience.SystemGuards;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Shows the circuit state of every downstream system (NetSuite, Stripe, Salesforce) in the readiness answer, and is
 * always UP. A SaaS outage must not take the pods out of the Service: events wait in Kafka while the circuit is
 * open and drain afterwards, and a pod marked unready could do nothing better (every replica sees the same SaaS).
 * SmallRye Health ANDs every readiness check into the status, so the state is data of an UP check rather than a
 * check of its own that could go DOWN; alerting on an open circuit is q2c_connector_circuit_state's job.
 */
@Readiness
@ApplicationScoped
public class DownstreamSystems implements HealthCheck {

    static final String NAME = "downstream-systems";

    private final SystemGuards guards;

    public DownstreamSystems(SystemGuards guards) {
        this.guards = guards;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        Map<String, SystemGuard> sorted = new TreeMap<>(guards.all());
        sorted.forEach((system, guard) -> {
            response.withData(system, guard.state().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            if (guard.waiting() > 0) {
                response.withData(system + "-waiting", guard.waiting());
            }
        });
        return response.build();
    }
}
