package io.q2chub.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Published schemas are frozen: consumers in other teams code against them and replays push old events through
 * the current ones. {@code src/test/resources/schemas/published/v1/} holds the schemas as published; every one of
 * them must still be satisfied by its current counterpart in {@code src/main/resources/schemas/canonical/v1/}.
 *
 * <p>An incompatible change needs a new version (a {@code .v2} type with its own schema), not an edit of v1. A
 * compatible change (an added optional property) is published by copying the current schema over the baseline.
 */
class SchemaFreezeTest {
    private static final String PUBLISHED = "schemas/published/v1/";

    @Test
    void everyPublishedSchemaStillHasItsCurrentVersion() throws Exception {
        Set<String> current = EventTypes.all().stream().map(EventTypes::schemaFileOf)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(publishedFiles())
                .as("published schemas without a current schema in %s (published types cannot be withdrawn)",
                        EventTypes.SCHEMA_RESOURCE_DIR)
                .isSubsetOf(current);
    }

    @Test
    void everyCurrentSchemaIsPublished() throws Exception {
        for (String type : EventTypes.all()) {
            assertThat(publishedFiles())
                    .as("%s has no published baseline: copy %s to src/test/resources/%s once it is released",
                            type, EventTypes.schemaResourceOf(type), PUBLISHED)
                    .contains(EventTypes.schemaFileOf(type));
        }
    }

    @Test
    void currentSchemasAreCompatibleWithThePublishedOnes() throws Exception {
        SchemaCompatibility compatibility = new SchemaCompatibility();
        List<String> problems = new ArrayList<>();
        for (String file : publishedFiles()) {
            JsonNode published = read(PUBLISHED + file);
            JsonNode current = read(EventTypes.SCHEMA_RESOURCE_DIR + file);
            if (current == null) {
                continue; // reported by everyPublishedSchemaStillHasItsCurrentVersion
            }
            compatibility.incompatibilities(published, current).forEach(problem -> problems.add(file + " " + problem));
        }

        assertThat(problems)
                .as("incompatible changes to published schemas; publish a new version instead")
                .isEmpty();
    }

    private static Set<String> publishedFiles() throws IOException, URISyntaxException {
        URL dir = SchemaFreezeTest.class.getClassLoader().getResource(PUBLISHED);
        assertThat(dir).as("classpath directory %s", PUBLISHED).isNotNull();
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".json"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static JsonNode read(String resource) throws IOException {
        try (InputStream in = SchemaFreezeTest.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : CanonicalJson.mapper().readTree(in);
        }
    }
}
