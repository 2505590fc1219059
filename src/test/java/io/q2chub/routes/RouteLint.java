package io.q2chub.routes;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The checks an operator's route edit must pass before it ships: every route and route configuration has a
 * unique kebab-case id, every {{placeholder}} resolves from application.properties, every entry route opts into
 * the shared dead-letter channel and every sub-route into a known route configuration.
 */
final class RouteLint {

    static final String DEAD_LETTER_CHANNEL = "dead-letter-channel";
    private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\??([^}:]+)(:[^}]*)?}}");

    private final Properties properties;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> ids = new HashMap<>();
    private final Set<String> configurations = new HashSet<>();
    private final Set<String> deadLetterTargets = new HashSet<>();
    private final List<Route> routes = new ArrayList<>();

    private record Route(String file, String id, String from, String configuration) {
    }

    private RouteLint(Properties properties) {
        this.properties = properties;
    }

    /** Every problem found in the route files of {@code dir}; empty when they are fit to ship. */
    static List<String> problems(Path dir, Properties properties) throws IOException {
        RouteLint lint = new RouteLint(properties);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList()) {
                lint.read(file);
            }
        }
        lint.checkRoutes();
        return lint.problems;
    }

    private void read(Path file) throws IOException {
        String name = file.getFileName().toString();
        String text = Files.readString(file);
        checkPlaceholders(name, text);
        Object document;
        try (Reader reader = Files.newBufferedReader(file)) {
            document = new Load(LoadSettings.builder().build()).loadFromReader(reader);
        } catch (RuntimeException e) {
            problems.add(name + ": not valid YAML: " + e.getMessage());
            return;
        }
        if (!(document instanceof List<?> items)) {
            problems.add(name + ": must be a YAML list of routes and route configurations");
            return;
        }
        for (Object item : items) {
            if (item instanceof Map<?, ?> entry) {
                entry.forEach((kind, body) -> readEntry(name, String.valueOf(kind), (Map<?, ?>) body));
            }
        }
    }

    private void readEntry(String file, String kind, Map<?, ?> body) {
        String id = body.get("id") == null ? null : String.valueOf(body.get("id"));
        if (id == null) {
            problems.add(file + ": a " + kind + " has no id");
            return;
        }
        if (!KEBAB.matcher(id).matches()) {
            problems.add(file + ": id '" + id + "' is not kebab-case");
        }
        String earlier = ids.putIfAbsent(id, file);
        if (earlier != null) {
            problems.add(file + ": id '" + id + "' is already used in " + earlier);
        }
        switch (kind) {
            case "routeConfiguration" -> {
                configurations.add(id);
                deadLetterTargets.addAll(deadLetterUris(body));
            }
            case "route" -> {
                Object from = body.get("from") instanceof Map<?, ?> f ? f.get("uri") : null;
                Object configuration = body.get("routeConfigurationId");
                routes.add(new Route(file, id, String.valueOf(from), configuration == null ? null : String.valueOf(configuration)));
            }
            default -> { }
        }
    }

    private void checkRoutes() {
        for (Route route : routes) {
            String where = route.file() + ": route '" + route.id() + "'";
            if (deadLetterTargets.contains(route.from())) {
                // The dead-letter route itself must let its own failure through, so the record is not committed.
                if (route.configuration() != null) {
                    problems.add(where + " is the dead-letter path and must not opt into an error handler");
                }
            } else if (route.configuration() == null) {
                problems.add(where + " has no error path: set routeConfigurationId");
            } else if (!configurations.contains(route.configuration())) {
                problems.add(where + " names an unknown routeConfigurationId '" + route.configuration() + "'");
            } else if (!route.from().startsWith("direct:") && !DEAD_LETTER_CHANNEL.equals(route.configuration())) {
                problems.add(where + " consumes from outside the hub and must opt into " + DEAD_LETTER_CHANNEL);
            }
        }
    }

    private void checkPlaceholders(String file, String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            String key = m.group(1).trim();
            if (m.group(2) == null && !properties.containsKey(key)) {
                problems.add(file + ": placeholder {{" + key + "}} is not defined in application.properties");
            }
        }
    }

    private static Set<String> deadLetterUris(Map<?, ?> configuration) {
        Set<String> uris = new HashSet<>();
        if (configuration.get("errorHandler") instanceof Map<?, ?> handler
                && handler.get("deadLetterChannel") instanceof Map<?, ?> dlc && dlc.get("deadLetterUri") != null) {
            uris.add(String.valueOf(dlc.get("deadLetterUri")));
        }
        return uris;
    }
}
