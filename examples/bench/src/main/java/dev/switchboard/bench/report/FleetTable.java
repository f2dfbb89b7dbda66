package dev.switchboard.bench.report;

import dev.switchboard.bench.Machine;
import dev.switchboard.bench.fleet.FleetReport;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The final table of the fleet scenario on stdout: connections, deliveries, latency, CPU, nodes, publishes. */
public final class FleetTable {
  private static final int MAX_PUBLISH_ROWS = 60;
  private static final int MAX_PROBLEMS = 20;

  private FleetTable() {
  }

  public static void print(FleetReport r, PrintStream out) {
    Map<String, Object> s = r.settings();
    Machine m = r.machine();
    FleetReport.Connections c = r.connections();
    FleetReport.Delivery d = r.delivery();
    FleetReport.Cpu cpu = r.cpu();
    out.println();
    out.printf("Fleet: %s nodes, %s connections (each on fleet.all and one of %s group topics), %s warm-up + %s"
            + " counted publishes to everyone, one every %s ms%n", s.get("nodes"), s.get("connections"),
        s.get("groups"), s.get("warmup"), s.get("publishes"), s.get("intervalMs"));
    out.printf("Machine: %d CPUs (%s), %s; nodes %s (instances: %s), generators %s; pinned: %s%n", m.cpus(),
        m.cpuModel(), m.java(), s.get("nodeJvm"), s.get("instances"), s.get("generatorJvm"),
        m.pinned() ? "nodes on CPU " + m.nodeCpus() + ", load on CPU " + m.loadCpus() : "no (all share every CPU)");
    out.println();
    out.printf("connections  %d wanted, %d subscribed when publishing started (connecting took %.1f s), %d never"
        + " subscribed; %d held at the end; closed after opening: %s%n", c.wanted(), c.marked(), c.connectSeconds(),
        c.failed(), c.heldAtEnd(), c.closes().isEmpty() ? "none" : codes(c.closes()));
    out.printf("deliveries   %d expected (%d counted publishes x %d), %d made; missing %d (%d at connections still"
            + " held, %d at closed ones); duplicates %d; late %d; malformed %d; error frames %d%n", d.expected(),
        d.counted(), c.marked(), d.made(), d.missingHeld() + d.missingClosed(), d.missingHeld(), d.missingClosed(),
        d.duplicates(), d.late(), d.malformed(), d.errors());
    out.printf("latency      p50 %s ms, p90 %s ms, p99 %s ms, max %s ms (intended send of the publish -> read by"
        + " the generator)%n", Fmt.ms(d.p50Ms()), Fmt.ms(d.p90Ms()), Fmt.ms(d.p99Ms()), Fmt.ms(d.maxMs()));
    out.printf(Locale.ROOT, "node CPU     %s us per delivery (idle rate taken off; %s us with the rate after"
            + " publishing, %s us gross): %.1f CPU-s over %.1f s (%.2f cores) for %d frames written%n",
        us(cpu.perDeliveryUs()), us(cpu.perDeliveryUsIdleAfter()), us(cpu.grossPerDeliveryUs()),
        cpu.windowNodeCpuSeconds(), cpu.windowSeconds(), cpu.windowNodeCores(), cpu.nodeDelivered());
    out.printf(Locale.ROOT, "idle cost    %.3f cores for the nodes to hold the connections (over %.1f s; by slice:"
            + " %s); after publishing %.3f cores (%s); generators %.3f cores%n", cpu.idleNodeCores(),
        cpu.idleSeconds(), slices(cpu.idleNodeSlices()), cpu.idleAfterNodeCores(), slices(cpu.idleAfterNodeSlices()),
        cpu.idleGeneratorCores());
    out.printf(Locale.ROOT, "generators   %.2f cores while publishing%n", cpu.windowGeneratorCores());
    out.println();
    out.printf("%-6s %8s %12s %22s %20s %12s%n", "node", "members", "connections", "slow-consumer closes",
        "heartbeat timeouts", "delivered");
    for (int i = 0; i < r.nodes().size(); i++) {
      FleetReport.NodeEnd n = r.nodes().get(i);
      out.printf("%-6s %8s %12s %22s %20s %12s%n", i + 1, n.members(), n.connections(), n.slowConsumerCloses(),
          n.heartbeatTimeouts(), n.delivered());
    }
    out.println();
    publishes(r, out);
    if (!r.problems().isEmpty()) {
      out.println("problems:");
      r.problems().stream().limit(MAX_PROBLEMS).forEach(p -> out.println("  - " + p));
      if (r.problems().size() > MAX_PROBLEMS) {
        out.println("  ... and " + (r.problems().size() - MAX_PROBLEMS) + " more (see the JSON)");
      }
    }
    if (!cpu.idleSteady() || !(cpu.perDeliveryUs() > 0)) {
      out.printf(Locale.ROOT, "WARNING: the nodes' idle rate was not steady (%.3f cores before publishing, %.3f"
              + " after): the CPU per delivery lies somewhere between %s and %s us; a longer --settle or --idle, or"
              + " more --publishes, narrows it.%n", cpu.idleNodeCores(), cpu.idleAfterNodeCores(),
          us(Math.min(cpu.perDeliveryUs(), cpu.perDeliveryUsIdleAfter())),
          us(Math.max(cpu.perDeliveryUs(), cpu.perDeliveryUsIdleAfter())));
    }
    out.println(verdict(r));
  }

  private static String slices(List<Double> cores) {
    StringBuilder sb = new StringBuilder();
    cores.forEach(c -> sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3f", c)));
    return sb.toString();
  }

  private static void publishes(FleetReport r, PrintStream out) {
    out.printf("%-8s %-8s %6s %9s %10s%n", "publish", "counted", "http", "ack ms", "received");
    r.publishes().stream().limit(MAX_PUBLISH_ROWS).forEach(p -> out.printf("%-8d %-8s %6d %9s %10d%n", p.seq(),
        p.counted() ? "yes" : "warm-up", p.status(), Fmt.ms(p.ackMs()), p.received()));
    if (r.publishes().size() > MAX_PUBLISH_ROWS) {
      out.println("... " + (r.publishes().size() - MAX_PUBLISH_ROWS) + " more in the JSON");
    }
    out.println();
  }

  /** One line: whether the run met the fleet's conditions, and which it missed. */
  static String verdict(FleetReport r) {
    if (r.passed()) {
      return "RESULT: every connection held, every counted delivery made exactly once, every node saw "
          + r.nodes().size() + " members";
    }
    StringBuilder why = new StringBuilder("RESULT: NOT MET:");
    if (r.connections().heldAtEnd() != r.connections().wanted()) {
      why.append(" held ").append(r.connections().heldAtEnd()).append(" of ").append(r.connections().wanted())
          .append(';');
    }
    if (!r.delivery().exactlyOnce()) {
      why.append(" deliveries not exactly once;");
    }
    if (r.nodes().stream().anyMatch(n -> n.members() != r.nodes().size())) {
      why.append(" some node did not see every member;");
    }
    return why.toString();
  }

  private static String codes(Map<String, Integer> closes) {
    StringBuilder sb = new StringBuilder();
    closes.forEach((code, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(n).append(" x ").append(code));
    return sb.toString();
  }

  private static String us(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
  }
}
