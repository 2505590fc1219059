package io.q2chub.ops.exceptions;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.List;

/** What the exception-case API answers and accepts (JSON). */
final class CaseViews {

    private CaseViews() {
    }

    /** A case in the inbox: everything but the payload, which can be large and is shown only in the detail. */
    @RegisterForReflection
    record CaseSummary(long id, String status, String capability, String system, String failureClass,
            String errorCode, String errorMessage, String businessKey, String eventId, String eventType,
            String sourceTopic, int occurrences, String owner, OffsetDateTime firstSeen, OffsetDateTime lastSeen,
            String team) {
    }

    @RegisterForReflection
    record CasePage(List<CaseSummary> items, long total, int page, int size) {
    }

    /**
     * The payload as parked: text when the bytes are UTF-8, otherwise base64 so nothing is altered. Secrets in it
     * read [REDACTED] (gone for good), configured PII fields [ENCRYPTED] (replay sends the original values).
     */
    @RegisterForReflection
    record StoredPayload(String encoding, String content) {
    }

    @RegisterForReflection
    record HistoryEntry(OffsetDateTime at, String actor, String action, String detail) {
    }

    @RegisterForReflection
    record CaseDetail(CaseSummary summary, String discardReason, StoredPayload payload, JsonNode headers,
            List<HistoryEntry> history) {
    }

    /** Body of a single replay: an edited payload to send instead of the parked one, or nothing. */
    @RegisterForReflection
    record ReplayRequest(JsonNode payload) {
    }

    @RegisterForReflection
    record DiscardRequest(String reason) {
    }

    @RegisterForReflection
    record AssignRequest(String owner) {
    }

    @RegisterForReflection
    record BulkReplayAnswer(int matched, int replayed) {
    }

    /** Why a request was refused; violations list every schema problem of an edited payload. */
    @RegisterForReflection
    record Problem(String error, List<String> violations) {
    }
}
