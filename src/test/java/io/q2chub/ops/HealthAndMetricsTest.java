package io.q2chub.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.q2chub.testing.HubTestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.q2chub.ops.resilience.SystemGuards;
import jakarta.inject.Inject;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** Health and metrics live on the management interface (paths relative to its /q root), where monitoring scrapes them. */
@QuarkusTest
@QuarkusTestResource(HubTestServices.class)
class HealthAndMetricsTest {

    @TestHTTPResource(value = "health/ready", management = true)
    URL readiness;

    @TestHTTPResource(value = "health/live", management = true)
    URL liveness;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @Inject
    SystemGuards guards;

    @Test
    void readinessCoversBrokerDatabaseAndRoutes() {
        given().get(readiness).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("kafka", "Database connections health check", "camel-routes"));
    }

    @Test
    void readinessShowsEachDownstreamSystemsCircuitStateAsDetailOfAnUpCheck() {
        guards.forSystem("netsuite");
        given().get(readiness).then().statusCode(200)
                .body("checks.find { it.name == 'downstream-systems' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'downstream-systems' }.data.netsuite", equalTo("closed"));
    }

    @Test
    void livenessIsUp() {
        given().get(liveness).then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusMetricsIncludeCamelRouteMetrics() {
        given().get(metrics).then().statusCode(200)
                .body(containsString("routeId=\"transaction-ledger\""))
                .body(containsString("camel_exchanges_total"));
    }
}
