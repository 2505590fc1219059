package io.q2chub.sandbox.salesforce;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SOQL a reconciliation reads bookings with, and nothing more: {@code SELECT Id, Status, CurrencyIsoCode,
 * EffectiveDate FROM Order WHERE Status = 'Activated' AND EffectiveDate >= 2026-01-01 AND EffectiveDate <
 * 2026-02-01} (unquoted date literals, as SOQL writes them). One page: a simulated org holds far fewer than 2000.
 */
final class ActivatedOrderQueries {

    private static final Pattern SOQL = Pattern.compile("\\s*SELECT\\s+Id,\\s*Status,\\s*CurrencyIsoCode,\\s*EffectiveDate"
            + "\\s+FROM\\s+Order\\s+WHERE\\s+Status\\s*=\\s*'Activated'\\s+AND\\s+EffectiveDate\\s*>=\\s*(\\d{4}-\\d{2}-\\d{2})"
            + "\\s+AND\\s+EffectiveDate\\s*<\\s*(\\d{4}-\\d{2}-\\d{2})\\s*", Pattern.CASE_INSENSITIVE);

    private ActivatedOrderQueries() {
    }

    static boolean handles(String soql) {
        return soql != null && soql.matches("(?is).*\\bFROM\\s+Order\\s+WHERE\\s+Status\\b.*");
    }

    static AccountQueries.Page query(SimulatedOrg org, String soql) throws AccountQueries.Refused {
        Matcher m = SOQL.matcher(soql);
        if (!m.matches()) {
            throw new AccountQueries.Refused("MALFORMED_QUERY", "unexpected token in: " + soql);
        }
        String from = m.group(1);
        String to = m.group(2);
        List<Map<String, Object>> records = org.sObjects().records("Order").stream()
                .filter(r -> !Boolean.TRUE.equals(r.get("IsDeleted")) && "Activated".equals(r.get("Status")))
                .filter(r -> r.get("EffectiveDate") != null && String.valueOf(r.get("EffectiveDate")).compareTo(from) >= 0
                        && String.valueOf(r.get("EffectiveDate")).compareTo(to) < 0)
                .sorted(Comparator.comparing(r -> (String) r.get("Id")))
                .map(r -> {
                    Map<String, Object> record = new LinkedHashMap<>();
                    record.put("attributes", Map.of("type", "Order"));
                    for (String field : List.of("Id", "Status", "CurrencyIsoCode", "EffectiveDate")) {
                        record.put(field, r.get(field));
                    }
                    return record;
                }).toList();
        return new AccountQueries.Page(records.size(), records, null);
    }
}
