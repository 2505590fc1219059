package io.q2chub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the figures were measured on: cores, memory, JDK, load, and a process's resident memory and CPU time. */
final class Machine {

    private Machine() {
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    static String memory() {
        return firstLine("/proc/meminfo", "MemTotal:");
    }

    static String cpuModel() {
        return firstLine("/proc/cpuinfo", "model name").replaceFirst("model name\\s*:\\s*", "");
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String jdk() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }

    /** VmRSS of a process in MB, or -1 when it is gone. */
    static double rssMb(long pid) {
        String line = firstLine("/proc/" + pid + "/status", "VmRSS:");
        if (line.isEmpty()) {
            return -1;
        }
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
    }

    /** User + system CPU time of a process in seconds (clock ticks of /proc/<pid>/stat, 100 a second). */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String firstLine(String file, String prefix) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("").trim();
        } catch (IOException e) {
            return "";
        }
    }
}
