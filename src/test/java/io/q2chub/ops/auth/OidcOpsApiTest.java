package io.q2chub.ops.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.TestIdentityProvider;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/**
 * The ops API as production runs it: OIDC bearer tokens from an identity provider (a local one serving discovery
 * and JWKS, no network), provider groups mapped to viewer and operator, the embedded users refused.
 */
@QuarkusTest
@QuarkusTestResource(HubTestServices.class)
@QuarkusTestResource(value = TestIdentityProvider.class, restrictToAnnotatedClass = true)
class OidcOpsApiTest {

    static final String CHF = "/api/mappings/netsuite/currency/CHF";

    @Test
    void aViewerGroupTokenReadsButCannotChange() {
        String token = TestIdentityProvider.token("vera", TestIdentityProvider.VIEWERS);

        bearer(token).get("/api/mappings").then().statusCode(200);
        bearer(token).get("/api/exception-cases").then().statusCode(200);
        bearer(token).contentType("application/json").body("{\"target\":\"7\"}").put(CHF).then().statusCode(403);
        bearer(token).queryParam("q", "nothing").post("/api/exception-cases/replay").then().statusCode(403);
    }

    @Test
    void anOperatorGroupTokenChangesAMappingAndIsTheAuditedActor() {
        String token = TestIdentityProvider.token("olga", TestIdentityProvider.OPERATORS);

        bearer(token).contentType("application/json").body("{\"target\":\"7\"}").put(CHF)
                .then().statusCode(200).body("updatedBy", equalTo("olga"));
        bearer(token).get(CHF + "/history").then().statusCode(200)
                .body("[-1].actor", equalTo("olga")).body("[-1].action", equalTo("SET"));
        bearer(token).delete(CHF).then().statusCode(204);
    }

    @Test
    void embeddedUsersAreOffAndOnlyConfiguredGroupsGrantRoles() {
        given().auth().preemptive().basic("operator", "operator-sandbox").get("/api/mappings").then().statusCode(401);
        given().get("/api/mappings").then().statusCode(401);
        // A provider group that happens to be called like a hub role grants nothing unless it is configured.
        bearer(TestIdentityProvider.token("mallory", "operator", "viewer")).get("/api/mappings").then().statusCode(403);
        bearer(TestIdentityProvider.forgedToken("eve", TestIdentityProvider.OPERATORS)).get("/api/mappings")
                .then().statusCode(401);
    }

    private static RequestSpecification bearer(String token) {
        return given().auth().oauth2(token);
    }
}
