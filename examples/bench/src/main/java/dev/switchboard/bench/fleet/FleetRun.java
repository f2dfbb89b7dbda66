package dev.switchboard.bench.fleet;

import dev.switchboard.bench.BenchException;
import dev.switchboard.bench.BenchOptions;
import dev.switchboard.bench.CpuMeter;
import dev.switchboard.bench.node.Nodes;
import dev.switchboard.bench.report.Fmt;
import dev.switchboard.bench.report.Progress;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The phases of one fleet run, on nodes and generators already started: connect and subscribe every connection,
 * let them settle, measure the nodes' idle CPU, then publish (warm-up, then counted) one every interval and wait,
 * bounded, until the last publish has reached every connection still held; then the idle CPU once more, as a check
 * that the rate taken off the publishing window was steady. {@link FleetResults} makes the report.
 */
final class FleetRun {
  private static final long POLL_MS = 100;
  private static final long NOTE_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final Duration STALL = Duration.ofSeconds(60);
  private static final Duration CONNECT_BASE = Duration.ofSeconds(120);
  private static final long CONNECT_MICROS_EACH = 5_000;
  private static final Duration SLICE = Duration.ofSeconds(5);

  private final BenchOptions o;
  private final FleetOptions f;
  private final Nodes nodes;
  private final Generators generators;
  private final HttpClient http;
  private final Progress progress;
  private final CpuMeter nodeCpu;
  private final CpuMeter generatorCpu;
  final List<String> problems = new ArrayList<>();
  double connectSeconds;
  IdleWindow idleBefore;
  IdleWindow idleAfter;
  int marked;
  Snapshot windowStart;
  Snapshot windowEnd;
  boolean complete;
  final List<CompletableFuture<FleetPublisher.Ack>> acks = new ArrayList<>();

  FleetRun(BenchOptions o, Nodes nodes, Generators generators, HttpClient http, Progress progress) {
    this.o = o;
    this.f = o.fleet;
    this.nodes = nodes;
    this.generators = generators;
    this.http = http;
    this.progress = progress;
    this.nodeCpu = new CpuMeter(nodes.pids());
    this.generatorCpu = new CpuMeter(generators.pids());
  }

  /** How long connecting may take at most: two minutes and 5 ms per connection. */
  static Duration connectTimeout(int connections) {
    return CONNECT_BASE.plus(Duration.ofNanos(connections * CONNECT_MICROS_EACH * 1000L));
  }

  void run() {
    connect();
    progress.note(String.format(Locale.ROOT, "settling %.1f s, then the idle window of %.1f s", o.settle.toMillis()
        / 1e3, f.idle.toMillis() / 1e3));
    pause(o.settle.toNanos());
    idleBefore = idle("idle");
    marked = generators.ask("mark", "marked", Duration.ofSeconds(30)).stream()
        .mapToInt(a -> a == null ? 0 : a.getInteger("marked", 0)).sum();
    publish();
    idleAfter = idle("idle after publishing");
  }

  /** Holds the connections for {@code --idle}, sampling the CPU every {@link #SLICE}. */
  private IdleWindow idle(String label) {
    Snapshot start = Snapshot.cpu(nodeCpu, generatorCpu);
    Snapshot last = start;
    List<Double> slices = new ArrayList<>();
    long end = start.nodes().wallNanos() + f.idle.toNanos();
    for (long next = start.nodes().wallNanos() + SLICE.toNanos(); last.nodes().wallNanos() < end;
         next += SLICE.toNanos()) {
      pauseUntil(Math.min(next, end));
      Snapshot s = Snapshot.cpu(nodeCpu, generatorCpu);
      slices.add(s.nodeCpuSeconds(last) / s.seconds(last));
      last = s;
      failIfBroken();
    }
    IdleWindow w = new IdleWindow(start, last, slices);
    progress.note(String.format(Locale.ROOT, "%s: nodes %.3f cores (by %d s: %s), generators %.3f cores, over %.1f s",
        label, w.nodeCores(), SLICE.toSeconds(), slices.stream().map(c -> String.format(Locale.ROOT, "%.3f", c))
            .collect(Collectors.joining(" ")), w.generatorCores(), w.seconds()));
    return w;
  }

  private void connect() {
    long start = System.nanoTime();
    long deadline = start + connectTimeout(o.connections).toNanos();
    long lastChange = start;
    long settled = -1;
    long nextNote = start;
    Snapshot last = Snapshot.cpu(nodeCpu, generatorCpu);
    while (true) {
      failIfBroken();
      long now = System.nanoTime();
      long ready = generators.sum("ready");
      long failed = generators.sum("failed");
      if (ready + failed != settled) {
        settled = ready + failed;
        lastChange = now;
      }
      if (now >= nextNote || settled >= o.connections) {
        Snapshot s = Snapshot.cpu(nodeCpu, generatorCpu);
        progress.note(String.format(Locale.ROOT, "connecting %.0f s | opened %d  subscribed %d  failed %d of %d |"
                + " cpu nodes %s generators %s", (now - start) / 1e9, generators.sum("opened"), ready, failed,
            o.connections, cores(s.nodeCpuSeconds(last), s.seconds(last)),
            cores(s.generatorCpuSeconds(last), s.seconds(last))));
        last = s;
        nextNote = now + NOTE_NANOS;
      }
      if (settled >= o.connections) {
        break;
      }
      if (now > deadline || now - lastChange > STALL.toNanos()) {
        problems.add(String.format(Locale.ROOT, "connecting: stopped waiting after %.0f s with %d of %d subscribed"
            + " (%s)", (now - start) / 1e9, ready, o.connections, now > deadline ? "time limit" : "no progress for "
            + STALL.toSeconds() + " s"));
        break;
      }
      pause(TimeUnit.MILLISECONDS.toNanos(POLL_MS));
    }
    connectSeconds = (System.nanoTime() - start) / 1e9;
    if (generators.sum("failed") > 0) {
      problems.add("connecting: " + generators.sum("failed") + " connection(s) never subscribed; first: "
          + generators.firstConnectionProblem());
    }
  }

  private void publish() {
    FleetPublisher publisher = new FleetPublisher(http, nodes.url(0));
    long interval = f.interval.toNanos();
    long startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
    long startMicros = wallMicros() + (startNanos - System.nanoTime()) / 1000;
    progress.note(String.format(Locale.ROOT, "publishing to %s through %s: %d warm-up then %d counted, one every %d ms,"
        + " each to %d connections", FleetClient.ALL, nodes.url(0), f.warmup, f.publishes, f.interval.toMillis(),
        marked));
    for (int seq = 0; seq < f.total(); seq++) {
      long due = startNanos + seq * interval;
      if (seq == f.warmup) {
        // Half an interval early, so that reading the nodes' counters cannot delay the publish; frames of the
        // warm-up written after this count in the window with their CPU.
        pauseUntil(due - interval / 2);
        windowStart = Snapshot.take(nodeCpu, generatorCpu, http, nodes);
      }
      pauseUntil(due);
      acks.add(publisher.publish(seq, startMicros + seq * interval / 1000));
      failIfBroken();
      if (seq > 0) {
        note(seq - 1);
      }
    }
    long deadline = startNanos + (f.total() - 1) * interval + f.maxWait.toNanos();
    long nextNote = System.nanoTime() + NOTE_NANOS;
    while (!(complete = generators.everywhere(f.total() - 1)) && System.nanoTime() < deadline) {
      failIfBroken();
      if (System.nanoTime() >= nextNote) {
        note(f.total() - 1);
        nextNote += NOTE_NANOS;
      }
      pause(TimeUnit.MILLISECONDS.toNanos(POLL_MS));
    }
    windowEnd = Snapshot.take(nodeCpu, generatorCpu, http, nodes);
    note(f.total() - 1);
    if (!complete) {
      problems.add("the last publish had not reached every connection held " + f.maxWait.toMillis() + " ms after it"
          + " was due (--max-wait)");
    }
  }

  private void note(int seq) {
    progress.note(String.format(Locale.ROOT, "publish %d of %d%s | received by %d of %d held | closed %d,"
            + " duplicates %d, errors %d", seq + 1, f.total(), seq < f.warmup ? " (warm-up)" : "",
        generators.got(seq), generators.sum("held"), generators.sum("closed"), generators.sum("duplicates"),
        generators.sum("errors")));
  }

  /** Stops the run when a generator failed or exited: what it measured would be wrong. */
  private void failIfBroken() {
    String problem = generators.problem();
    if (problem != null) {
      throw new BenchException("a generator failed: " + problem);
    }
  }

  /** CPU seconds over a wall time in cores; "-" when unknown or the time is too short for the 10 ms CPU ticks. */
  static String cores(double cpuSeconds, double seconds) {
    return Double.isNaN(cpuSeconds) || seconds < 0.5 ? "-" : Fmt.ratio(cpuSeconds / seconds) + " cores";
  }

  static long wallMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  private static void pauseUntil(long nanoTime) {
    pause(nanoTime - System.nanoTime());
  }

  private static void pause(long nanos) {
    if (nanos <= 0) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException("interrupted", e);
    }
  }
}
