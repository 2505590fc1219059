package io.q2chub.ops.notify;

import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Where a team's notifications go: {@code q2c.notify.team.<team>.webhook-url} (env
 * {@code Q2C_NOTIFY_TEAM_<TEAM>_WEBHOOK_URL}, '-' and '.' as '_'), else {@code q2c.notify.webhook-url}. Webhook URLs
 * are secrets (whoever has one can post): they are looked up when sending and never logged; logs name the
 * destination ("team erp-finance" or "default") instead.
 */
final class Webhooks {

    static final String DEFAULT = "default";

    record Destination(String name, String url) {
        @Override
        public String toString() {
            return name;
        }
    }

    private final Config config;

    Webhooks(Config config) {
        this.config = config;
    }

    Optional<Destination> forTeam(String team) {
        if (team != null) {
            Optional<String> own = config.getOptionalValue("q2c.notify.team." + team + ".webhook-url", String.class)
                    .filter(url -> !url.isBlank());
            if (own.isPresent()) {
                return Optional.of(new Destination("team " + team, own.get()));
            }
        }
        return byDefault();
    }

    Optional<Destination> byDefault() {
        return config.getOptionalValue("q2c.notify.webhook-url", String.class).filter(url -> !url.isBlank())
                .map(url -> new Destination(DEFAULT, url));
    }
}
