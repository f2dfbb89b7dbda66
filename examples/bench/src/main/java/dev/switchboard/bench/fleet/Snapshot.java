package dev.switchboard.bench.fleet;

import dev.switchboard.bench.CpuMeter;
import dev.switchboard.bench.node.Nodes;

import java.net.http.HttpClient;

/**
 * The counters at one edge of a measured window: CPU of the nodes and of the generators (summed over their pids, all
 * threads), and the message frames the nodes had written (-1 if some node's {@code /metrics} could not be read).
 */
record Snapshot(CpuMeter.Sample nodes, CpuMeter.Sample generators, long delivered) {

  static Snapshot take(CpuMeter nodeCpu, CpuMeter generatorCpu, HttpClient http, Nodes nodes) {
    long delivered = 0;
    for (int i = 0; i < nodes.size() && delivered >= 0; i++) {
      double d = NodeReadings.scrape(http, nodes.url(i)).delivered();
      delivered = Double.isNaN(d) ? -1 : delivered + (long) d;
    }
    return new Snapshot(nodeCpu.sample(), generatorCpu.sample(), delivered);
  }

  /** CPU only: for windows that need no node counters. */
  static Snapshot cpu(CpuMeter nodeCpu, CpuMeter generatorCpu) {
    return new Snapshot(nodeCpu.sample(), generatorCpu.sample(), -1);
  }

  double seconds(Snapshot earlier) {
    return (nodes.wallNanos() - earlier.nodes.wallNanos()) / 1e9;
  }

  /** Node CPU since {@code earlier}, in seconds; NaN when some node's CPU could not be read. */
  double nodeCpuSeconds(Snapshot earlier) {
    return cpuSeconds(nodes.serverCpuNanos(), earlier.nodes.serverCpuNanos());
  }

  double generatorCpuSeconds(Snapshot earlier) {
    return cpuSeconds(generators.serverCpuNanos(), earlier.generators.serverCpuNanos());
  }

  /** Frames the nodes wrote since {@code earlier}, or -1 when unknown. */
  long deliveredSince(Snapshot earlier) {
    return delivered < 0 || earlier.delivered < 0 ? -1 : delivered - earlier.delivered;
  }

  private static double cpuSeconds(long now, long then) {
    return now < 0 || then < 0 ? Double.NaN : (now - then) / 1e9;
  }
}
