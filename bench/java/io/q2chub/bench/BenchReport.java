package io.q2chub.bench;

import java.util.Map;

/** The results file: the machine, every figure beside its target, and where the time goes. */
final class BenchReport {

    private final Figures f;

    BenchReport(Figures figures) {
        this.f = figures;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Invoice-posting benchmark, ").append(f.startedAt).append("\n\n");
        md.append("Written by `bench/run` (`io.q2chub.bench.InvoicePostingBench`, arguments `")
                .append(args()).append("`).\n\n");
        md.append("## Machine\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| cores | ").append(Machine.cores()).append(" (").append(Machine.cpuModel()).append(") |\n");
        md.append("| memory | ").append(Machine.memory().replace("MemTotal:", "").trim()).append(" |\n");
        md.append("| JDK | ").append(Machine.jdk()).append(" |\n");
        md.append("| load average at start (1, 5, 15 min) | ").append(f.loadAtStart).append(" |\n");
        md.append("| load average at end | ").append(f.loadAtEnd).append(" |\n\n");
        md.append("Everything shares these cores: the hub (a JVM of its own, `").append(f.hubJvmOptions)
                .append("`, i.e. the heap a 1 GiB container limit gives, as in k8s/base), and in the bench JVM the")
                .append(" Kafka broker (KRaft), the Stripe and NetSuite simulators (no added latency) and the load")
                .append(" generator; PostgreSQL (zonky) is a child process. The machine is shared with other builds,")
                .append(" see the load average.\n\n");
        md.append("The hub runs the packaged build (`target/quarkus-app`) in the production profile with `Q2C_SANDBOX=false`:")
                .append(" broker, database and both vendors are configured as in production and point at the bench's")
                .append(" instances. NetSuite account concurrency limit 5, hub budget 5 (defaults). Stripe: the")
                .append(" simulator admits ").append(20_000).append(" requests/s and the hub's budget is raised to 10,000/s")
                .append(" (`Q2C_STRIPE_REQUESTS_PER_SECOND`); with the default 80/s the pipeline cannot exceed 40")
                .append(" invoices/s, because each invoice costs 2 Stripe calls (see API calls below).\n\n");

        md.append("## Figures\n\n");
        md.append("| measure | result | target | |\n|---|---:|---|---|\n");
        row(md, "hub, events/s (signed webhook -> NetSuite invoice, " + f.options.events() + " events, "
                + f.options.concurrency() + " concurrent senders)", fmt(f.hubRate), ">= 3,000", f.hubRate >= 3000);
        row(md, "bare baseline, events/s (same I/O, same concurrency)", fmt(f.baselineRate), "", null);
        if (f.baselineRate > 0) {
            row(md, "ratio hub / baseline", String.format("%.3f", f.hubRate / f.baselineRate), ">= 0.8",
                    f.hubRate / f.baselineRate >= 0.8);
        } else {
            row(md, "ratio hub / baseline", "not measured (baseline failed, see Notes)", ">= 0.8", null);
        }
        row(md, String.format("end-to-end latency p50 at %.0f events/s (50 %% of max, open loop, %d events), minus"
                + " simulators' own %.2f ms", f.latencyRate, f.latencyEvents, f.simulatorMsPerEvent),
                String.format("%.1f ms", f.p50Ms - f.simulatorMsPerEvent), "", null);
        row(md, "end-to-end latency p99, same", String.format("%.1f ms", f.p99Ms - f.simulatorMsPerEvent),
                "overhead <= 20 ms", f.p99Ms - f.simulatorMsPerEvent <= 20);
        row(md, "database round trips per event for idempotency (statements on idempotency_key)",
                String.format("%.2f", f.idempotencyStatementsPerEvent), "1", f.idempotencyStatementsPerEvent <= 1.0001);
        row(md, "API calls per business transaction: NetSuite", String.format("%.2f", f.netsuiteCallsPerEvent), "", null);
        row(md, "API calls per business transaction: Stripe", String.format("%.2f", f.stripeCallsPerEvent), "", null);
        row(md, "API calls per business transaction: Salesforce", "0 (CRM off: orders are not part of this pipeline)", "", null);
        row(md, String.format("drain rate after an ERP outage backlog (%d events = %d s at %.1f/s)", f.backlog,
                f.options.outageSeconds(), f.steadyRate), fmt(f.drainRate) + " events/s = "
                + String.format("%.1f x steady state", f.drainRate / f.steadyRate), ">= 5 x", f.drainRate / f.steadyRate >= 5);
        row(md, "throttling answers received beyond the budget (429: NetSuite + Stripe, whole run)",
                String.valueOf(f.netsuite429 + f.stripe429), "0", f.netsuite429 + f.stripe429 == 0);
        row(md, "RSS of the hub under load (max VmRSS, sampled every 200 ms)", String.format("%.0f MB", f.rssMaxMb),
                "<= 350 MB", f.rssMaxMb <= 350);
        row(md, "start-up of the production profile to the first consumed event (JVM)",
                String.format("%.2f s", f.startupToFirstEventSeconds), "<= 3 s", f.startupToFirstEventSeconds <= 3);
        md.append('\n');

        md.append("## How each figure was measured\n\n");
        md.append("- **Events/s**: ").append(f.options.events()).append(" `invoice.finalized` events (USD, one PLAT-SUB")
                .append(" line, US-CA tax) of ").append(f.customers).append(" customers the hub onboarded itself at")
                .append(" start-up. The invoices exist in the Stripe simulator; the load generator POSTs the events the")
                .append(" simulator recorded, signed as Stripe signs them, to `/webhooks/stripe` from ")
                .append(f.options.concurrency()).append(" threads (closed loop; a non-2xx answer is retried after 50 ms).")
                .append(" Time from the first POST to the last `PUT /invoice/eid:...` the NetSuite simulator answered;")
                .append(" the count comes from the simulator. After a warm-up of ").append(f.warmupEvents)
                .append(" events. Webhooks retried: ").append(f.webhookRetries).append(", given up: ")
                .append(f.webhookFailures).append(String.format(". CPU used during the phase: hub %.0f %%, bench JVM"
                        + " (broker, simulators, load) %.0f %% of the %d cores.%n", 100 * f.hubCpuShare,
                        100 * f.benchCpuShare, Machine.cores()));
        md.append("- **Baseline**: ").append(f.options.concurrency()).append(" threads each publish one record with a")
                .append(" plain kafka-clients producer (acks=all, idempotent) and wait for the acknowledgement; one")
                .append(" plain consumer (invoice-posting has one) does per record one")
                .append(" `INSERT ... ON CONFLICT DO NOTHING` and one TBA-signed `PUT /invoice/eid:...` to the same")
                .append(" NetSuite simulator, and commits per poll. Same count of events, after its own warm-up.")
                .append(" NetSuite answers other than 2xx: ").append(f.baselineHttpFailures).append(".\n");
        md.append("- **Latency**: open loop, event i due at start + i / rate whatever happened before, latency from")
                .append(" when it was due to when NetSuite answered its invoice PUT. The simulators' own time (measured")
                .append(" inside them: mean per request x 2 NetSuite calls + 1 Stripe call on the path) is subtracted.")
                .append(String.format(" Raw: p50 %.1f ms, p99 %.1f ms, max %.1f ms.%n", f.p50Ms, f.p99Ms, f.maxMs));
        md.append("- **Database round trips**: PostgreSQL's own `pg_stat_statements` (loaded into the embedded server")
                .append(" for the bench), reset before the throughput phase and read once every write-back was done;")
                .append(String.format(" all statements %.2f per event, transactions committed (pg_stat_database) %.2f"
                        + " per event.%n", f.statementsPerEvent, f.commitsPerEvent));
        md.append("- **API calls**: the simulators' request counters over the throughput phase, divided by the events")
                .append(" (ingress, posting and the billing write-back).\n");
        md.append("- **Outage**: NetSuite answers every request 503 while a backlog of ").append(f.backlog)
                .append(" webhooks (what ").append(f.options.outageSeconds()).append(" s at the steady-state rate of ")
                .append(String.format("%.1f/s would pile up; the steady state is taken as a tenth of the measured maximum"
                        + " unless --steady-rate is given) is accepted by the ingress. The backlog was produced"
                        + " compressed, in %.1f s instead of %d s. Then NetSuite answers again; drain time from"
                        + " recovery to the last invoice posted: %.1f s (first invoice posted %.1f s after recovery:"
                        + " the circuit breaker's delay before its probe).%n", f.steadyRate, f.backlogProducedSeconds,
                        f.options.outageSeconds(), f.drainSeconds, f.firstPostAfterRecoverySeconds));
        md.append("- **RSS**: `/proc/<pid>/status` VmRSS of the hub process; after start-up and onboarding, idle: ")
                .append(String.format("%.0f MB.%n", f.rssIdleMb));
        md.append("- **Start-up**: from launching `java -jar target/quarkus-app/quarkus-run.jar` to the NetSuite")
                .append(" simulator answering the hub's first request, for a customer event that was waiting on the")
                .append(" topic before the launch. Quarkus's own \"started in\": ").append(f.quarkusStartedIn).append(".\n\n");

        md.append("### API calls per invoice\n\n| system | call | per invoice |\n|---|---|---:|\n");
        f.netsuiteCallsByKind.forEach((k, v) -> { if (v > 0) md.append("| NetSuite | `").append(k).append("` | ").append(String.format("%.2f", v)).append(" |\n"); });
        f.stripeCallsByOperation.forEach((k, v) -> { if (v > 0) md.append("| Stripe | `").append(k).append("` | ").append(String.format("%.2f", v)).append(" |\n"); });
        md.append("\n### Statements on idempotency_key per event\n\n| per event | statement |\n|---:|---|\n");
        f.idempotencyStatements.forEach(r -> md.append(String.format("| %.2f | `%s` |%n", r.calls() / (double) f.options.events(), shorten(r.query()))));
        md.append("\n### Most frequent statements per event (all tables)\n\n| per event | statement |\n|---:|---|\n");
        f.topStatements.forEach(r -> md.append(String.format("| %.2f | `%s` |%n", r.calls() / (double) f.options.events(), shorten(r.query()))));

        md.append("\n## Where the time goes (JFR of the hub during the throughput phase)\n\n");
        md.append(f.profile.isEmpty() ? "Profiling was off (--profile=false).\n" : f.profile);
        md.append("\n## Exception cases at the end of the run\n\n");
        if (f.exceptionCases.isEmpty()) {
            md.append("None.\n");
        } else {
            f.exceptionCases.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        }
        if (!f.notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            f.notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        return md.toString();
    }

    private String args() {
        BenchOptions o = f.options;
        return "--events=" + o.events() + " --concurrency=" + o.concurrency() + " --warmup=" + o.warmup()
                + " --latency-seconds=" + o.latencySeconds() + " --outage-seconds=" + o.outageSeconds()
                + (o.steadyRate() > 0 ? " --steady-rate=" + o.steadyRate() : "")
                + (o.netsuiteLatencyMs() > 0 ? " --netsuite-latency-ms=" + o.netsuiteLatencyMs() : "");
    }

    private static void row(StringBuilder md, String measure, String result, String target, Boolean met) {
        md.append("| ").append(measure).append(" | ").append(result).append(" | ").append(target).append(" | ")
                .append(met == null ? "" : met ? "met" : "**missed**").append(" |\n");
    }

    private static String fmt(double rate) {
        return String.format("%,.0f", rate);
    }

    private static String shorten(String query) {
        String q = query.replace("|", "\\|");
        return q.length() > 160 ? q.substring(0, 157) + "..." : q;
    }
}
