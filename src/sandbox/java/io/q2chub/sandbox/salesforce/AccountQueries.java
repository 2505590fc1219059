package io.q2chub.sandbox.salesforce;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SOQL the hub sends for a re-sync, and nothing more: {@code SELECT f1, f2 FROM Account}, optionally
 * {@code WHERE IsDeleted = false}. Like Salesforce, the query endpoint never returns deleted records (that is
 * queryAll), the result is fixed when the query runs, and it is handed out in batches through a query locator.
 */
final class AccountQueries {

    private static final Pattern SOQL = Pattern.compile(
            "\\s*SELECT\\s+(.+?)\\s+FROM\\s+Account(\\s+WHERE\\s+IsDeleted\\s*=\\s*false)?\\s*", Pattern.CASE_INSENSITIVE);
    static final int DEFAULT_BATCH_SIZE = 2000;

    /** One page: the records, and the locator of the next page when there is one. */
    record Page(int totalSize, List<Map<String, Object>> records, String nextLocator) {
    }

    /** A query that was not understood or names a field Account does not have. */
    static final class Refused extends Exception {
        final String errorCode;

        Refused(String errorCode, String message) {
            super(message);
            this.errorCode = errorCode;
        }
    }

    private record Cursor(int totalSize, List<Map<String, Object>> records) {
    }

    private final SimulatedOrg org;
    private final Map<String, Cursor> cursors = new ConcurrentHashMap<>();
    private final AtomicInteger nextCursor = new AtomicInteger(1);
    private volatile int batchSize = DEFAULT_BATCH_SIZE;

    AccountQueries(SimulatedOrg org) {
        this.org = org;
    }

    void batchSize(int size) {
        this.batchSize = size;
    }

    Page query(String soql) throws Refused {
        Matcher m = SOQL.matcher(soql == null ? "" : soql);
        if (!m.matches()) {
            throw new Refused("MALFORMED_QUERY", "unexpected token in: " + soql);
        }
        List<String> fields = new ArrayList<>();
        for (String f : m.group(1).split(",")) {
            String field = f.trim();
            if (!known(field)) {
                throw new Refused("INVALID_FIELD", "No such column '" + field + "' on entity 'Account'");
            }
            fields.add(field);
        }
        List<Map<String, Object>> records = org.accounts().stream()
                .filter(a -> !Boolean.TRUE.equals(a.get("IsDeleted")))
                .sorted(Comparator.comparing(a -> (String) a.get("Id")))
                .map(a -> select(a, fields)).toList();
        String id = String.format("01g%015d", nextCursor.getAndIncrement());
        return page(id, 0, new Cursor(records.size(), records));
    }

    /** The next page of a query; empty when the locator is unknown (or already used up). */
    Optional<Page> more(String locator) {
        int dash = locator.lastIndexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        String id = locator.substring(0, dash);
        Cursor cursor = cursors.get(id);
        if (cursor == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(page(id, Integer.parseInt(locator.substring(dash + 1)), cursor));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Page page(String id, int from, Cursor cursor) {
        int to = Math.min(from + batchSize, cursor.records().size());
        List<Map<String, Object>> records = cursor.records().subList(Math.min(from, to), to);
        if (to < cursor.records().size()) {
            cursors.put(id, cursor);
            return new Page(cursor.totalSize(), records, id + "-" + to);
        }
        cursors.remove(id);
        return new Page(cursor.totalSize(), records, null);
    }

    private static boolean known(String field) {
        return SimulatedOrg.WRITABLE.contains(field) || field.equals("Id") || field.equals("IsDeleted")
                || field.equals("MasterRecordId");
    }

    private static Map<String, Object> select(Map<String, Object> account, List<String> fields) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("attributes", Map.of("type", "Account",
                "url", "/services/data/v" + SalesforceHttpApi.API_VERSION + "/sobjects/Account/" + account.get("Id")));
        fields.forEach(f -> record.put(f, account.get(f)));
        return record;
    }
}
