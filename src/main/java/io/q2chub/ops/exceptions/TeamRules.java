package io.q2chub.ops.exceptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which team owns a new exception case. Rules are read in order and the first that matches wins; a case no rule
 * matches goes to the default team. Written as one setting, rules separated by ';':
 *
 * <pre>
 * class=BUSINESS,capability=customer-*-&gt;master-data; system=netsuite-&gt;erp-finance; code=MAPPING_*-&gt;finance-ops
 * </pre>
 *
 * Each rule is criteria, "-&gt;", a team name. Criteria are {@code class}, {@code capability}, {@code system} and
 * {@code code} (the error code), each a pattern where {@code *} is any text, matched ignoring case; a criterion
 * left out matches anything. A rule with no criteria matches every case.
 */
final class TeamRules {

    static final Set<String> CRITERIA = Set.of("class", "capability", "system", "code");
    private static final Pattern TEAM_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** The facts of a failure a rule can look at. */
    record Facts(String failureClass, String capability, String system, String errorCode) {
    }

    private record Rule(Map<String, Pattern> criteria, String team) {
        boolean matches(Facts facts) {
            return criteria.entrySet().stream().allMatch(c -> c.getValue().matcher(value(c.getKey(), facts)).matches());
        }

        private static String value(String criterion, Facts facts) {
            String value = switch (criterion) {
                case "class" -> facts.failureClass();
                case "capability" -> facts.capability();
                case "system" -> facts.system();
                default -> facts.errorCode();
            };
            return value == null ? "" : value;
        }
    }

    private final List<Rule> rules;
    private final String defaultTeam;

    private TeamRules(List<Rule> rules, String defaultTeam) {
        this.rules = rules;
        this.defaultTeam = defaultTeam;
    }

    /** Parses the rules; a mistake fails with a message naming the setting, the rule and what is wrong. */
    static TeamRules parse(String text, String defaultTeam) {
        List<String> problems = new ArrayList<>();
        if (defaultTeam == null || !TEAM_NAME.matcher(defaultTeam).matches()) {
            problems.add("q2c.exceptions.team.default must be a team name (letters, digits, '.', '_', '-'), was '" + defaultTeam + "'");
        }
        List<Rule> rules = new ArrayList<>();
        String[] written = text == null || text.isBlank() ? new String[0] : text.split(";");
        for (int i = 0; i < written.length; i++) {
            String rule = written[i].trim();
            if (rule.isEmpty()) {
                continue;
            }
            String where = "rule " + (i + 1) + " '" + rule + "'";
            int arrow = rule.lastIndexOf("->");
            if (arrow < 0) {
                problems.add(where + ": expected criteria->team, e.g. class=BUSINESS,system=netsuite->erp-finance");
                continue;
            }
            String team = rule.substring(arrow + 2).trim();
            if (!TEAM_NAME.matcher(team).matches()) {
                problems.add(where + ": '" + team + "' is not a team name (letters, digits, '.', '_', '-')");
            }
            Map<String, Pattern> criteria = new LinkedHashMap<>();
            String conditions = rule.substring(0, arrow).trim();
            for (String condition : conditions.isEmpty() ? new String[0] : conditions.split(",")) {
                String[] pair = condition.split("=", 2);
                String name = pair[0].trim().toLowerCase(Locale.ROOT);
                if (pair.length != 2 || pair[1].isBlank()) {
                    problems.add(where + ": '" + condition.trim() + "' is not criterion=pattern");
                } else if (!CRITERIA.contains(name)) {
                    problems.add(where + ": unknown criterion '" + pair[0].trim() + "', use one of class, capability, system, code");
                } else if (criteria.put(name, glob(pair[1].trim())) != null) {
                    problems.add(where + ": criterion '" + name + "' given twice");
                }
            }
            rules.add(new Rule(criteria, team));
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("q2c.exceptions.team.rules (env Q2C_EXCEPTION_TEAM_RULES) is invalid: "
                    + String.join("; ", problems));
        }
        return new TeamRules(List.copyOf(rules), defaultTeam);
    }

    String teamFor(Facts facts) {
        return rules.stream().filter(r -> r.matches(facts)).map(Rule::team).findFirst().orElse(defaultTeam);
    }

    int size() {
        return rules.size();
    }

    private static Pattern glob(String pattern) {
        List<String> literals = new ArrayList<>();
        for (String part : pattern.split("\\*", -1)) {
            literals.add(part.isEmpty() ? "" : Pattern.quote(part));
        }
        return Pattern.compile(String.join(".*", literals), Pattern.CASE_INSENSITIVE);
    }
}
