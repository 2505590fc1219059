package io.q2chub.ops.exceptions;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The team that owns a new case, by the configured rules (see {@link TeamRules}); checked when the hub starts. */
@ApplicationScoped
@Startup
public class OwnerTeams {

    private static final Logger LOG = Logger.getLogger(OwnerTeams.class);

    private final TeamRules rules;

    public OwnerTeams(@ConfigProperty(name = "q2c.exceptions.team.rules") Optional<String> rules,
            @ConfigProperty(name = "q2c.exceptions.team.default") String defaultTeam) {
        this.rules = TeamRules.parse(rules.orElse(""), defaultTeam);
        LOG.infof("exception cases: %d team rule(s), default team %s", this.rules.size(), defaultTeam);
    }

    String teamFor(Classification classification, String capability) {
        return rules.teamFor(new TeamRules.Facts(classification.failureClass().name(), capability,
                classification.system(), classification.errorCode()));
    }
}
