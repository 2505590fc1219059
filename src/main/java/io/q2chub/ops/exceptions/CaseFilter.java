package io.q2chub.ops.exceptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which exception cases an inbox query or a bulk replay is about. Every criterion is optional; the SQL is built
 * from fixed fragments and the values are bound as parameters, never concatenated.
 */
record CaseFilter(String status, String failureClass, String capability, String system, Integer minAgeMinutes,
        String text, Integer maxAgeMinutes, String team) {

    static final Set<String> STATUSES = Set.of("OPEN", "REPLAYING", "RESOLVED", "DISCARDED");
    static final Set<String> CLASSES = Set.of("TRANSIENT", "BUSINESS", "POISON", "SECURITY");

    /** The problems of this filter that a caller must fix; empty when it can be run. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (status != null && !STATUSES.contains(status)) {
            problems.add("status must be one of " + STATUSES);
        }
        if (failureClass != null && !CLASSES.contains(failureClass)) {
            problems.add("class must be one of " + CLASSES);
        }
        if (minAgeMinutes != null && minAgeMinutes < 0) {
            problems.add("minAgeMinutes must not be negative");
        }
        if (maxAgeMinutes != null && maxAgeMinutes < 1) {
            problems.add("maxAgeMinutes must be at least 1");
        }
        return problems;
    }

    /** The same filter restricted to open cases: a bulk replay never touches other states, whatever was asked. */
    CaseFilter onlyOpen() {
        return new CaseFilter("OPEN", failureClass, capability, system, minAgeMinutes, text, maxAgeMinutes, team);
    }

    /** " WHERE ..." (or "") with a '?' per entry of {@link #parameters()}. */
    String where() {
        List<String> clauses = new ArrayList<>();
        if (status != null) {
            clauses.add("status = ?");
        }
        if (failureClass != null) {
            clauses.add("failure_class = ?");
        }
        if (capability != null) {
            clauses.add("capability = ?");
        }
        if (system != null) {
            clauses.add("system = ?");
        }
        if (minAgeMinutes != null) {
            clauses.add("first_seen <= now() - make_interval(mins => ?)");
        }
        if (maxAgeMinutes != null) {
            // The console's age buckets are [min, max): a case exactly max minutes old belongs to the next bucket.
            clauses.add("first_seen > now() - make_interval(mins => ?)");
        }
        if (team != null) {
            clauses.add("team = ?");
        }
        if (hasText()) {
            clauses.add("(error_message ILIKE ? OR business_key ILIKE ? OR error_code ILIKE ?)");
        }
        return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    }

    List<Object> parameters() {
        List<Object> values = new ArrayList<>();
        for (String value : new String[] {status, failureClass, capability, system}) {
            if (value != null) {
                values.add(value);
            }
        }
        if (minAgeMinutes != null) {
            values.add(minAgeMinutes);
        }
        if (maxAgeMinutes != null) {
            values.add(maxAgeMinutes);
        }
        if (team != null) {
            values.add(team);
        }
        if (hasText()) {
            // The user's text is matched literally: % and _ are not wildcards for them.
            String like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            values.add(like);
            values.add(like);
            values.add(like);
        }
        return values;
    }

    private boolean hasText() {
        return text != null && !text.isBlank();
    }
}
