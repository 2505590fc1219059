package io.q2chub.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The application's log records as text lines (logger, message, parameters), for tests that assert what a log line
 * must not carry (payloads, signatures, secrets). Attached to the root logger until closed.
 */
public final class CapturedLog extends Handler implements AutoCloseable {

    private final List<String> lines = new ArrayList<>();

    private CapturedLog() {
    }

    public static CapturedLog attach() {
        CapturedLog log = new CapturedLog();
        Logger.getLogger("").addHandler(log);
        return log;
    }

    @Override
    public void publish(LogRecord record) {
        synchronized (lines) {
            lines.add(record.getLoggerName() + " " + record.getMessage() + " " + Arrays.toString(record.getParameters()));
        }
    }

    /** The lines logged so far. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
