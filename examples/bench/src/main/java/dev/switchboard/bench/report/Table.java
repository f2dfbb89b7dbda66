package dev.switchboard.bench.report;

import dev.switchboard.bench.Machine;
import dev.switchboard.bench.fanout.FanoutReport;
import dev.switchboard.bench.fanout.RunResult;
import dev.switchboard.bench.fanout.StepResult;
import dev.switchboard.bench.fanout.Summary;

import java.io.PrintStream;
import java.util.Map;

/** The final table on stdout: one row per run and target, the medians, the ratio, and warnings. */
public final class Table {
  /** Above this CPU use (of its one core) the load generator may be what limits the result. */
  public static final double BUSY_PERCENT = 90;
  /** Above this CPU use by other processes the machine was not quiet enough for a clean measurement. */
  public static final double OTHER_PERCENT = 10;
  private static final String ROW = "%-16s %10s %12s %8s %8s %8s %9s %8s %8s %6s %7s %6s%n";

  private Table() {
  }

  public static void print(FanoutReport report, PrintStream out) {
    Map<String, Object> s = report.settings();
    Machine m = report.machine();
    out.println();
    out.printf("Fan-out: %s subscribers, %s publisher(s), payload %s B, rate %s, steps of %s ms, %s run(s);"
            + " a step passes with no loss, no error and p99 < %s ms%n", s.get("subscribers"), s.get("publishers"),
        s.get("payload"), s.get("rate"), s.get("durationMs"), s.get("runs"), s.get("maxP99Ms"));
    out.printf("Machine: %d CPUs (%s), %s; load generator on CPU %s, servers on CPU %s%n", m.cpus(), m.cpuModel(),
        m.java(), m.loadCpus(), m.nodeCpus());
    out.println();
    out.printf(ROW, "target / run", "publish/s", "delivered/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms",
        "lost", "bench", "server", "other");
    boolean busy = false;
    boolean noisy = false;
    for (RunResult r : report.runs()) {
      StepResult b = r.best();
      if (b == null) {
        out.printf("%-16s no step passed (%d steps)%n", r.target() + " " + r.run(), r.steps().size());
        continue;
      }
      busy |= b.benchCpu() > BUSY_PERCENT;
      noisy |= b.otherCpu() > OTHER_PERCENT;
      out.printf(ROW, r.target() + " " + r.run(), Fmt.count(b.sentPerSec()), Fmt.count(b.deliveredPerSec()),
          Fmt.ms(b.p50Ms()), Fmt.ms(b.p90Ms()), Fmt.ms(b.p99Ms()), Fmt.ms(b.p999Ms()), Fmt.ms(b.maxMs()), b.lost(),
          Fmt.percent(b.benchCpu()), Fmt.percent(b.serverCpu()), Fmt.percent(b.otherCpu()));
    }
    for (Summary sum : report.summaries()) {
      out.printf(ROW, sum.target() + " median", Fmt.count(sum.sentPerSec()), Fmt.count(sum.deliveredPerSec()),
          Fmt.ms(sum.p50Ms()), Fmt.ms(sum.p90Ms()), Fmt.ms(sum.p99Ms()), Fmt.ms(sum.p999Ms()), Fmt.ms(sum.maxMs()),
          "", Fmt.percent(sum.benchCpu()), Fmt.percent(sum.serverCpu()), Fmt.percent(sum.otherCpu()));
    }
    out.println();
    if (!Double.isNaN(report.ratio())) {
      out.printf("broker/ceiling (median delivered/s): %s%n", Fmt.ratio(report.ratio()));
    }
    out.println("bench, server, other: CPU use in % of one core over the step, by the load generator, the server"
        + " (if started here or given by --server-pid) and every other process");
    if (busy) {
      out.printf("WARNING: the load generator used more than %.0f%% of its core in a counted step: that result may"
          + " be limited by the load generator, not the server.%n", BUSY_PERCENT);
    }
    if (noisy) {
      out.printf("WARNING: other processes used more than %.0f%% of a core during a counted step: the machine was"
          + " not quiet; run again when it is.%n", OTHER_PERCENT);
    }
  }
}
