package io.q2chub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the route lint over the project's routes/, and proves each rule catches what it is for. */
class RouteLintTest {

    @TempDir
    Path dir;

    @Test
    void projectRoutesPassTheLint() throws IOException {
        assertThat(RouteLint.problems(Path.of("routes"), applicationProperties())).isEmpty();
    }

    @Test
    void projectHasOneFilePerCapabilityPlusTheSharedErrorHandling() throws IOException {
        try (var files = Files.list(Path.of("routes"))) {
            assertThat(files.map(f -> f.getFileName().toString()).toList())
                    .contains("error-handling.camel.yaml", "transaction-ledger.camel.yaml")
                    .allMatch(name -> name.endsWith(".camel.yaml"));
        }
    }

    @Test
    void everyRouteFileIsMountedByTheKubernetesConfigMap() throws IOException {
        String kustomization = Files.readString(Path.of("k8s/base/kustomization.yaml"));
        try (var files = Files.list(Path.of("routes"))) {
            assertThat(files.map(f -> "../../routes/" + f.getFileName()).toList())
                    .allSatisfy(route -> assertThat(kustomization).contains(route));
        }
    }

    @Test
    void duplicateAndNonKebabIdsAreReported() throws IOException {
        write("a.camel.yaml", errorHandling() + route("same-id", "direct:a", "propagate-to-caller"));
        write("b.camel.yaml", route("same-id", "direct:b", "propagate-to-caller") + route("NotKebab", "direct:c", "propagate-to-caller"));
        assertThat(lint()).anyMatch(p -> p.contains("'same-id' is already used in a.camel.yaml"))
                .anyMatch(p -> p.contains("'NotKebab' is not kebab-case"));
    }

    @Test
    void unresolvablePlaceholderIsReportedButOneWithADefaultIsNot() throws IOException {
        write("a.camel.yaml", errorHandling()
                + route("reads-topic", "kafka:{{q2c.topics.nowhere}}", RouteLint.DEAD_LETTER_CHANNEL)
                + route("reads-default", "kafka:{{q2c.topics.elsewhere:fallback}}", RouteLint.DEAD_LETTER_CHANNEL));
        assertThat(lint()).containsExactly("a.camel.yaml: placeholder {{q2c.topics.nowhere}} is not defined in application.properties");
    }

    @Test
    void routeWithoutErrorPathOrWithTheWrongOneIsReported() throws IOException {
        write("a.camel.yaml", errorHandling()
                + route("no-error-path", "kafka:{{q2c.topics.customer}}", null)
                + route("swallows-errors", "kafka:{{q2c.topics.invoice}}", "propagate-to-caller")
                + route("unknown-config", "direct:x", "no-such-configuration"));
        assertThat(lint()).containsExactlyInAnyOrder(
                "a.camel.yaml: route 'no-error-path' has no error path: set routeConfigurationId",
                "a.camel.yaml: route 'swallows-errors' consumes from outside the hub and must opt into dead-letter-channel",
                "a.camel.yaml: route 'unknown-config' names an unknown routeConfigurationId 'no-such-configuration'");
    }

    @Test
    void unparseableFileIsReportedByName() throws IOException {
        write("broken.camel.yaml", "- route:\n    id: x\n   from: [\n");
        assertThat(lint()).singleElement().asString().startsWith("broken.camel.yaml: not valid YAML");
    }

    private List<String> lint() throws IOException {
        return RouteLint.problems(dir, applicationProperties());
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    private static String errorHandling() {
        return """
                - routeConfiguration:
                    id: dead-letter-channel
                    errorHandler:
                      deadLetterChannel:
                        deadLetterUri: direct:dead-letter
                - routeConfiguration:
                    id: propagate-to-caller
                - route:
                    id: dead-letter
                    from:
                      uri: direct:dead-letter
                      steps:
                        - log: parked
                """;
    }

    private static String route(String id, String from, String configuration) {
        return """
                - route:
                    id: %s
                %s    from:
                      uri: "%s"
                      steps:
                        - log: hello
                """.formatted(id, configuration == null ? "" : "    routeConfigurationId: " + configuration + "\n", from);
    }

    /** The keys every profile sees: profile-specific (%test...) lines do not count for production. */
    static Properties applicationProperties() throws IOException {
        Properties all = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            all.load(reader);
        }
        Properties common = new Properties();
        all.stringPropertyNames().stream().filter(k -> !k.startsWith("%")).forEach(k -> common.put(k, all.getProperty(k)));
        return common;
    }
}
