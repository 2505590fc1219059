package io.q2chub.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of the hub process during the throughput phase (started and stopped with jcmd, so start-up is
 * measured without it), summarised: CPU samples (jdk.ExecutionSample) by top frame, by thread and by the code
 * they run in; samples of threads blocked in native code (jdk.NativeMethodSample: socket reads, epoll) by thread.
 */
final class FlightRecording {

    /** Where a sample's time goes: the first of these found on the stack, innermost first. */
    private static final Map<String, String> AREAS = new LinkedHashMap<>();

    static {
        AREAS.put("org.postgresql.", "PostgreSQL JDBC driver");
        AREAS.put("com.zaxxer.", "connection pool");
        AREAS.put("io.agroal.", "connection pool (Agroal)");
        AREAS.put("com.networknt.schema.", "JSON Schema validation");
        AREAS.put("com.fasterxml.jackson.", "Jackson (JSON)");
        AREAS.put("com.google.gson.", "Gson (stripe-java JSON)");
        AREAS.put("com.stripe.", "stripe-java");
        AREAS.put("org.apache.kafka.", "Kafka client");
        AREAS.put("io.opentelemetry.", "OpenTelemetry");
        AREAS.put("io.micrometer.", "Micrometer metrics");
        AREAS.put("org.jboss.logmanager.", "logging");
        AREAS.put("jdk.internal.net.http.", "JDK HttpClient");
        AREAS.put("java.net.http.", "JDK HttpClient");
        AREAS.put("io.netty.", "Netty / Vert.x I/O");
        AREAS.put("io.vertx.", "Netty / Vert.x I/O");
        AREAS.put("javax.crypto.", "crypto (HMAC signatures)");
        AREAS.put("com.sun.crypto.", "crypto (HMAC signatures)");
        AREAS.put("sun.security.", "crypto (HMAC signatures)");
        AREAS.put("io.q2chub.", "hub code (io.q2chub)");
        AREAS.put("org.apache.camel.", "Camel routing");
        AREAS.put("io.smallrye.faulttolerance.", "SmallRye Fault Tolerance");
        AREAS.put("io.quarkus.", "Quarkus");
    }

    private final long pid;
    private final Path file;

    FlightRecording(long pid, Path file) {
        this.pid = pid;
        this.file = file;
    }

    void start() throws Exception {
        jcmd("JFR.start", "name=bench", "settings=profile", "filename=" + file.toAbsolutePath());
    }

    void stop() throws Exception {
        jcmd("JFR.stop", "name=bench");
    }

    private void jcmd(String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid)));
        line.addAll(List.of(command));
        Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + ": " + out);
        }
    }

    /** The summary as Markdown. */
    String summary(int top) throws IOException {
        Map<String, Integer> selfFrames = new HashMap<>();
        Map<String, Integer> areas = new HashMap<>();
        Map<String, Integer> cpuThreads = new HashMap<>();
        Map<String, Integer> nativeThreads = new HashMap<>();
        Map<String, Integer> hubFrames = new HashMap<>();
        Map<String, Long> waits = new HashMap<>();
        int cpu = 0;
        int blocked = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            String type = event.getEventType().getName();
            if (event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (WAITS.contains(type)) {
                // Blocking the profile settings record (over 10 ms or 20 ms), on threads doing hub work only:
                // idle pools waiting for work are left out.
                frames.stream().filter(fr -> name(fr).startsWith("io.q2chub.")).findFirst().ifPresent(hub ->
                        waits.merge(type.substring(4) + " in " + name(hub) + " <- " + waitPoint(frames),
                                event.getDuration().toMillis(), Long::sum));
                continue;
            }
            if (!(type.equals("jdk.ExecutionSample") || type.equals("jdk.NativeMethodSample"))) {
                continue;
            }
            String thread = threadGroup(event.getThread("sampledThread") == null ? "?"
                    : event.getThread("sampledThread").getJavaName());
            if (type.equals("jdk.ExecutionSample")) {
                cpu++;
                if (!frames.isEmpty()) {
                    selfFrames.merge(name(frames.get(0)), 1, Integer::sum);
                }
                areas.merge(area(frames), 1, Integer::sum);
                cpuThreads.merge(thread, 1, Integer::sum);
                frames.stream().filter(f -> name(f).startsWith("io.q2chub.")).findFirst()
                        .ifPresent(f -> hubFrames.merge(name(f), 1, Integer::sum));
            } else if (type.equals("jdk.NativeMethodSample")) {
                blocked++;
                nativeThreads.merge(thread + " in " + (frames.isEmpty() ? "?" : name(frames.get(0))), 1, Integer::sum);
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("CPU samples (jdk.ExecutionSample, every 10 ms per running thread): ").append(cpu).append('\n');
        md.append("\nWhere CPU goes, by the innermost library on the stack:\n\n");
        table(md, areas, cpu, top);
        md.append("\nBy thread (numbered threads grouped):\n\n");
        table(md, cpuThreads, cpu, top);
        md.append("\nTop frames (self time):\n\n");
        table(md, selfFrames, cpu, top);
        md.append("\nInnermost hub method on the stack (io.q2chub, inclusive):\n\n");
        table(md, hubFrames, cpu, top);
        md.append("\nBlocking of threads doing hub work (jdk.ThreadPark, jdk.SocketRead, jdk.JavaMonitorEnter over the")
                .append(" profile thresholds), total milliseconds by the innermost hub method and what it waited in:\n\n");
        md.append("| ms | where |\n|---:|---|\n");
        waits.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> md.append("| ").append(e.getValue()).append(" | `").append(e.getKey()).append("` |\n"));
        md.append("\nThreads sampled while in native code (jdk.NativeMethodSample, every 20 ms; waiting on sockets): ")
                .append(blocked).append("\n\n");
        table(md, nativeThreads, blocked, top);
        return md.toString();
    }

    private static void table(StringBuilder md, Map<String, Integer> counts, int total, int top) {
        md.append("| share | samples | what |\n|---:|---:|---|\n");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> md.append(String.format("| %.1f %% | %d | `%s` |%n", 100.0 * e.getValue() / Math.max(1, total),
                        e.getValue(), e.getKey())));
    }

    private static final java.util.Set<String> WAITS = java.util.Set.of("jdk.ThreadPark", "jdk.SocketRead",
            "jdk.JavaMonitorEnter");

    /** The first frame outside the JDK's concurrency and I/O plumbing: what the thread was waiting for. */
    private static String waitPoint(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String name = name(frame);
            if (!name.startsWith("java.") && !name.startsWith("jdk.") && !name.startsWith("sun.")) {
                return name;
            }
        }
        return frames.isEmpty() ? "?" : name(frames.get(0));
    }

    private static String area(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String name = name(frame);
            for (Map.Entry<String, String> area : AREAS.entrySet()) {
                if (name.startsWith(area.getKey())) {
                    return area.getValue();
                }
            }
        }
        return frames.isEmpty() ? "?" : "JDK / other (" + name(frames.get(0)) + ")";
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /** "executor-thread-12" and "executor-thread-3" are one pool. */
    private static String threadGroup(String name) {
        return name == null ? "?" : name.replaceAll("\\d+", "#");
    }

    static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
