package io.q2chub.sandbox;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * After a SIGKILL of the hub, its embedded postmaster keeps running with no parent. It holds nothing anyone
 * needs (every start uses a fresh data directory), so the next start stops it. Every postmaster is reparented
 * once started, live or not, so "orphaned" means: the JVM named in its data directory no longer runs. Servers of
 * other live hubs and test runs on the same machine are left alone.
 */
final class OrphanedPostgres {

    static final String DATA_DIR_PREFIX = "q2c-pg-";
    private static final Pattern OWNER = Pattern.compile("-D \\S*" + DATA_DIR_PREFIX + "(\\d+)-");

    private static final Logger LOG = Logger.getLogger(OrphanedPostgres.class);

    private OrphanedPostgres() {
    }

    static void reap() {
        ProcessHandle.allProcesses()
                .filter(p -> p.parent().map(parent -> parent.pid() == 1).orElse(false))
                .filter(p -> p.info().commandLine().map(OrphanedPostgres::isEmbeddedPostmaster).orElse(false))
                .forEach(p -> {
                    LOG.infof("stopping orphaned embedded PostgreSQL (pid %d) left by an earlier run", p.pid());
                    p.destroy();
                });
    }

    private static boolean isEmbeddedPostmaster(String commandLine) {
        if (!commandLine.contains("bin/postgres")) {
            return false;
        }
        Matcher owner = OWNER.matcher(commandLine);
        return owner.find() && ProcessHandle.of(Long.parseLong(owner.group(1))).map(p -> !p.isAlive()).orElse(true);
    }
}
