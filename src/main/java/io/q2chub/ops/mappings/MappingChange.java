package io.q2chub.ops.mappings;

import java.time.OffsetDateTime;

/** One entry of a mapping's audit trail: who set or removed it, or the configuration seeding it. */
public record MappingChange(OffsetDateTime at, String actor, String action, String oldTarget, String newTarget) {
}
