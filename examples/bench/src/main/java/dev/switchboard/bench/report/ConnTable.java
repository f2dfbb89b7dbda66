package dev.switchboard.bench.report;

import dev.switchboard.bench.Machine;
import dev.switchboard.bench.conn.ConnReport;
import dev.switchboard.bench.conn.ConnResult;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The final table of the storm and idle scenarios on stdout. */
public final class ConnTable {
  private static final String ROW = "%-16s %9s %8s %11s %9s %9s %9s %8s %8s %11s %11s %6s %7s%n";

  private ConnTable() {
  }

  public static void print(ConnReport report, PrintStream out) {
    Map<String, Object> s = report.settings();
    Machine m = report.machine();
    out.println();
    out.printf("%s: %s connections, connect rate %s, %s topic(s), %s run(s)%n", s.get("scenario"),
        s.get("connections"), s.get("connectRate"), s.get("topics"), s.get("runs"));
    out.printf("Machine: %d CPUs (%s), %s; load generator on CPU %s, servers on CPU %s%n", m.cpus(), m.cpuModel(),
        m.java(), m.loadCpus(), m.nodeCpus());
    out.println();
    out.printf(ROW, "target / run", "subscribed", "failed", "seconds", "subs/s", "p50 ms", "p99 ms", "max ms",
        "dropped", "heap/conn", "rss/conn", "bench", "server");
    for (ConnResult r : report.runs()) {
      out.printf(ROW, r.target() + " " + r.run(), r.subscribed(), r.failures(), String.format(Locale.ROOT, "%.1f",
              r.seconds()), Fmt.count(r.subscribedPerSec()), Fmt.ms(r.subscribedP50Ms()), Fmt.ms(r.subscribedP99Ms()),
          Fmt.ms(r.subscribedMaxMs()), r.droppedDuringHold(), bytes(r.heapPerConnection()),
          bytes(r.rssPerConnection()), Fmt.percent(r.benchCpu()), Fmt.percent(r.serverCpu()));
      if (r.firstFailure() != null) {
        out.println("    first failure: " + r.firstFailure());
      }
    }
    for (ConnReport.TargetMedians t : report.medians()) {
      out.printf(ROW, t.target() + " median", "", t.failures(), String.format(Locale.ROOT, "%.1f", t.seconds()),
          Fmt.count(t.subscribedPerSec()), Fmt.ms(t.subscribedP50Ms()), Fmt.ms(t.subscribedP99Ms()), "", "",
          bytes(t.heapPerConnection()), bytes(t.rssPerConnection()), Fmt.percent(t.benchCpu()),
          Fmt.percent(t.serverCpu()));
    }
    out.println();
    out.println("p50, p99, max: from each connection's intended start to its subscription (open, for the ceiling);"
        + " heap/conn: heap after a full GC, rss/conn: resident memory, both against the server before connecting");
  }

  private static String bytes(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return Math.abs(v) >= 10 * 1024 ? String.format(Locale.ROOT, "%.1f KiB", v / 1024)
        : String.format(Locale.ROOT, "%.0f B", v);
  }
}
