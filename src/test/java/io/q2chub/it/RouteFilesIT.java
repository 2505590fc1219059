package io.q2chub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.q2chub.testing.HubProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routes are files an operator edits: the packaged hub loads them from a configurable directory, refuses to
 * start on a broken one naming the file, and (with reload on) picks up an edit without a rebuild or restart.
 */
class RouteFilesIT {

    @TempDir
    Path routes;

    @Test
    void aRouteFileThatDoesNotParseStopsStartUpNamingTheFileAndTheProblem() throws Exception {
        copyProjectRoutes();
        Path broken = routes.resolve("broken.camel.yaml");
        Files.writeString(broken, """
                - route:
                    id: broken-route
                    from:
                      uri: direct:broken
                      steps:
                        - tooo: log:typo
                """);
        try (HubProcess hub = HubProcess.start(Map.of("Q2C_ROUTES_DIR", routes.toString()),
                Map.of("q2c.sandbox.demo-interval-seconds", "0"))) {
            assertThat(hub.awaitExit(Duration.ofSeconds(90))).isNotZero();
            assertThat(hub.output()).contains(broken.toString()).contains("tooo").contains("line 6");
        }
    }

    @Test
    void editingARouteFileChangesBehaviourWithoutARebuild() throws Exception {
        copyProjectRoutes();
        try (HubProcess hub = HubProcess.start(
                Map.of("Q2C_ROUTES_DIR", routes.toString(), "Q2C_ROUTES_RELOAD", "true"),
                Map.of("q2c.sandbox.demo-interval-seconds", "0"))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> get(hub, "/api/ledger/nothing-yet") == 404);

            Path greeting = routes.resolve("greeting.camel.yaml");
            Files.writeString(greeting, greetingRoute("first version"));
            await().atMost(Duration.ofSeconds(30)).until(() -> "first version".equals(body(hub, "/api/greeting")));

            Files.writeString(greeting, greetingRoute("edited by an operator"));
            await().atMost(Duration.ofSeconds(30)).until(() -> "edited by an operator".equals(body(hub, "/api/greeting")));
        }
    }

    @Test
    void withoutTheSandboxAMissingSettingFailsStartUpNamingEveryMissingKey() throws Exception {
        try (HubProcess hub = HubProcess.start(Map.of("Q2C_SANDBOX", "false"), Map.of())) {
            assertThat(hub.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(hub.output()).contains("q2c.kafka.bootstrap-servers", "q2c.db.url", "q2c.db.username",
                    "q2c.db.password");
        }
    }

    private static String greetingRoute(String text) {
        return """
                - route:
                    id: greeting
                    from:
                      uri: platform-http:/api/greeting
                      steps:
                        - setBody:
                            constant: "%s"
                """.formatted(text);
    }

    private void copyProjectRoutes() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
    }

    private static int get(HubProcess hub, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hub.url(path))).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String body(HubProcess hub, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hub.url(path))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return null;
        }
    }
}
