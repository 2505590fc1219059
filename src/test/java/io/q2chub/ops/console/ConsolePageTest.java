package io.q2chub.ops.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.q2chub.testing.HubTestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The console's page is served by the hub without credentials (it signs in against the API itself), with no asset
 * from outside the hub; the API answers who is signed in and with which role.
 */
@QuarkusTest
@QuarkusTestResource(HubTestServices.class)
class ConsolePageTest {

    @Test
    void thePageAndItsAssetsAreServedFromTheHubAndBareConsoleRedirects() {
        given().redirects().follow(false).get("/console").then().statusCode(302).header("Location", endsWith("/console/"));
        given().get("/console/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("data-testid=\"signin-form\""))
                .body(containsString("src=\"console.js\""))
                .body(not(containsString("http://")))
                .body(not(containsString("https://")));
        given().get("/console/console.js").then().statusCode(200).body(containsString("/api/exception-cases/summary"));
        given().get("/console/console.css").then().statusCode(200);
    }

    @Test
    void signedInUserAnswersTheRoleAndRefusesWrongCredentials() {
        given().auth().preemptive().basic("operator", "operator-sandbox").get("/api/console/me").then().statusCode(200)
                .body("name", equalTo("operator")).body("operator", equalTo(true));
        given().auth().preemptive().basic("viewer", "viewer-sandbox").get("/api/console/me").then().statusCode(200)
                .body("name", equalTo("viewer")).body("operator", equalTo(false)).body("roles[0]", equalTo("viewer"));
        given().auth().preemptive().basic("operator", "wrong").get("/api/console/me").then().statusCode(401);
        given().get("/api/console/me").then().statusCode(401);
    }
}
