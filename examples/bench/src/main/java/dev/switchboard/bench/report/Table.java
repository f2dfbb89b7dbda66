package dev.switchboard.bench.report;

import dev.switchboard.bench.Machine;
import dev.switchboard.bench.fanout.ChurnResult;
import dev.switchboard.bench.fanout.FanoutReport;
import dev.switchboard.bench.fanout.RunResult;
import dev.switchboard.bench.fanout.Setup;
import dev.switchboard.bench.fanout.StepResult;
import dev.switchboard.bench.fanout.Summary;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The final table of fanout, topics and cross on stdout: one row per run and target, the medians, the ratio, how
 * long subscribing took (topics, cross), the churn (topics), and warnings.
 */
public final class Table {
  /** Above this CPU use (of its one core) the load generator may be what limits the result. */
  public static final double BUSY_PERCENT = 90;
  /** Above this CPU use by other processes the machine was not quiet enough for a clean measurement. */
  public static final double OTHER_PERCENT = 10;
  /** The goal for two clustered nodes with the subscribers split, against one node. */
  public static final double CROSS_GOAL = 0.90;
  private static final String ROW = "%-16s %10s %12s %8s %8s %8s %9s %8s %8s %6s %7s %6s%n";

  private Table() {
  }

  public static void print(FanoutReport report, PrintStream out) {
    Map<String, Object> s = report.settings();
    Machine m = report.machine();
    out.println();
    out.println(title(s) + String.format(", payload %s B, rate %s, steps of %s ms, %s run(s); a step passes with no"
        + " loss, no error and p99 < %s ms", s.get("payload"), s.get("rate"), s.get("durationMs"), s.get("runs"),
        s.get("maxP99Ms")));
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
      out.printf("%s (median delivered/s): %s%s%n", report.ratioLabel(), Fmt.ratio(report.ratio()),
          "cross".equals(s.get("scenario")) ? goal(report.ratio(), s) : "");
    }
    if (!"fanout".equals(s.get("scenario"))) {
      setups(report, out);
    }
    churn(report, out);
    out.println("bench, server, other: CPU use in % of one core over the step, by the load generator, the server(s)"
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

  /** The first line: what was measured. */
  static String title(Map<String, Object> s) {
    switch (String.valueOf(s.get("scenario"))) {
      case "topics":
        return String.format("Many topics: %s subscribers on %s topics, %s publisher(s) spreading messages"
            + " round-robin over the topics", s.get("subscribers"), s.get("topics"), s.get("publishers"));
      case "cross":
        return String.format("Cross-node: %s subscribers %s, %s publisher(s) on node 1, %s topic(s)",
            s.get("subscribers"), Boolean.TRUE.equals(s.get("split")) ? "split between node 1 and node 2"
                : "on node 2", s.get("publishers"), s.get("topics"));
      default:
        return String.format("Fan-out: %s subscribers, %s publisher(s)", s.get("subscribers"), s.get("publishers"));
    }
  }

  private static String goal(double ratio, Map<String, Object> s) {
    if (!"max".equals(s.get("rate"))) {
      return " (at a fixed rate both deliver what is offered; compare with --rate max)";
    }
    return String.format(Locale.ROOT, " (goal for split subscribers: at least %.2f; %s)", CROSS_GOAL,
        ratio >= CROSS_GOAL ? "met" : "NOT met");
  }

  /** How long subscribing took in each run: the cost of registering the topics in the cluster. */
  private static void setups(FanoutReport report, PrintStream out) {
    for (RunResult r : report.runs()) {
      Setup s = r.setup();
      if (s != null) {
        out.printf(Locale.ROOT, "%s %d: %d subscriptions on %d topics subscribed in %.2f s: %s topics/s, %s"
                + " subscriptions/s; every subscriber had a delivery %.2f s later%n", r.target(), r.run(),
            s.subscribers(), s.topics(), s.subscribeSeconds(), Fmt.count(s.topicsPerSec()),
            Fmt.count(s.subscriptionsPerSec()), s.readySeconds());
      }
    }
  }

  private static void churn(FanoutReport report, PrintStream out) {
    for (RunResult r : report.runs()) {
      ChurnResult c = r.best() == null ? null : r.best().churn();
      if (c != null) {
        out.printf("%s %d churn: %s subscribe+unsubscribe pairs/s asked, %s done (%d completed, %d failed); pair"
                + " p50 %s ms, p99 %s ms, max %s ms%s%n", r.target(), r.run(), Fmt.count(c.askedPerSec()),
            Fmt.count(c.perSec()), c.completed(), c.failed(), Fmt.ms(c.p50Ms()), Fmt.ms(c.p99Ms()),
            Fmt.ms(c.maxMs()), c.perSec() < 0.9 * c.askedPerSec() ? " (fell behind)" : "");
      }
    }
  }
}
