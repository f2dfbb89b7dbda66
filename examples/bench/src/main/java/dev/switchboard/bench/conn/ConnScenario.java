package dev.switchboard.bench.conn;

import dev.switchboard.bench.BenchOptions;
import dev.switchboard.bench.CpuMeter;
import dev.switchboard.bench.Limits;
import dev.switchboard.bench.Machine;
import dev.switchboard.bench.OtherLoad;
import dev.switchboard.bench.Target;
import dev.switchboard.bench.node.Endpoint;
import dev.switchboard.bench.node.ServerMemory;
import dev.switchboard.bench.node.Servers;
import dev.switchboard.bench.report.Fmt;
import dev.switchboard.bench.report.Progress;
import dev.switchboard.bench.ws.SourceAddresses;
import dev.switchboard.bench.ws.WsEngine;
import org.HdrHistogram.Histogram;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code storm}: connect and subscribe N clients at a rate, and how long each took. {@code idle}: the same, then
 * hold them idle (answering heartbeats) and measure the server's memory per connection, heap after a full GC and
 * RSS, against a sample taken before connecting.
 */
public final class ConnScenario {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
  private static final long PROGRESS_MS = 1000;

  private ConnScenario() {
  }

  public static ConnReport run(BenchOptions o, String command, Progress progress) {
    Limits.requireFiles(o.connections);
    List<ConnResult> results = new ArrayList<>();
    for (int run = 1; run <= o.runs; run++) {
      for (Target target : o.targets()) {
        progress.note(String.format("== %s %s, run %d of %d ==", o.scenario, target.label(), run, o.runs));
        try (Endpoint endpoint = target == Target.BROKER ? Servers.broker(o, run) : Servers.ceiling(o)) {
          results.add(runOnce(o, target, run, endpoint, progress));
        }
      }
    }
    List<ConnReport.TargetMedians> medians = new ArrayList<>();
    for (Target target : o.targets()) {
      medians.add(ConnReport.TargetMedians.of(target.label(), results));
    }
    return new ConnReport(command, settings(o), Machine.describe(o), results, medians);
  }

  private static ConnResult runOnce(BenchOptions o, Target target, int run, Endpoint endpoint, Progress progress) {
    boolean idle = o.scenario.equals("idle");
    long pid = endpoint.pid();
    if (idle && pid <= 0) {
      progress.note("idle: the server's memory is not known (start it here with --start-node, or give --server-pid)");
    }
    ServerMemory before = idle && pid > 0 ? ServerMemory.sample(pid) : null;
    URI url = URI.create(endpoint.url());
    SourceAddresses sources = sources(o, url);
    progress.note(String.format("%s at %s: %d connections from %s, %s", target.label(), url, o.connections,
        sources.describe(), o.connectRate > 0 ? Fmt.count(o.connectRate) + " a second" : "as fast as they go"));
    CpuMeter cpu = new CpuMeter(pid);
    try (WsEngine engine = WsEngine.start("bench-" + o.scenario)) {
      Crowd crowd = new Crowd(engine, target, o.connections);
      CpuMeter.Sample cpuStart = cpu.sample();
      OtherLoad otherStart = OtherLoad.snapshot(ProcessHandle.current().pid(), pid);
      long start = System.nanoTime();
      crowd.start(url, o.connectRate, o.topicCount(), o.topicName() + ".", sources);
      long timeout = Duration.ofSeconds(60).toNanos()
          + (long) (o.connections / (o.connectRate > 0 ? o.connectRate : 1000) * 2e9);
      Crowd.Status s;
      do {
        Crowd.sleep(PROGRESS_MS);
        s = crowd.status();
        progress.note(String.format("%s run %d/%d | started %d  open %d  subscribed %d  failed %d | subscribe p99 %s ms"
                + " | cpu bench %s server %s", target.label(), run, o.runs, s.started(), s.opened(), s.subscribed(),
            s.closed(), ms(s.subscribedNanos(), 99), Fmt.percent(cpu.sample().benchPercentSince(cpuStart)),
            Fmt.percent(cpu.sample().serverPercentSince(cpuStart))));
      } while (s.subscribed() + s.closed() < o.connections && System.nanoTime() - start < timeout);
      double seconds = (System.nanoTime() - start) / 1e9;
      CpuMeter.Sample cpuEnd = cpu.sample();
      double other = OtherLoad.snapshot(ProcessHandle.current().pid(), pid).percentSince(otherStart);
      Crowd.Status connected = s;
      double held = 0;
      if (idle) {
        long holdStart = System.nanoTime();
        while (System.nanoTime() - holdStart < o.hold.toNanos()) {
          Crowd.sleep(Math.min(5000, Math.max(1, (o.hold.toNanos() - (System.nanoTime() - holdStart)) / 1_000_000)));
          s = crowd.status();
          progress.note(String.format("%s run %d/%d | holding: %d of %d still open, %d pings answered, %.0f s of %d s",
              target.label(), run, o.runs, s.subscribed() - s.closed(), s.subscribed(), s.pings(),
              (System.nanoTime() - holdStart) / 1e9, o.hold.toSeconds()));
        }
        held = (System.nanoTime() - holdStart) / 1e9;
      }
      ServerMemory after = idle && pid > 0 ? ServerMemory.sample(pid) : null;
      ConnResult result = result(o, target, run, seconds, connected, s, held, before, after,
          cpuEnd.benchPercentSince(cpuStart), cpuEnd.serverPercentSince(cpuStart), other);
      crowd.close(CLOSE_WAIT);
      return result;
    }
  }

  private static ConnResult result(BenchOptions o, Target target, int run, double seconds, Crowd.Status c,
                                   Crowd.Status end, double held, ServerMemory before, ServerMemory after,
                                   double benchCpu, double serverCpu, double otherCpu) {
    long rssBefore = before == null ? -1 : before.rssBytes();
    long rssAfter = after == null ? -1 : after.rssBytes();
    long heapBefore = before == null ? -1 : before.heapUsedBytes();
    long heapAfter = after == null ? -1 : after.heapUsedBytes();
    int open = end.subscribed() - end.closed() + c.closed();
    return new ConnResult(target.label(), run, o.connections, o.connectRate, seconds, c.subscribed() / seconds,
        c.subscribed(), c.failures(), c.firstFailure(), ms(c.openNanos(), 50), ms(c.openNanos(), 99),
        ms(c.subscribedNanos(), 50), ms(c.subscribedNanos(), 90), ms(c.subscribedNanos(), 99),
        c.subscribedNanos().getTotalCount() == 0 ? Double.NaN : c.subscribedNanos().getMaxValue() / 1e6, held,
        end.closed() - c.closed(), end.pings(), rssBefore, rssAfter, heapBefore, heapAfter,
        perConnection(rssBefore, rssAfter, open), perConnection(heapBefore, heapAfter, open), benchCpu, serverCpu,
        otherCpu);
  }

  private static double perConnection(long before, long after, int connections) {
    return before < 0 || after < 0 || connections <= 0 ? Double.NaN : (double) (after - before) / connections;
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
  }

  private static SourceAddresses sources(BenchOptions o, URI url) {
    try {
      return SourceAddresses.plan(o.connections, o.perAddress, InetAddress.getByName(url.getHost()));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("url: unknown host " + url.getHost());
    }
  }

  private static Map<String, Object> settings(BenchOptions o) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("scenario", o.scenario);
    s.put("connections", o.connections);
    s.put("connectRate", o.connectRate > 0 ? o.connectRate : "unlimited");
    s.put("topics", o.topicCount());
    s.put("holdMs", o.scenario.equals("idle") ? o.hold.toMillis() : 0);
    s.put("targets", o.targets().stream().map(Target::label).toList());
    s.put("url", o.url != null ? o.url : o.startNode ? "started by the tool" : null);
    s.put("instances", o.instances);
    s.put("nodeJvm", String.join(" ", o.nodeJvm));
    s.put("runs", o.runs);
    return s;
  }
}
