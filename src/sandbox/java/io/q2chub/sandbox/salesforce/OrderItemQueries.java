package io.q2chub.sandbox.salesforce;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SOQL the hub reads an order's items with, since an OrderChangeEvent carries none:
 * {@code SELECT f1, Product2.ProductCode, ... FROM OrderItem WHERE OrderId = '801...'}. A dotted field follows the
 * lookup to the parent record and is answered nested ({@code "Product2": {"attributes": ..., "ProductCode": ...}}),
 * as Salesforce answers relationship queries. One page: an order has far fewer than 2000 items.
 */
final class OrderItemQueries {

    static final Pattern SOQL = Pattern.compile(
            "\\s*SELECT\\s+(.+?)\\s+FROM\\s+OrderItem\\s+WHERE\\s+OrderId\\s*=\\s*'([A-Za-z0-9]{15,18})'\\s*", Pattern.CASE_INSENSITIVE);

    private final SimulatedOrg org;

    OrderItemQueries(SimulatedOrg org) {
        this.org = org;
    }

    static boolean handles(String soql) {
        return soql != null && soql.matches("(?is).*\\bFROM\\s+OrderItem\\b.*");
    }

    AccountQueries.Page query(String soql) throws AccountQueries.Refused {
        Matcher m = SOQL.matcher(soql);
        if (!m.matches()) {
            throw new AccountQueries.Refused("MALFORMED_QUERY", "unexpected token in: " + soql);
        }
        List<String> fields = new ArrayList<>();
        for (String f : m.group(1).split(",")) {
            String field = f.trim();
            if (!known(field)) {
                throw new AccountQueries.Refused("INVALID_FIELD", "No such column '" + field + "' on entity 'OrderItem'");
            }
            fields.add(field);
        }
        String orderId = m.group(2);
        List<Map<String, Object>> records = org.sObjects().records("OrderItem").stream()
                .filter(r -> !Boolean.TRUE.equals(r.get("IsDeleted")) && orderId.equals(r.get("OrderId")))
                .sorted(Comparator.comparing(r -> (String) r.get("Id")))
                .map(r -> select(r, fields)).toList();
        return new AccountQueries.Page(records.size(), records, null);
    }

    private static boolean known(String field) {
        if (field.equals("Id")) {
            return true;
        }
        int dot = field.indexOf('.');
        if (dot < 0) {
            return SObjectType.named("OrderItem").orElseThrow().fields().contains(field);
        }
        String parent = field.substring(0, dot);
        return (parent.equals("Product2") || parent.equals("PricebookEntry"))
                && SObjectType.named(parent).map(t -> t.fields().contains(field.substring(dot + 1))).orElse(false);
    }

    private Map<String, Object> select(Map<String, Object> item, List<String> fields) {
        Map<String, Object> record = attributed("OrderItem", (String) item.get("Id"));
        for (String field : fields) {
            int dot = field.indexOf('.');
            if (dot < 0) {
                record.put(field, item.get(field));
                continue;
            }
            String parentType = field.substring(0, dot);
            String parentId = (String) item.get(parentType + "Id");
            Map<String, Object> parent = org.sObjects().table(parentType).flatMap(t -> t.any(parentId == null ? "" : parentId))
                    .orElse(null);
            if (parent == null) {
                record.put(parentType, null);
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> nested = (Map<String, Object>) record.computeIfAbsent(parentType,
                    k -> attributed(parentType, parentId));
            nested.put(field.substring(dot + 1), parent.get(field.substring(dot + 1)));
        }
        return record;
    }

    private static Map<String, Object> attributed(String type, String id) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("attributes", Map.of("type", type,
                "url", "/services/data/v" + SalesforceHttpApi.API_VERSION + "/sobjects/" + type + "/" + id));
        return record;
    }
}
