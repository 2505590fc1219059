package io.q2chub.ops.ledger;

import io.agroal.api.AgroalDataSource;
import io.q2chub.canonical.EventTypes;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One quote-to-cash chain, found by any id: the chain's key (canonical contract id), a canonical id of anything in
 * it, an event id, or any system's id of those (Salesforce order, Stripe subscription/invoice/payment, NetSuite
 * internal id), resolved through the cross-reference. Answers the milestones in time order, the time each stage
 * took, and every id each system holds for the chain's records (customer included).
 */
@ApplicationScoped
public class TransactionChain {

    @RegisterForReflection
    public record Step(String stage, String milestone, String businessKey, String eventId, String source,
            OffsetDateTime occurredAt) {
    }

    /** @param businessKey the document the stage was about (invoice, payment), or null for chain-level stages */
    @RegisterForReflection
    public record StageTime(String stage, String businessKey, OffsetDateTime from, OffsetDateTime to,
            BigDecimal seconds) {
    }

    @RegisterForReflection
    public record SystemId(String canonicalId, String objectType, String system, String externalId) {
    }

    /**
     * @param quoteToCashSeconds booked → first payment applied; null while the chain is not there yet
     * @param otherChains keys of further chains the id also names (rare: an id shared by records of two chains)
     */
    @RegisterForReflection
    public record Chain(String query, String transactionKey, String customerId, List<Step> milestones,
            List<StageTime> stages, BigDecimal quoteToCashSeconds, List<SystemId> ids, List<String> otherChains) {
    }

    private final AgroalDataSource dataSource;

    public TransactionChain(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<Chain> of(String anyId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<String> keys = transactionKeys(c, anyId);
            if (keys.isEmpty()) {
                return Optional.empty();
            }
            String key = keys.get(0);
            String customer = customerOf(c, key);
            List<Step> steps = steps(c, key, customer);
            Set<String> canonicalIds = new LinkedHashSet<>();
            if (customer != null) {
                canonicalIds.add(customer);
            }
            canonicalIds.add(key);
            steps.stream().filter(s -> s.businessKey() != null).forEach(s -> canonicalIds.add(s.businessKey()));
            return Optional.of(new Chain(anyId, key, customer, steps, stageTimes(steps), quoteToCash(steps),
                    systemIds(c, canonicalIds), keys.subList(1, keys.size())));
        }
    }

    /**
     * The chains the id belongs to, most recent first: directly, or through the cross-reference to a canonical id.
     * A customer's id names each chain of its orders (the latest first) and its own onboarding chain.
     */
    private static List<String> transactionKeys(Connection c, String anyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                WITH ids AS (SELECT CAST(? AS TEXT) AS id UNION SELECT canonical_id FROM xref WHERE external_id = ?)
                SELECT transaction_key FROM ledger_milestone
                 WHERE transaction_key IN (SELECT id FROM ids) OR business_key IN (SELECT id FROM ids)
                    OR event_id IN (SELECT id FROM ids) OR customer_id IN (SELECT id FROM ids)
                 GROUP BY transaction_key ORDER BY max(occurred_at) DESC""")) {
            ps.setString(1, anyId);
            ps.setString(2, anyId);
            List<String> keys = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            return keys;
        }
    }

    private static String customerOf(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT customer_id FROM ledger_milestone WHERE transaction_key = ? AND customer_id IS NOT NULL
                 ORDER BY occurred_at, id LIMIT 1""")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The chain's milestones, with the customer's onboarding (its own chain) when it is not the chain itself. */
    private static List<Step> steps(Connection c, String key, String customer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT milestone, business_key, event_id, source, occurred_at FROM ledger_milestone
                 WHERE transaction_key = ?
                    OR (CAST(? AS TEXT) IS NOT NULL AND milestone = ? AND business_key = ? AND transaction_key <> ?)
                 ORDER BY occurred_at, id""")) {
            ps.setString(1, key);
            ps.setString(2, customer);
            ps.setString(3, EventTypes.CUSTOMER_ONBOARDED);
            ps.setString(4, customer);
            ps.setString(5, key);
            List<Step> steps = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String milestone = rs.getString(1);
                    steps.add(new Step(stageOf(milestone), milestone, rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getObject(5, OffsetDateTime.class)));
                }
            }
            return steps;
        }
    }

    private static String stageOf(String milestone) {
        if (EventTypes.CUSTOMER_ONBOARDED.equals(milestone)) {
            return "customer";
        }
        return QuoteToCashStage.of(milestone).map(QuoteToCashStage::label).orElse(null);
    }

    /**
     * Each stage from the latest opening milestone before its closing one (a posting or an application: of the same
     * invoice or payment). An opening that comes later than its closing (Stripe finalizes a subscription's first
     * invoice as it creates the subscription) means both happened in one step: 0 s, as the histogram counts it.
     */
    static List<StageTime> stageTimes(List<Step> steps) {
        List<StageTime> times = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step closing = steps.get(i);
            QuoteToCashStage stage = QuoteToCashStage.of(closing.milestone()).orElse(null);
            if (stage == null || stage.previous().isEmpty()) {
                continue;
            }
            boolean sameDocument = stage == QuoteToCashStage.POSTED || stage == QuoteToCashStage.APPLIED;
            String opening = stage.previous().get().milestone();
            Optional<Step> opened = openingOf(steps, i, opening, sameDocument, -1);
            if (opened.isEmpty() && (sameDocument || firstOf(steps, i))) {
                opened = openingOf(steps, i, opening, sameDocument, +1);
            }
            opened.ifPresent(o -> times.add(new StageTime(stage.stageFromPrevious(),
                    sameDocument ? closing.businessKey() : null, o.occurredAt(), closing.occurredAt(),
                    seconds(o.occurredAt(), closing.occurredAt()).max(BigDecimal.ZERO.setScale(3)))));
        }
        return times;
    }

    private static Optional<Step> openingOf(List<Step> steps, int closing, String milestone, boolean sameDocument,
            int direction) {
        for (int j = closing + direction; j >= 0 && j < steps.size(); j += direction) {
            Step candidate = steps.get(j);
            if (candidate.milestone().equals(milestone)
                    && (!sameDocument || Objects.equals(candidate.businessKey(), steps.get(closing).businessKey()))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean firstOf(List<Step> steps, int index) {
        String milestone = steps.get(index).milestone();
        return steps.subList(0, index).stream().noneMatch(s -> s.milestone().equals(milestone));
    }

    private static BigDecimal quoteToCash(List<Step> steps) {
        OffsetDateTime booked = null;
        for (Step step : steps) {
            if (QuoteToCashStage.BOOKED.milestone().equals(step.milestone()) && booked == null) {
                booked = step.occurredAt();
            }
            if (QuoteToCashStage.PAYMENT_APPLIED.equals(step.milestone()) && booked != null) {
                return seconds(booked, step.occurredAt());
            }
        }
        return null;
    }

    private static BigDecimal seconds(OffsetDateTime from, OffsetDateTime to) {
        return BigDecimal.valueOf(Duration.between(from, to).toMillis(), 3);
    }

    private static List<SystemId> systemIds(Connection c, Set<String> canonicalIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT canonical_id, object_type, system, external_id FROM xref WHERE canonical_id = ANY (?)
                 ORDER BY array_position(?, canonical_id), system, object_type""")) {
            ps.setArray(1, c.createArrayOf("text", canonicalIds.toArray()));
            ps.setArray(2, c.createArrayOf("text", canonicalIds.toArray()));
            List<SystemId> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(new SystemId(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
            return ids;
        }
    }
}
