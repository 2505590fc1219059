package io.q2chub.sandbox;

import org.jboss.logging.Logger;

/**
 * After a SIGKILL of the hub, its embedded postmaster keeps running with no parent. It holds nothing anyone
 * needs (every start uses a fresh data directory), so the next start stops it.
 */
final class OrphanedPostgres {

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
        return commandLine.contains("embedded-pg") && commandLine.contains("bin/postgres");
    }
}
