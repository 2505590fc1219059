package io.q2chub.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one run measured, filled in phase by phase and written out by {@link BenchReport}. */
final class Figures {

    BenchOptions options;
    String startedAt;
    String loadAtStart;
    String loadAtEnd;
    String hubJvmOptions;
    int customers;

    // start-up
    double startupToFirstEventSeconds;
    String quarkusStartedIn;
    double rssIdleMb;

    // throughput
    int warmupEvents;
    double hubRate;
    double hubSeconds;
    double baselineRate;
    double baselineSeconds;
    long baselineHttpFailures;
    double hubCpuShare;
    double benchCpuShare;
    long webhookRetries;
    long webhookFailures;

    // per event
    double netsuiteCallsPerEvent;
    double stripeCallsPerEvent;
    Map<String, Double> netsuiteCallsByKind = new LinkedHashMap<>();
    Map<String, Double> stripeCallsByOperation = new LinkedHashMap<>();
    double idempotencyStatementsPerEvent;
    double statementsPerEvent;
    double commitsPerEvent;
    List<StatementCounts.Row> idempotencyStatements = new ArrayList<>();
    List<StatementCounts.Row> topStatements = new ArrayList<>();

    // latency
    double latencyRate;
    int latencyEvents;
    double p50Ms;
    double p99Ms;
    double maxMs;
    double simulatorMsPerEvent;

    // outage
    double steadyRate;
    int backlog;
    double backlogProducedSeconds;
    double firstPostAfterRecoverySeconds;
    double drainSeconds;
    double drainRate;
    long netsuite429;
    long stripe429;

    // memory
    double rssMaxMb;

    String profile = "";
    List<String> notes = new ArrayList<>();
    Map<String, String> exceptionCases = new LinkedHashMap<>();
}
