package io.q2chub.ops.console;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Who the console is signed in as: checks the credentials at sign-in and tells the page whether to offer the
 * operator's actions. The API enforces the roles itself; this only keeps a viewer from being offered buttons that
 * would be refused.
 */
@Path("/api/console/me")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"viewer", "operator"})
public class SignedInUserResource {

    @RegisterForReflection
    public record SignedInUser(String name, List<String> roles, boolean operator) {
    }

    private final SecurityIdentity identity;

    public SignedInUserResource(SecurityIdentity identity) {
        this.identity = identity;
    }

    @GET
    public SignedInUser me() {
        List<String> roles = identity.getRoles().stream().sorted().toList();
        return new SignedInUser(identity.getPrincipal().getName(), roles, identity.hasRole("operator"));
    }
}
