package io.q2chub.capability.invoicing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.q2chub.connector.ErpPosting.Dimensions;
import io.q2chub.connector.ErpPosting.RevenueType;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One version of the posting rules file, parsed and checked as a whole: either every entry is valid or the file is
 * refused with every problem listed (file, entry, problem), so an operator fixes a broken edit in one pass.
 *
 * <pre>
 * products:                      # per billing SKU
 *   PLAT-SUB:
 *     revenueType: recurring     # recurring | usage | services (required)
 *     revRecRule: "2"            # ERP revenue recognition rule id (optional)
 * legalEntities:                 # per legal entity code (the ERP customer's subsidiary)
 *   US01:
 *     department: "10"           # GL dimensions, ERP ids (optional)
 *     class: "1"
 *     location: "1"
 *     taxCodes:                  # tax line (jurisdiction, rate) → ERP tax code id
 *       - {jurisdiction: US-CA, rateBasisPoints: 825, taxCode: "11"}
 * </pre>
 */
record PostingRuleSet(Map<String, ProductRule> products, Map<String, EntityRule> legalEntities) {

    static final PostingRuleSet EMPTY = new PostingRuleSet(Map.of(), Map.of());

    record ProductRule(RevenueType revenueType, String revRecRule) {
    }

    record TaxKey(String jurisdiction, int rateBasisPoints) {
    }

    record EntityRule(Dimensions dimensions, Map<TaxKey, String> taxCodes) {
        Optional<String> taxCode(String jurisdiction, int rateBasisPoints) {
            return Optional.ofNullable(taxCodes.get(new TaxKey(jurisdiction.toUpperCase(Locale.ROOT), rateBasisPoints)));
        }
    }

    /** The file is refused; {@link #getMessage()} lists each problem on a line of its own. */
    static final class Invalid extends Exception {
        final List<String> problems;

        Invalid(String source, List<String> problems) {
            super("posting rules " + source + " refused:\n  " + String.join("\n  ", problems));
            this.problems = List.copyOf(problems);
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP = Set.of("products", "legalEntities");
    private static final Set<String> PRODUCT = Set.of("revenueType", "revRecRule");
    private static final Set<String> ENTITY = Set.of("department", "class", "location", "taxCodes");
    private static final Set<String> TAX = Set.of("jurisdiction", "rateBasisPoints", "taxCode");

    static PostingRuleSet parse(String source, InputStream yaml) throws Invalid {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new Invalid(source, List.of("not YAML: " + e.getMessage().lines().findFirst().orElse("")));
        }
        List<String> problems = new ArrayList<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return EMPTY;
        }
        if (!root.isObject()) {
            throw new Invalid(source, List.of("the file must be a mapping with 'products' and 'legalEntities'"));
        }
        unknownKeys(root, TOP, "(top level)", problems);
        Map<String, ProductRule> products = new LinkedHashMap<>();
        forEachEntry(root.path("products"), "products", problems, (sku, node, at) -> {
            unknownKeys(node, PRODUCT, at, problems);
            String type = text(node, "revenueType");
            RevenueType revenueType = null;
            if (type == null) {
                problems.add(at + ": revenueType is required (recurring | usage | services)");
            } else {
                try {
                    revenueType = RevenueType.valueOf(type.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    problems.add(at + ": revenueType '" + type + "' is not one of recurring, usage, services");
                }
            }
            products.put(sku, new ProductRule(revenueType, id(node, "revRecRule", at, problems)));
        });
        Map<String, EntityRule> entities = new LinkedHashMap<>();
        forEachEntry(root.path("legalEntities"), "legalEntities", problems, (code, node, at) -> {
            unknownKeys(node, ENTITY, at, problems);
            Dimensions dimensions = new Dimensions(id(node, "department", at, problems), id(node, "class", at, problems),
                    id(node, "location", at, problems));
            Map<TaxKey, String> taxCodes = new LinkedHashMap<>();
            JsonNode list = node.path("taxCodes");
            if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
                problems.add(at + ".taxCodes: must be a list of {jurisdiction, rateBasisPoints, taxCode}");
            }
            for (int i = 0; list.isArray() && i < list.size(); i++) {
                JsonNode entry = list.get(i);
                String where = at + ".taxCodes[" + i + "]";
                if (!entry.isObject()) {
                    problems.add(where + ": must be a mapping {jurisdiction, rateBasisPoints, taxCode}");
                    continue;
                }
                unknownKeys(entry, TAX, where, problems);
                String jurisdiction = text(entry, "jurisdiction");
                JsonNode rate = entry.path("rateBasisPoints");
                String taxCode = id(entry, "taxCode", where, problems);
                if (jurisdiction == null || jurisdiction.isBlank()) {
                    problems.add(where + ": jurisdiction is required");
                }
                if (!rate.isInt() || rate.intValue() < 0) {
                    problems.add(where + ": rateBasisPoints must be a whole number >= 0 (825 = 8.25 %), got " + rate);
                }
                if (taxCode == null) {
                    problems.add(where + ": taxCode is required");
                }
                if (jurisdiction != null && rate.isInt() && taxCode != null) {
                    TaxKey key = new TaxKey(jurisdiction.toUpperCase(Locale.ROOT), rate.intValue());
                    if (taxCodes.put(key, taxCode) != null) {
                        problems.add(where + ": " + jurisdiction + " at " + rate.intValue() + " bp is listed twice");
                    }
                }
            }
            entities.put(code, new EntityRule(dimensions, Map.copyOf(taxCodes)));
        });
        if (!problems.isEmpty()) {
            throw new Invalid(source, problems);
        }
        return new PostingRuleSet(Map.copyOf(products), Map.copyOf(entities));
    }

    private interface EntryCheck {
        void check(String name, JsonNode node, String at);
    }

    private static void forEachEntry(JsonNode section, String name, List<String> problems, EntryCheck check) {
        if (section.isMissingNode() || section.isNull()) {
            return;
        }
        if (!section.isObject()) {
            problems.add(name + ": must be a mapping of code to entry");
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String at = name + "." + entry.getKey();
            if (!entry.getValue().isObject()) {
                problems.add(at + ": must be a mapping");
                continue;
            }
            check.check(entry.getKey(), entry.getValue(), at);
        }
    }

    private static void unknownKeys(JsonNode node, Set<String> known, String at, List<String> problems) {
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                problems.add(at + ": unknown key '" + name + "' (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        });
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** An ERP id: a string or a whole number in the file (NetSuite internal ids are numbers in strings). */
    private static String id(JsonNode node, String field, String at, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!(value.isTextual() || value.isIntegralNumber()) || value.asText().isBlank()) {
            problems.add(at + "." + field + ": must be an ERP id (text or whole number), got " + value);
            return null;
        }
        return value.asText();
    }
}
