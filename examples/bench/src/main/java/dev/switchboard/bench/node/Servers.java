package dev.switchboard.bench.node;

import dev.switchboard.bench.BenchException;
import dev.switchboard.bench.BenchOptions;
import dev.switchboard.bench.CeilingServer;
import dev.switchboard.bench.Pinning;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The servers a run measures: the ones given by URL, or started here, pinned to the node CPUs. {@code --instances 0}
 * (the fleet's default) leaves the nodes' event loops at the launcher's default.
 */
public final class Servers {
  public static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private Servers() {
  }

  /** The node given by {@code --url}, or a fresh single node from the launcher jar. */
  public static Endpoint broker(BenchOptions o, int run) {
    if (o.url != null) {
      return Endpoint.external(o.url, o.serverPid);
    }
    return ServerProcess.start("broker", node(o, o.nodeCpus, freePort(), "bench-" + ProcessHandle.current().pid()
        + "-" + run, List.of()), START_TIMEOUT);
  }

  /**
   * {@code count} nodes from the launcher jar in one cluster of their own, started one after another: the first
   * starts the cluster, each next one is given every member so far and itself ({@code --join}); the first pinned to
   * {@code --node-cpus}, the others to {@code --second-node-cpus}. Each is serving (so has joined) when this
   * returns; whether deliveries cross between them yet is for the run to find out.
   */
  public static Nodes cluster(BenchOptions o, int run, int count) {
    String name = "bench-" + ProcessHandle.current().pid() + "-" + run + "-cluster";
    List<String> members = new ArrayList<>();
    List<Endpoint> started = new ArrayList<>();
    try {
      for (int k = 0; k < count; k++) {
        int port = freePort();
        members.add("127.0.0.1:" + port);
        started.add(ServerProcess.start("node-" + (k + 1), node(o, k == 0 ? o.nodeCpus : o.secondNodeCpus(), port,
            name, k == 0 ? List.of() : members), START_TIMEOUT));
      }
    } catch (RuntimeException e) {
      Nodes.of(started).close();
      throw e;
    }
    return Nodes.of(started);
  }

  /** The ceiling server given by {@code --ceiling-url}, or a fresh one from this jar. */
  public static Endpoint ceiling(BenchOptions o) {
    if (o.ceilingUrl != null) {
      return Endpoint.external(o.ceilingUrl, 0);
    }
    List<String> command = java(o);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), CeilingServer.class.getName(),
        "--host", "127.0.0.1", "--port", "0", "--instances", String.valueOf(o.instances),
        "--write", o.ceilingWrite));
    return ServerProcess.start("ceiling", command, START_TIMEOUT);
  }

  /** {@code --broker-jar}, else the launcher jar of this checkout: next to this jar's module, or under ./broker. */
  static Path brokerJar(BenchOptions o) {
    if (o.brokerJar != null) {
      if (!Files.isRegularFile(o.brokerJar)) {
        throw new IllegalArgumentException("broker-jar: no such file " + o.brokerJar);
      }
      return o.brokerJar;
    }
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of("broker", "target", "switchboard-broker.jar"));
    try {
      Path self = Path.of(Servers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // examples/bench/target/switchboard-bench.jar (or target/classes) -> the checkout root
      Path root = self.toAbsolutePath().getParent().getParent().getParent().getParent();
      candidates.add(root.resolve("broker/target/switchboard-broker.jar"));
    } catch (URISyntaxException | RuntimeException e) {
      // Only the working directory then.
    }
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return candidate.toAbsolutePath().normalize();
      }
    }
    throw new IllegalArgumentException("broker-jar: cannot find switchboard-broker.jar (looked at " + candidates
        + "); build it with mvn install -DskipTests, or give --broker-jar");
  }

  private static List<String> node(BenchOptions o, String cpus, int clusterPort, String clusterName,
                                   List<String> join) {
    List<String> command = java(o, cpus);
    command.addAll(List.of("-jar", brokerJar(o).toString(), "--host", "127.0.0.1", "--port", "0",
        "--cluster-host", "127.0.0.1", "--cluster-port", String.valueOf(clusterPort), "--cluster-name", clusterName));
    if (!"auto".equals(o.transport)) {
      // Only when asked: a node of an earlier version (--broker-jar) has no such setting.
      command.addAll(List.of("--transport", o.transport));
    }
    if (o.instances > 0) {
      command.addAll(List.of("--instances", String.valueOf(o.instances)));
    }
    if (!join.isEmpty()) {
      command.addAll(List.of("--join", String.join(",", join)));
    }
    return command;
  }

  private static List<String> java(BenchOptions o) {
    return java(o, o.nodeCpus);
  }

  private static List<String> java(BenchOptions o, String cpus) {
    List<String> command = new ArrayList<>(Pinning.prefix(o.pin, cpus));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(o.nodeJvm);
    return command;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new BenchException("no free port: " + e.getMessage(), e);
    }
  }
}
