package dev.switchboard.bench.fanout;

import dev.switchboard.bench.BenchOptions;
import dev.switchboard.bench.CpuMeter;
import dev.switchboard.bench.Limits;
import dev.switchboard.bench.node.Nodes;
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
 * One run of one {@link Series} on its servers: connect (timing the subscriptions), wait until every subscriber gets
 * deliveries ({@link Readiness}), warm up, then one step at the fixed rate or the max search. A step that lost
 * connections leaves the rig broken; it is rebuilt before the next step.
 */
final class TargetRun {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final long SETTLE_MS = 1000;
  /** The warm-up of a max search runs at this multiple of the first rate, to get the JIT to the busy paths. */
  private static final double WARMUP_FACTOR = 2;

  private final BenchOptions o;
  private final Series series;
  private final Layout layout;
  private final int run;
  private final Progress progress;
  private final CpuMeter cpu;
  private WsEngine engine;
  private Rig rig;
  private Setup setup;

  TargetRun(BenchOptions o, Series series, int run, Nodes nodes, Progress progress) {
    this.o = o;
    this.series = series;
    this.layout = series.layout().apply(nodes);
    this.run = run;
    this.progress = progress;
    this.cpu = new CpuMeter(nodes.pids());
  }

  RunResult execute() {
    Limits.requireFiles(o.subscribers + o.publishers + layout.churners());
    try (WsEngine started = WsEngine.start("bench-" + series.label())) {
      engine = started;
      try {
        if (!o.warmup.isZero()) {
          step(o.findMax() ? WARMUP_FACTOR * o.firstRate() : o.rate, 0, o.warmup);
        }
        if (o.findMax()) {
          List<StepResult> steps = RateSearch.find(o.firstRate(), o.maxSteps, o.maxP99.toNanos() / 1e6,
              (rate, n) -> step(rate, n, o.duration));
          return new RunResult(series.label(), run, setup, steps, RateSearch.best(steps));
        }
        StepResult only = step(o.rate, 1, o.duration);
        return new RunResult(series.label(), run, setup, List.of(only), only);
      } finally {
        if (rig != null) {
          rig.close();
        }
      }
    }
  }

  private StepResult step(double rate, int number, Duration duration) {
    if (rig != null && Rig.await(engine.call(rig::closedCount), Duration.ofSeconds(10)) > 0) {
      progress.note(series.label() + ": connections were lost; connecting again");
      rig.close();
      rig = null;
    }
    if (rig == null) {
      rig = connect();
    }
    String label = String.format("%s run %d/%d %s %s msg/s", series.label(), run, o.runs,
        number == 0 ? "warm-up" : "step " + number, Fmt.count(rate));
    StepResult r = StepRunner.run(rig, new StepRunner.Plan(series.label(), label, run, number, rate,
        number == 0 ? Duration.ZERO : o.settle, duration, o.maxP99), cpu, progress);
    progress.note(String.format("%s => %s: delivered/s %s, p99 %s ms, lost %d, problems %d, cpu bench %s"
            + " server %s other processes %s%s", label, r.passed() ? "PASS" : "FAIL", Fmt.count(r.deliveredPerSec()),
        Fmt.ms(r.p99Ms()), r.lost(), r.problems(), Fmt.percent(r.benchCpu()), Fmt.percent(r.serverCpu()),
        Fmt.percent(r.otherCpu()), r.firstProblem() == null ? "" : " (" + r.firstProblem() + ")"));
    ChurnResult c = r.churn();
    if (c != null) {
      progress.note(String.format("%s => churn: %s pairs/s asked, %s done (%d of %d started), pair p50 %s ms, p99 %s"
              + " ms, %d failed", label, Fmt.count(c.askedPerSec()), Fmt.count(c.perSec()), c.completed(), c.started(),
          Fmt.ms(c.p50Ms()), Fmt.ms(c.p99Ms()), c.failed()));
    }
    Rig.sleep(SETTLE_MS);
    return r;
  }

  private Rig connect() {
    URI first = layout.subscriberNodes().get(0);
    int total = o.subscribers + o.publishers + layout.churners();
    SourceAddresses sources;
    try {
      sources = SourceAddresses.plan(total, o.perAddress, InetAddress.getByName(first.getHost()));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("url: unknown host " + first.getHost());
    }
    if (sources.binds()) {
      progress.note(series.label() + ": " + total + " connections from " + sources.describe());
    }
    long start = System.nanoTime();
    Rig connected = Rig.connect(engine, series.target(), layout, o.subscribers, o.publishers, o.payload, sources,
        CONNECT_TIMEOUT);
    double subscribed = (System.nanoTime() - start) / 1e9;
    double ready = Readiness.await(connected, READY_TIMEOUT);
    Setup s = Setup.of(o.subscribers, layout.topics().size(), subscribed, ready);
    progress.note(String.format("%s: %d subscribers on %d topic(s), %d publishers%s at %s; subscribed in %.2f s (%s"
            + " topics/s, %s subscriptions/s); every subscriber received a probe %.2f s later", series.label(),
        o.subscribers, s.topics(), o.publishers, layout.churners() > 0 ? ", " + layout.churners()
            + " churn connections" : "", layout.describe(), subscribed, Fmt.count(s.topicsPerSec()),
        Fmt.count(s.subscriptionsPerSec()), ready));
    if (setup == null) {
      setup = s;
    }
    return connected;
  }
}
