package io.q2chub.ops.mappings;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;

/**
 * One value mapping as the API shows it.
 *
 * @param origin {@code config} while it is the configured value, {@code operator} once an operator set it
 */
@RegisterForReflection
public record Mapping(String system, String kind, String code, String target, String origin,
        OffsetDateTime updatedAt, String updatedBy) {
}
