package io.q2chub.ops.exceptions;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Says at start-up who may use the ops API when the embedded identities are on, so nobody has to guess the users
 * of a fresh sandbox. Passwords are never printed: only where they come from.
 */
@ApplicationScoped
public class OpsIdentitiesBanner {

    private static final Logger LOG = Logger.getLogger(OpsIdentitiesBanner.class);

    void onStart(@Observes StartupEvent event,
            @ConfigProperty(name = "quarkus.security.users.embedded.enabled", defaultValue = "false") boolean embedded,
            @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "true") boolean oidc) {
        if (oidc) {
            LOG.info("ops API /api/exception-cases, /api/mappings: OIDC bearer tokens (Q2C_OIDC_AUTH_SERVER_URL);"
                    + " embedded users are refused");
        } else if (embedded) {
            LOG.info("ops API /api/exception-cases, /api/mappings: embedded HTTP Basic users 'viewer' (role viewer) and 'operator'"
                    + " (role operator); passwords from Q2C_OPS_VIEWER_PASSWORD / Q2C_OPS_OPERATOR_PASSWORD,"
                    + " sandbox defaults otherwise (see README). Use OIDC in production.");
        }
    }
}
