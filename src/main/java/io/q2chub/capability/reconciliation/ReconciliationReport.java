package io.q2chub.capability.reconciliation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One reconciliation run as finance reads it: the window, how many documents each view held, the count per kind
 * and every discrepancy (empty in a listing).
 */
public record ReconciliationReport(long id, Instant windowFrom, Instant windowTo, String trigger, boolean heal,
        String status, int billingDocuments, int erpDocuments, int crmBookings, int healed, String message,
        Instant startedAt, Instant finishedAt, Map<DiscrepancyKind, Integer> counts, List<Discrepancy> discrepancies) {
}
