package io.q2chub.ops.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who may use the ops API. With OIDC on (production) only bearer-token identities count: an embedded user's HTTP
 * Basic login is refused, because the embedded users are the sandbox's and their passwords may be the defaults. The
 * identity provider's roles are mapped to the hub's two roles by configuration, since every provider names groups
 * its own way. With OIDC off (embedded default, tests) identities pass unchanged.
 */
@ApplicationScoped
public class OpsIdentities implements SecurityIdentityAugmentor {

    static final String VIEWER = "viewer";
    static final String OPERATOR = "operator";

    private final boolean oidc;
    private final Set<String> viewerRoles;
    private final Set<String> operatorRoles;

    OpsIdentities(@ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "true") boolean oidc,
            @ConfigProperty(name = "q2c.ops.oidc.viewer-roles", defaultValue = VIEWER) Set<String> viewerRoles,
            @ConfigProperty(name = "q2c.ops.oidc.operator-roles", defaultValue = OPERATOR) Set<String> operatorRoles) {
        this.oidc = oidc;
        this.viewerRoles = viewerRoles;
        this.operatorRoles = operatorRoles;
    }

    boolean oidc() {
        return oidc;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!oidc || identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        if (!(identity.getPrincipal() instanceof JsonWebToken)) {
            return Uni.createFrom().failure(new AuthenticationFailedException(
                    "the ops API takes OIDC bearer tokens here; embedded users are off"));
        }
        // Only the mapped roles: a provider group that happens to be called "operator" grants nothing unless configured.
        QuarkusSecurityIdentity.Builder mapped = QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes());
        if (identity.getRoles().stream().anyMatch(viewerRoles::contains)) {
            mapped.addRole(VIEWER);
        }
        if (identity.getRoles().stream().anyMatch(operatorRoles::contains)) {
            mapped.addRole(OPERATOR);
        }
        return Uni.createFrom().item(mapped.build());
    }
}
