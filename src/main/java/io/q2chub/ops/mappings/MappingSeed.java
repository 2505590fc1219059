package io.q2chub.ops.mappings;

import java.util.Map;

/**
 * The mapping kinds a connector uses, with the values its configuration names. A CDI bean per connector: the hub
 * seeds the table from it before the first look-up, and only these kinds can be set through {@code /api/mappings}
 * (a typo in a URL must not create a mapping nobody reads). A connector adds a kind by listing it here.
 */
public interface MappingSeed {

    /** The target system, lower case as in {@code /api/mappings/{system}}, e.g. {@code netsuite}. */
    String system();

    /** kind → (code → target id) from configuration; a kind with an empty map exists but has nothing to seed. */
    Map<String, Map<String, String>> configured();
}
