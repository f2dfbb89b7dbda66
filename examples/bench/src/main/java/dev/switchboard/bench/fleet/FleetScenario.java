package dev.switchboard.bench.fleet;

import dev.switchboard.bench.BenchException;
import dev.switchboard.bench.BenchOptions;
import dev.switchboard.bench.Limits;
import dev.switchboard.bench.node.Nodes;
import dev.switchboard.bench.node.Servers;
import dev.switchboard.bench.report.Progress;
import io.vertx.core.json.JsonObject;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code fleet}: K clustered nodes from the launcher jar, one generator process per node holding N/K subscribed
 * connections to it, a publish to every connection every interval, and what it cost: delivered exactly once or
 * not, latency, the nodes' CPU per delivery and for holding the connections idle, closes by code, members. Every
 * process the run starts is stopped when it ends, fails, or the JVM is told to stop (a shutdown hook).
 */
public final class FleetScenario {
  private static final Duration MEMBERS_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration LIFETIME_MARGIN = Duration.ofMinutes(5);
  private static final Duration KILL_WAIT = Duration.ofSeconds(20);

  private FleetScenario() {
  }

  public static FleetReport run(BenchOptions o, String command, Progress progress) {
    Limits.requireFiles((o.connections + o.nodes - 1) / o.nodes);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    Thread cleanup = new Thread(FleetScenario::stopDescendants, "fleet-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      progress.note("== fleet: starting " + o.nodes + " clustered nodes (" + String.join(" ", o.nodeJvm) + ") ==");
      try (Nodes nodes = Servers.cluster(o, 1, o.nodes)) {
        progress.note("nodes: " + nodes.describe());
        awaitMembers(http, nodes, progress);
        progress.note("starting " + o.nodes + " generators, " + o.connections + " connections in all, each to"
            + " fleet.all and one of " + o.fleet.groups + " group topics");
        try (Generators generators = Generators.start(o, nodes, lifetime(o))) {
          FleetRun run = new FleetRun(o, nodes, generators, http, progress);
          run.run();
          List<JsonObject> reports = generators.ask("report", "report", REPORT_TIMEOUT);
          return FleetResults.build(o, command, run, reports, nodes, http);
        } finally {
          progress.note("stopping the generators and nodes");
        }
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException e) {
        // Shutting down already: the hook runs.
      }
    }
  }

  /** Waits until every node's {@code /metrics} counts all K members. */
  private static void awaitMembers(HttpClient http, Nodes nodes, Progress progress) {
    long deadline = System.nanoTime() + MEMBERS_TIMEOUT.toNanos();
    String seen = "";
    while (System.nanoTime() < deadline) {
      StringBuilder view = new StringBuilder();
      boolean all = true;
      for (int i = 0; i < nodes.size(); i++) {
        double members = NodeReadings.scrape(http, nodes.url(i)).members();
        view.append(i == 0 ? "" : ", ").append(Double.isNaN(members) ? "?" : String.valueOf((int) members));
        all &= members == nodes.size();
      }
      seen = view.toString();
      if (all) {
        progress.note("every node sees " + nodes.size() + " members");
        return;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BenchException("interrupted", e);
      }
    }
    throw new BenchException("the nodes did not all see " + nodes.size() + " members within "
        + MEMBERS_TIMEOUT.toSeconds() + " s (members seen by each: " + seen + ")");
  }

  /** How long a generator may live: the whole plan and a margin, after which it exits by itself. */
  private static Duration lifetime(BenchOptions o) {
    FleetOptions f = o.fleet;
    return FleetRun.connectTimeout(o.connections).plus(o.settle).plus(f.idle).plus(f.interval.multipliedBy(f.total()))
        .plus(f.maxWait).plus(LIFETIME_MARGIN);
  }

  /** The shutdown hook: SIGTERM to every process this JVM started (nodes, generators), SIGKILL to any left after. */
  private static void stopDescendants() {
    List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
    children.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + KILL_WAIT.toNanos();
    for (ProcessHandle p : children) {
      try {
        p.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
  }
}
