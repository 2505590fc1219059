package io.q2chub.ops.mappings;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;

/** One entry of a mapping's audit trail: who set or removed it, or the configuration seeding it. */
@RegisterForReflection
public record MappingChange(OffsetDateTime at, String actor, String action, String oldTarget, String newTarget) {
}
