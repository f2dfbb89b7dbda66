package dev.switchboard.bench.fleet;

import dev.switchboard.bench.Bench;
import dev.switchboard.bench.BenchOptions;
import dev.switchboard.bench.node.Nodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fleet's load: one generator process per node, each a child of this JVM running {@code fleet-generator}
 * ({@link FleetGenerator}) from this same class path, holding its share of the connections to its node. Sums their
 * status lines, sends them commands, and stops them all.
 */
final class Generators implements AutoCloseable {
  static final long STATUS_MS = 250;
  private static final Duration STOP_WAIT = Duration.ofSeconds(15);

  private final List<GeneratorProcess> processes;

  private Generators(List<GeneratorProcess> processes) {
    this.processes = processes;
  }

  /** Starts one generator per node: connections split evenly, in order, each its own source addresses if needed. */
  static Generators start(BenchOptions o, Nodes nodes, Duration lifetime) {
    List<GeneratorProcess> started = new ArrayList<>();
    int k = nodes.size();
    int first = 0;
    int firstAddress = 1;
    for (int g = 0; g < k; g++) {
      int count = o.connections / k + (g < o.connections % k ? 1 : 0);
      GeneratorPlan plan = new GeneratorPlan(nodes.url(g).toString(), first, count, o.fleet.groups, o.fleet.total(),
          o.fleet.warmup, o.connectRate / k, o.perAddress, firstAddress, STATUS_MS, lifetime.toMillis());
      first += count;
      firstAddress += count > o.perAddress ? (count + o.perAddress - 1) / o.perAddress : 0;
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(o.fleet.generatorJvm);
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), Bench.class.getName(),
          Bench.FLEET_GENERATOR));
      command.addAll(plan.args());
      started.add(GeneratorProcess.start("generator-" + (g + 1), command));
    }
    return new Generators(started);
  }

  long[] pids() {
    return processes.stream().mapToLong(GeneratorProcess::pid).toArray();
  }

  /** The first problem any generator had (a fatal message, an exit), or null. */
  String problem() {
    return processes.stream().map(GeneratorProcess::problem).filter(Objects::nonNull).findFirst().orElse(null);
  }

  /** A status line's number summed over the generators. */
  long sum(String field) {
    return processes.stream().mapToLong(p -> p.status().getLong(field, 0L)).sum();
  }

  /** The first problem any generator's connections reported. */
  String firstConnectionProblem() {
    return processes.stream().map(p -> p.status().getString("firstProblem")).filter(Objects::nonNull).findFirst()
        .orElse(null);
  }

  /** Connections that have received publish {@code seq}, over all generators. */
  long got(int seq) {
    long n = 0;
    for (GeneratorProcess p : processes) {
      JsonArray got = p.status().getJsonArray("got");
      n += got == null || seq >= got.size() ? 0 : got.getLong(seq);
    }
    return n;
  }

  /** Whether every generator has publish {@code seq} at every connection it still holds. */
  boolean everywhere(int seq) {
    for (GeneratorProcess p : processes) {
      JsonArray got = p.status().getJsonArray("got");
      if (got == null || seq >= got.size() || got.getLong(seq) < p.status().getLong("held", 0L)) {
        return false;
      }
    }
    return true;
  }

  /** Sends {@code command} to every generator and collects the answers of {@code type}; null for any missing. */
  List<JsonObject> ask(String command, String type, Duration timeout) {
    processes.forEach(p -> p.send(command));
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonObject> answers = new ArrayList<>();
    for (GeneratorProcess p : processes) {
      answers.add(p.await(type, deadline));
    }
    return answers;
  }

  String name(int g) {
    return processes.get(g).name();
  }

  /** Stops every generator: asks all at once, then waits for each (killing it after a while). */
  @Override
  public void close() {
    processes.forEach(p -> p.send("stop"));
    processes.forEach(p -> p.awaitExit(STOP_WAIT));
  }
}
