package io.q2chub.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/**
 * The settings without which the hub cannot run. Declared as a mapping so that start-up fails once, listing
 * every missing key, instead of failing on the first one a component happens to read.
 */
@ConfigMapping(prefix = "q2c")
public interface HubSettings {

    Kafka kafka();

    Db db();

    interface Kafka {
        /** Q2C_KAFKA_BOOTSTRAP_SERVERS */
        @WithName("bootstrap-servers")
        String bootstrapServers();
    }

    interface Db {
        /** Q2C_DB_URL, a JDBC URL of PostgreSQL. */
        String url();

        /** Q2C_DB_USERNAME */
        String username();

        /** Q2C_DB_PASSWORD */
        String password();
    }
}
