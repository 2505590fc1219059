package io.q2chub.ops.mappings;

import java.time.OffsetDateTime;

/**
 * One value mapping as the API shows it.
 *
 * @param origin {@code config} while it is the configured value, {@code operator} once an operator set it
 */
public record Mapping(String system, String kind, String code, String target, String origin,
        OffsetDateTime updatedAt, String updatedBy) {
}
