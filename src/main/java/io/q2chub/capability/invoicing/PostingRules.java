package io.q2chub.capability.invoicing;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The posting rules in force, read from a YAML file outside the build ({@code q2c.posting.rules-file}, a ConfigMap
 * in Kubernetes) so finance can change them without a release. Checked at start-up: a broken file stops the hub
 * with every problem named. Afterwards the file's modification time is checked on each use; a changed file is
 * re-read, and a broken edit is refused with a logged error while the last good rules stay in force.
 */
@ApplicationScoped
public class PostingRules {

    private static final Logger LOG = Logger.getLogger(PostingRules.class);

    private final Path file;
    private volatile Loaded loaded;

    private record Loaded(PostingRuleSet rules, FileTime modified, long size) {
    }

    public PostingRules(@ConfigProperty(name = "q2c.posting.rules-file") String file) {
        this.file = Path.of(file);
    }

    void validateAtStartup(@Observes StartupEvent started) {
        try {
            loaded = read();
        } catch (PostingRuleSet.Invalid e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        LOG.infof("posting rules %s: %d products, %d legal entities", file.toAbsolutePath(),
                loaded.rules().products().size(), loaded.rules().legalEntities().size());
    }

    /** The rules as the file now says, or the last good ones when the file's latest edit is broken. */
    PostingRuleSet current() {
        Loaded known = loaded;
        FileTime modified = modifiedTime();
        long size = size();
        if (known != null && Objects.equals(known.modified(), modified) && known.size() == size) {
            return known.rules();
        }
        synchronized (this) {
            if (loaded != null && Objects.equals(loaded.modified(), modified) && loaded.size() == size) {
                return loaded.rules();
            }
            try {
                loaded = read();
                LOG.infof("posting rules %s changed and reloaded", file);
            } catch (PostingRuleSet.Invalid e) {
                if (loaded == null) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                LOG.errorf("%s%n  the previous rules stay in force until the file is fixed", e.getMessage());
                // remembered as seen, so the error is logged once per edit, not on every invoice
                loaded = new Loaded(loaded.rules(), modified, size);
            }
            return loaded.rules();
        }
    }

    String source() {
        return file.toString();
    }

    private Loaded read() throws PostingRuleSet.Invalid {
        FileTime modified = modifiedTime();
        long size = size();
        if (modified == null) {
            LOG.warnf("posting rules file %s does not exist: every invoice will be parked until it does",
                    file.toAbsolutePath());
            return new Loaded(PostingRuleSet.EMPTY, null, -1);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new Loaded(PostingRuleSet.parse(file.toString(), in), modified, size);
        } catch (IOException e) {
            throw new UncheckedIOException("posting rules " + file + " cannot be read", e);
        }
    }

    private FileTime modifiedTime() {
        try {
            return Files.getLastModifiedTime(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long size() {
        try {
            return Files.exists(file) ? Files.size(file) : -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
