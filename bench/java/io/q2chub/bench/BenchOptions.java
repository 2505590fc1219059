package io.q2chub.bench;

import java.util.HashMap;
import java.util.Map;

/** The knobs of one benchmark run, from {@code --key=value} arguments (bench/run passes them through). */
record BenchOptions(int events, int concurrency, int warmup, int latencySeconds, int outageSeconds, double steadyRate,
        boolean profile, String resultsDir, int netsuiteLatencyMs) {

    static BenchOptions parse(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --key=value, got " + arg);
            }
            given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return new BenchOptions(
                Integer.parseInt(given.getOrDefault("events", "1000")),
                Integer.parseInt(given.getOrDefault("concurrency", "8")),
                Integer.parseInt(given.getOrDefault("warmup", "300")),
                Integer.parseInt(given.getOrDefault("latency-seconds", "20")),
                Integer.parseInt(given.getOrDefault("outage-seconds", "600")),
                // 0 = a tenth of the hub's measured maximum (the headroom an operator would plan for)
                Double.parseDouble(given.getOrDefault("steady-rate", "0")),
                Boolean.parseBoolean(given.getOrDefault("profile", "true")),
                given.getOrDefault("results", "bench/results"),
                // every NetSuite request takes at least this long (a real account answers in tens to hundreds of
                // ms): shows how the hub overlaps waits, which simulators answering at once hide
                Integer.parseInt(given.getOrDefault("netsuite-latency-ms", "0")));
    }
}
