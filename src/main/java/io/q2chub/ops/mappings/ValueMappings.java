package io.q2chub.ops.mappings;

import io.q2chub.ops.failure.TransientFailure;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The value mappings connectors read, cached per system and kind. A change made through this hub's API takes
 * effect at once here; other replicas re-read within {@code q2c.mappings.cache-ttl}. A code that is not mapped is
 * looked up in the database again before the answer is "unmapped", so a mapping an operator just added is found by
 * every replica immediately and a replay right after adding it goes through.
 */
@ApplicationScoped
public class ValueMappings {

    private static final Logger LOG = Logger.getLogger(ValueMappings.class);

    private record Key(String system, String kind) {
    }

    private record Snapshot(Map<String, String> targets, long loadedAt) {
    }

    private final MappingTable table;
    private final Instance<MappingSeed> seeds;
    private final long ttlNanos;
    private final Map<Key, Snapshot> cache = new ConcurrentHashMap<>();
    private volatile boolean seeded;

    ValueMappings(MappingTable table, Instance<MappingSeed> seeds,
            @ConfigProperty(name = "q2c.mappings.cache-ttl", defaultValue = "PT30S") Duration ttl) {
        this.table = table;
        this.seeds = seeds;
        this.ttlNanos = ttl.toNanos();
    }

    /** The mappings of one system, for its connector. */
    public MappingLookup forSystem(String system) {
        return new MappingLookup() {
            @Override
            public Optional<String> target(String kind, String code) {
                return ValueMappings.this.target(system, kind, code);
            }

            @Override
            public Optional<String> code(String kind, String target) {
                return ValueMappings.this.code(system, kind, target);
            }
        };
    }

    public Optional<String> target(String system, String kind, String code) {
        String target = snapshot(system, kind, false).targets().get(code);
        if (target == null) {
            target = snapshot(system, kind, true).targets().get(code);
        }
        return Optional.ofNullable(target);
    }

    public Optional<String> code(String system, String kind, String target) {
        return snapshot(system, kind, false).targets().entrySet().stream()
                .filter(e -> Objects.equals(e.getValue(), target)).map(Map.Entry::getKey).sorted().findFirst();
    }

    /** system → kinds the connectors declared; only these can be changed through the API. */
    Map<String, Set<String>> kinds() {
        Map<String, Set<String>> kinds = new TreeMap<>();
        for (MappingSeed seed : seeds) {
            kinds.computeIfAbsent(seed.system(), s -> new TreeSet<>()).addAll(seed.configured().keySet());
        }
        return kinds;
    }

    /** After a change through the API: the next look-up reads the table. */
    void changed(String system, String kind) {
        cache.remove(new Key(system, kind));
    }

    void onStart(@Observes StartupEvent event) {
        seedOnce();
    }

    private Snapshot snapshot(String system, String kind, boolean fresh) {
        seedOnce();
        Key key = new Key(system, kind);
        Snapshot snapshot = cache.get(key);
        if (fresh || snapshot == null || System.nanoTime() - snapshot.loadedAt() > ttlNanos) {
            snapshot = new Snapshot(Map.copyOf(load(key)), System.nanoTime());
            cache.put(key, snapshot);
        }
        return snapshot;
    }

    private Map<String, String> load(Key key) {
        try {
            return table.active(key.system(), key.kind());
        } catch (SQLException e) {
            throw new TransientFailure("hub", "MAPPINGS_UNAVAILABLE", "value mappings of " + key.system() + "/"
                    + key.kind() + " could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the configured values into the table before the first look-up, whichever comes first: start-up or a
     * route that is already consuming when start-up observers run.
     */
    private void seedOnce() {
        if (seeded) {
            return;
        }
        synchronized (this) {
            if (seeded) {
                return;
            }
            for (MappingSeed seed : seeds) {
                seed.configured().forEach((kind, values) -> {
                    try {
                        int changed = table.seed(seed.system(), kind, values);
                        if (changed > 0) {
                            LOG.infof("value mappings %s/%s: %d seeded from configuration", seed.system(), kind, changed);
                        }
                    } catch (SQLException e) {
                        throw new TransientFailure("hub", "MAPPINGS_UNAVAILABLE", "value mappings of " + seed.system()
                                + "/" + kind + " could not be seeded: " + e.getMessage(), e);
                    }
                });
            }
            seeded = true;
        }
    }
}
