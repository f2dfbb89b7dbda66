package dev.switchboard.bench.fanout;

import dev.switchboard.bench.BenchOptions;
import dev.switchboard.bench.CpuMeter;
import dev.switchboard.bench.Limits;
import dev.switchboard.bench.Target;
import dev.switchboard.bench.node.Endpoint;
import dev.switchboard.bench.report.Fmt;
import dev.switchboard.bench.report.Progress;
import dev.switchboard.bench.ws.SourceAddresses;
import dev.switchboard.bench.ws.WsEngine;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * One run of the fan-out against one server: connect, warm up, then one step at the fixed rate or the max search.
 * A step that lost connections leaves the rig broken; it is rebuilt before the next step.
 */
final class TargetRun {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
  private static final long SETTLE_MS = 1000;
  /** The warm-up of a max search runs at this multiple of the first rate, to get the JIT to the busy paths. */
  private static final double WARMUP_FACTOR = 2;

  private final BenchOptions o;
  private final Target target;
  private final int run;
  private final Endpoint endpoint;
  private final Progress progress;
  private final CpuMeter cpu;
  private WsEngine engine;
  private Rig rig;

  TargetRun(BenchOptions o, Target target, int run, Endpoint endpoint, Progress progress) {
    this.o = o;
    this.target = target;
    this.run = run;
    this.endpoint = endpoint;
    this.progress = progress;
    this.cpu = new CpuMeter(endpoint.pid());
  }

  RunResult execute() {
    Limits.requireFiles(o.subscribers + o.publishers);
    try (WsEngine started = WsEngine.start("bench-" + target.label())) {
      engine = started;
      try {
        if (!o.warmup.isZero()) {
          step(o.findMax() ? WARMUP_FACTOR * o.firstRate() : o.rate, 0, o.warmup);
        }
        if (o.findMax()) {
          List<StepResult> steps = RateSearch.find(o.firstRate(), o.maxSteps, o.maxP99.toNanos() / 1e6,
              (rate, n) -> step(rate, n, o.duration));
          return new RunResult(target.label(), run, steps, RateSearch.best(steps));
        }
        StepResult only = step(o.rate, 1, o.duration);
        return new RunResult(target.label(), run, List.of(only), only);
      } finally {
        if (rig != null) {
          rig.close();
        }
      }
    }
  }

  private StepResult step(double rate, int number, Duration duration) {
    if (rig != null && Rig.await(engine.call(rig::closedCount), Duration.ofSeconds(10)) > 0) {
      progress.note(target.label() + ": connections were lost; connecting again");
      rig.close();
      rig = null;
    }
    if (rig == null) {
      rig = connect();
    }
    String label = String.format("%s run %d/%d %s %s msg/s", target.label(), run, o.runs,
        number == 0 ? "warm-up" : "step " + number, Fmt.count(rate));
    StepResult r = StepRunner.run(rig, new StepRunner.Plan(label, run, number, rate,
        number == 0 ? Duration.ZERO : o.settle, duration, o.maxP99), cpu, progress);
    progress.note(String.format("%s => %s: delivered/s %s, p99 %s ms, lost %d, problems %d, cpu bench %s"
            + " server %s other processes %s%s", label, r.passed() ? "PASS" : "FAIL", Fmt.count(r.deliveredPerSec()),
        Fmt.ms(r.p99Ms()), r.lost(), r.problems(), Fmt.percent(r.benchCpu()), Fmt.percent(r.serverCpu()),
        Fmt.percent(r.otherCpu()), r.firstProblem() == null ? "" : " (" + r.firstProblem() + ")"));
    Rig.sleep(SETTLE_MS);
    return r;
  }

  private Rig connect() {
    URI url = URI.create(endpoint.url());
    int total = o.subscribers + o.publishers;
    SourceAddresses sources;
    try {
      sources = SourceAddresses.plan(total, o.perAddress, InetAddress.getByName(url.getHost()));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("url: unknown host " + url.getHost());
    }
    if (sources.binds()) {
      progress.note(target.label() + ": " + total + " connections from " + sources.describe());
    }
    long start = System.nanoTime();
    Rig connected = Rig.connect(engine, target, url, o.subscribers, o.publishers, o.payload, o.topic, sources,
        CONNECT_TIMEOUT);
    progress.note(String.format("%s: %d subscribers and %d publishers connected to %s in %.1f s", target.label(),
        o.subscribers, o.publishers, url, (System.nanoTime() - start) / 1e9));
    return connected;
  }
}
