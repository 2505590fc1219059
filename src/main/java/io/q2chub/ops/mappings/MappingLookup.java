package io.q2chub.ops.mappings;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One system's value mappings as a connector sees them: the id the system knows a hub code by, and back. A connector
 * depends on this and nothing else of the mapping table, so plain tests can hand it fixed maps.
 */
public interface MappingLookup {

    /** The target system's id of {@code code} ({@code subsidiary}: legal entity code → subsidiary internal id). */
    Optional<String> target(String kind, String code);

    /** The hub code mapped to {@code target}, when exactly that target is mapped. */
    Optional<String> code(String kind, String target);

    /** Mappings that never change: kind → code → target. */
    static MappingLookup fixed(Map<String, Map<String, String>> byKind) {
        Map<String, Map<String, String>> copy = Map.copyOf(byKind);
        return new MappingLookup() {
            @Override
            public Optional<String> target(String kind, String code) {
                return Optional.ofNullable(copy.getOrDefault(kind, Map.of()).get(code));
            }

            @Override
            public Optional<String> code(String kind, String target) {
                return copy.getOrDefault(kind, Map.of()).entrySet().stream()
                        .filter(e -> Objects.equals(e.getValue(), target)).map(Map.Entry::getKey).findFirst();
            }
        };
    }
}
