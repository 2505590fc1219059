package io.q2chub.sandbox.stripe;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of Stripe's search query language the hub uses on customers: exact-match clauses
 * {@code metadata['key']:'value'} (also {@code email:'x'}, {@code name:'x'}) joined by {@code AND}. Values are
 * single-quoted; a quote or backslash inside is escaped with a backslash, as Stripe documents. Anything else is
 * refused the way Stripe refuses a query it cannot parse (400, param "query").
 */
final class SearchQuery {

    private static final Pattern CLAUSE = Pattern.compile(
            "\\s*(metadata\\['([^'\\\\]+)'\\]|email|name)\\s*:\\s*'((?:[^'\\\\]|\\\\.)*)'\\s*");
    private static final Pattern AND = Pattern.compile("\\s+AND\\s+");

    private record Clause(String field, String metadataKey, String value) {
    }

    private final List<Clause> clauses;

    private SearchQuery(List<Clause> clauses) {
        this.clauses = clauses;
    }

    /** Returns null when the query is outside the supported grammar. */
    static SearchQuery parse(String query) {
        if (query == null || query.isBlank()) {
            return null;
        }
        List<Clause> clauses = new ArrayList<>();
        for (String part : splitOnAnd(query)) {
            Matcher m = CLAUSE.matcher(part);
            if (!m.matches()) {
                return null;
            }
            String value = m.group(3).replaceAll("\\\\(.)", "$1");
            clauses.add(m.group(2) != null ? new Clause("metadata", m.group(2), value) : new Clause(m.group(1), null, value));
        }
        return new SearchQuery(clauses);
    }

    // AND outside quotes only: a canonical id may itself contain " AND ".
    private static List<String> splitOnAnd(String query) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c == '\\' && quoted && i + 1 < query.length()) {
                current.append(c).append(query.charAt(++i));
                continue;
            }
            if (c == '\'') {
                quoted = !quoted;
            }
            if (!quoted && c == ' ') {
                Matcher and = AND.matcher(query).region(i, query.length());
                if (and.lookingAt()) {
                    parts.add(current.toString());
                    current.setLength(0);
                    i = and.end() - 1;
                    continue;
                }
            }
            current.append(c);
        }
        parts.add(current.toString());
        return parts;
    }

    boolean matches(SimulatedCustomer customer) {
        for (Clause clause : clauses) {
            String actual = switch (clause.field()) {
                case "metadata" -> customer.metadata().get(clause.metadataKey());
                case "email" -> customer.email();
                default -> customer.name();
            };
            if (!clause.value().equals(actual)) {
                return false;
            }
        }
        return true;
    }
}
