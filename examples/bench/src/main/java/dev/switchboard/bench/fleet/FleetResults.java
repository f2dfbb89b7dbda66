package dev.switchboard.bench.fleet;

import dev.switchboard.bench.BenchOptions;
import dev.switchboard.bench.Machine;
import dev.switchboard.bench.node.Nodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;

/**
 * Turns a finished {@link FleetRun}, the generators' final reports and the nodes' {@code /metrics} at the end into
 * the {@link FleetReport}: sums, the merged latency histogram, CPU per delivery and idle cost.
 */
final class FleetResults {
  private FleetResults() {
  }

  static FleetReport build(BenchOptions o, String command, FleetRun run, List<JsonObject> reports, Nodes nodes,
                           HttpClient http) {
    FleetOptions f = o.fleet;
    List<String> problems = new ArrayList<>(run.problems);
    Histogram latency = new Histogram(FleetTally.HIGHEST_MICROS, 3);
    Map<String, Integer> closes = new TreeMap<>();
    long[] received = new long[f.total()];
    long expected = (long) run.marked * f.publishes;
    long made = 0, missingHeld = 0, missingClosed = 0, duplicates = 0, late = 0, malformed = 0, errors = 0;
    int held = 0;
    int failed = 0;
    for (int g = 0; g < reports.size(); g++) {
      JsonObject r = reports.get(g);
      if (r == null) {
        problems.add("generator-" + (g + 1) + " sent no report: its deliveries count as missing");
        continue;
      }
      made += r.getLong("made");
      missingHeld += r.getLong("missingHeld");
      missingClosed += r.getLong("missingClosed");
      duplicates += r.getLong("duplicates");
      late += r.getLong("late");
      malformed += r.getLong("malformed");
      errors += r.getLong("errors");
      held += r.getInteger("held");
      failed += r.getInteger("failed");
      r.getJsonObject("closes").forEach(e -> closes.merge(e.getKey(), ((Number) e.getValue()).intValue(),
          Integer::sum));
      JsonArray got = r.getJsonArray("got");
      for (int seq = 0; seq < received.length; seq++) {
        received[seq] += got.getLong(seq);
      }
      try {
        latency.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder()
            .decode(r.getString("latency"))), 0));
      } catch (DataFormatException | RuntimeException e) {
        problems.add("generator-" + (g + 1) + ": its latency histogram is unreadable: " + e);
      }
      if (r.getString("firstProblem") != null) {
        problems.add("generator-" + (g + 1) + ": " + r.getString("firstProblem"));
      }
    }
    missingHeld += expected - made - missingHeld - missingClosed;
    List<FleetReport.PublishRow> rows = new ArrayList<>();
    int publishFailures = 0;
    for (int seq = 0; seq < f.total(); seq++) {
      FleetPublisher.Ack ack = run.acks.get(seq).orTimeout(FleetPublisher.TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)
          .exceptionally(e -> new FleetPublisher.Ack(-1, Double.NaN, e.toString())).join();
      boolean counted = seq >= f.warmup;
      if (!ack.ok()) {
        publishFailures += counted ? 1 : 0;
        problems.add("publish " + seq + " failed: " + ack.status() + " " + ack.error());
      }
      rows.add(new FleetReport.PublishRow(seq, counted, ack.status(), ack.ms(), received[seq], ack.error()));
    }
    FleetReport.Delivery delivery = new FleetReport.Delivery(f.publishes, publishFailures, expected, made,
        missingHeld, missingClosed, duplicates, late, malformed, errors, ms(latency, 50), ms(latency, 90),
        ms(latency, 99), latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1e3);
    FleetReport.Connections connections = new FleetReport.Connections(o.connections, run.marked, failed,
        run.connectSeconds, held, closes);
    return new FleetReport(command, settings(o), Machine.describe(o), connections, delivery, cpu(run),
        nodeEnds(nodes, http, problems), rows, problems);
  }

  private static FleetReport.Cpu cpu(FleetRun run) {
    IdleWindow before = run.idleBefore;
    IdleWindow after = run.idleAfter;
    Snapshot w0 = run.windowStart;
    Snapshot w1 = run.windowEnd;
    double windowSeconds = w1.seconds(w0);
    double nodeCpu = w1.nodeCpuSeconds(w0);
    long delivered = w1.deliveredSince(w0);
    return new FleetReport.Cpu(before.seconds(), before.nodeCores(), before.generatorCores(), before.nodeSlices(),
        after.nodeCores(), after.nodeSlices(), windowSeconds, nodeCpu, delivered,
        perDelivery(nodeCpu - before.nodeCores() * windowSeconds, delivered),
        perDelivery(nodeCpu - after.nodeCores() * windowSeconds, delivered), perDelivery(nodeCpu, delivered),
        nodeCpu / windowSeconds, w1.generatorCpuSeconds(w0) / windowSeconds);
  }

  private static double perDelivery(double cpuSeconds, long delivered) {
    return delivered <= 0 ? Double.NaN : cpuSeconds * 1e6 / delivered;
  }

  private static List<FleetReport.NodeEnd> nodeEnds(Nodes nodes, HttpClient http, List<String> problems) {
    List<FleetReport.NodeEnd> ends = new ArrayList<>();
    long[] pids = nodes.pids();
    for (int i = 0; i < nodes.size(); i++) {
      NodeReadings m = NodeReadings.scrape(http, nodes.url(i));
      if (m.error() != null) {
        problems.add("node-" + (i + 1) + ": " + m.error());
      } else if ((int) m.members() != nodes.size()) {
        problems.add("node-" + (i + 1) + " sees " + (int) m.members() + " cluster members, not " + nodes.size());
      }
      ends.add(new FleetReport.NodeEnd(nodes.url(i).toString(), i < pids.length ? pids[i] : 0, whole(m.members()),
          whole(m.connections()), (long) whole(m.slowConsumerCloses()), (long) whole(m.heartbeatTimeouts()),
          (long) whole(m.delivered()), m.error()));
    }
    return ends;
  }

  private static int whole(double v) {
    return Double.isNaN(v) ? -1 : (int) Math.round(v);
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e3;
  }

  private static Map<String, Object> settings(BenchOptions o) {
    FleetOptions f = o.fleet;
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("scenario", o.scenario);
    s.put("nodes", o.nodes);
    s.put("connections", o.connections);
    s.put("groups", f.groups);
    s.put("warmup", f.warmup);
    s.put("publishes", f.publishes);
    s.put("intervalMs", f.interval.toMillis());
    s.put("idleMs", f.idle.toMillis());
    s.put("settleMs", o.settle.toMillis());
    s.put("maxWaitMs", f.maxWait.toMillis());
    s.put("connectRate", o.connectRate > 0 ? o.connectRate : "unlimited");
    s.put("instances", o.instances > 0 ? o.instances : "launcher default");
    s.put("nodeJvm", String.join(" ", o.nodeJvm));
    s.put("generatorJvm", String.join(" ", f.generatorJvm));
    return s;
  }
}
