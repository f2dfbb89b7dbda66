package dev.switchboard.broker.process;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.Http;
import dev.switchboard.broker.testing.Ports;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docker-compose.yml with an override file, run as a compose project of its own through the command lines of
 * docker-compose 1.29 ({@value #COMPOSE}) and the Docker 20.10 engine ({@value #DOCKER}): no Testcontainers, so no
 * Ryuk image to pull. Every port is a free loopback port; the images must exist (built by
 * scripts/compose-images.sh: {@code up --no-build} never builds). Each node's readiness is read on its own port, or
 * from inside its container while it is cut off from the network. Every command is bounded in time and logged to
 * stdout with the time since the project started.
 */
public final class ComposeCluster implements AutoCloseable {
  public static final String DOCKER = "/usr/bin/docker";
  public static final String COMPOSE = "/usr/bin/docker-compose";
  public static final List<String> NODES = List.of("node1", "node2", "node3");
  public static final List<String> IMAGES = List.of("switchboard-broker:local", "switchboard-nginx:local");
  private static final Duration COMMAND = Duration.ofSeconds(90);
  private static final Pattern MEMBERS = Pattern.compile("\"members\"\\s*:\\s*(\\d+)");

  private final String project = "sbchaos" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  private final List<String> files;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final int lbPort = Ports.free();
  private final Map<String, Integer> nodePorts = new LinkedHashMap<>();
  /** Nodes cut off from the project's network, and the address each had. */
  private final Map<String, String> cutOff = new ConcurrentHashMap<>();
  /** Container ids by service (never recreated: stop, start, kill and network changes keep the container). */
  private final Map<String, String> containers = new ConcurrentHashMap<>();
  private final long startNanos = System.nanoTime();
  /** Takes the project down if the JVM exits before {@link #close()} (no Ryuk here to do it). */
  private final Thread downOnExit = new Thread(this::down, "compose-down");

  /** What a node's {@code GET /health/ready} answered: the status ({@code -1}: no answer) and the body. */
  public record Readiness(int status, String body) {
    public OptionalInt members() {
      Matcher m = MEMBERS.matcher(body);
      return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** Ready (200) and a member of a cluster of {@code members}. */
    public boolean readyWith(int members) {
      return status == 200 && members().orElse(-1) == members;
    }

    @Override
    public String toString() {
      return (status < 0 ? "no answer" : String.valueOf(status)) + " members=" + (members().isPresent()
          ? String.valueOf(members().getAsInt()) : "?");
    }
  }

  private ComposeCluster(Path override, String subnet) {
    Path root = Script.repository();
    files = List.of("-f", root.resolve("docker-compose.yml").toString(), "-f", override.toString());
    env.put("SWITCHBOARD_LB_IMAGE", "switchboard-nginx:local");
    env.put("SWITCHBOARD_IMAGE", "switchboard-broker:local");
    env.put("LB_PORT", String.valueOf(lbPort));
    for (int i = 0; i < NODES.size(); i++) {
      int port = Ports.free();
      nodePorts.put(NODES.get(i), port);
      env.put("NODE" + (i + 1) + "_PORT", String.valueOf(port));
    }
    env.put("CHAOS_SUBNET", subnet);
  }

  /**
   * {@code docker-compose up -d --no-build} with {@code override} after docker-compose.yml, then waits until the load
   * balancer answers {@code /lb-health}. On failure, prints the services' logs, takes the project down and throws.
   */
  public static ComposeCluster up(Path override) {
    ComposeCluster cluster = new ComposeCluster(override, freeSubnet());
    Runtime.getRuntime().addShutdownHook(cluster.downOnExit);
    try {
      cluster.log("project " + cluster.project + ": lb 127.0.0.1:" + cluster.lbPort + ", nodes " + cluster.nodePorts
          + ", subnet " + cluster.env.get("CHAOS_SUBNET"));
      cluster.compose("up", "-d", "--no-build");
      await("the load balancer answers /lb-health").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
          .ignoreExceptions().until(() -> Http.get(cluster.lbPort, "/lb-health").statusCode() == 200);
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.printLogs(200);
      cluster.close();
      throw e;
    }
  }

  public String project() {
    return project;
  }

  /** The clients' URL: the load balancer's {@code /ws}. */
  public String lbUrl() {
    return "ws://127.0.0.1:" + lbPort + "/ws";
  }

  public int lbPort() {
    return lbPort;
  }

  /** The host port of {@code node}'s client port (8080 in the container). */
  public int port(String node) {
    return nodePorts.get(node);
  }

  /** {@code node}'s container id (the same container across stop, start and kill). */
  public String container(String node) {
    return containers.computeIfAbsent(node, n -> {
      String output = compose(COMMAND, false, "ps", "-q", n);
      return output.lines().map(String::strip).filter(l -> l.matches("[0-9a-f]{12,64}")).reduce((a, b) -> b)
          .orElseThrow(() -> new AssertionError("no container for " + n + ": " + output));
    });
  }

  /** The node id {@code node} gives its clients in {@code welcome} (a new one each time it starts). */
  public String nodeId(String node) {
    try (Clients clients = new Clients()) {
      return clients.connect("ws://127.0.0.1:" + port(node) + "/ws").client.nodeId();
    }
  }

  /** The node ids of every running node, keyed by id: its service name. */
  public Map<String, String> nodeIds() {
    Map<String, String> ids = new HashMap<>();
    for (String node : NODES) {
      ids.put(nodeId(node), node);
    }
    return ids;
  }

  /** {@code GET /health/ready} on {@code node}'s host port. */
  public Readiness readiness(String node) {
    try {
      HttpResponse<String> response = Http.get(port(node), "/health/ready");
      return new Readiness(response.statusCode(), response.body());
    } catch (UncheckedIOException e) {
      return new Readiness(-1, String.valueOf(e.getCause()));
    }
  }

  /**
   * {@code GET /health/ready} from inside {@code node}'s container, so it answers while the node is cut off from the
   * network; with bash alone, as the image's ready.sh does (an image need not have curl).
   */
  public Readiness readinessInside(String node) {
    String request = "exec 3<>/dev/tcp/127.0.0.1/8080"
        + " && printf 'GET /health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && timeout 5 cat <&3";
    Script.Result r = Script.run(List.of(DOCKER, "exec", container(node), "bash", "-c", request), Map.of(),
        Duration.ofSeconds(20));
    Matcher status = Pattern.compile("^HTTP/1\\.\\d (\\d{3})").matcher(r.output());
    if (!status.find()) {
      return new Readiness(-1, r.output());
    }
    int body = r.output().indexOf("\r\n\r\n");
    return new Readiness(Integer.parseInt(status.group(1)), body < 0 ? "" : r.output().substring(body + 4));
  }

  /** Waits until every node is ready in a cluster of {@code members}; fails naming what each node said last. */
  public void awaitMembers(int members, Duration timeout) {
    await(members + " members on every node").atMost(timeout).pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> {
          Map<String, Readiness> states = new LinkedHashMap<>();
          NODES.forEach(n -> states.put(n, readiness(n)));
          assertThat(states.values()).as("/health/ready of %s", states).allMatch(r -> r.readyWith(members));
        });
  }

  /** {@code docker kill} (SIGKILL) of {@code node}'s container; the engine does not restart a killed container. */
  public void kill(String node) {
    docker("kill", container(node));
  }

  /** {@code docker-compose stop node}: SIGTERM, so it drains its clients to the others, then waits until it exits. */
  public void stop(String node) {
    compose("stop", node);
  }

  /** {@code docker-compose start node}; returns once the container runs (not once the node is ready). */
  public void start(String node) {
    compose("start", node);
  }

  /** Cuts {@code node} off from the project's network; returns the address it had there. */
  public String disconnect(String node) {
    String ip = address(node);
    docker("network", "disconnect", network(), container(node));
    cutOff.put(node, ip);
    return ip;
  }

  /** {@code node}'s address in the project's network. */
  public String address(String node) {
    String ip = docker("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + network() + "\").IPAddress}}",
        container(node)).lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> b).orElse("");
    assertThat(ip).as("address of %s", node).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    return ip;
  }

  /**
   * Replaces {@code node}'s container by a new one at another address (a placeholder holds the old address while it
   * starts): what {@code docker-compose up} does after a change of configuration. Returns the new address.
   */
  public String recreateElsewhere(String node) {
    String old = address(node);
    compose("stop", node);
    String placeholder = project + "-placeholder";
    docker("run", "-d", "--rm", "--name", placeholder, "--network", network(), "--ip", old, "switchboard-jre:local",
        "sleep", "600");
    try {
      compose("rm", "-f", node);
      containers.remove(node);
      compose("up", "-d", "--no-build", node);
    } finally {
      docker("rm", "-f", placeholder);
    }
    String now = address(node);
    assertThat(now).as("the new address of %s", node).isNotEqualTo(old);
    return now;
  }

  /** Connects {@code node} again under its service name and at the address it had before {@link #disconnect}. */
  public void reconnect(String node) {
    String ip = cutOff.get(node);
    docker("network", "connect", "--alias", node, "--ip", ip, network(), container(node));
    cutOff.remove(node);
  }

  /**
   * Brings every service back after a scenario that failed half-way: nodes cut off are connected again, stopped
   * containers are started. Never throws.
   */
  public void heal() {
    try {
      for (String node : List.copyOf(cutOff.keySet())) {
        reconnect(node);
      }
      compose("start");
    } catch (RuntimeException | AssertionError e) {
      log("heal: " + e.getMessage());
    }
  }

  /** The last {@code tail} lines of every service's output. */
  public String logs(int tail) {
    return compose(COMMAND, false, "logs", "--no-color", "--tail", String.valueOf(tail));
  }

  /** Prints {@link #logs} to stdout. Never throws. */
  public void printLogs(int tail) {
    try {
      System.out.println("==== docker-compose logs --tail " + tail + " (" + project + ")\n" + logs(tail));
    } catch (RuntimeException | AssertionError e) {
      System.out.println("cannot read the logs of " + project + ": " + e);
    }
  }

  /** {@code docker-compose down -v --remove-orphans}. Never throws. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(downOnExit);
    } catch (IllegalStateException e) {
      // The JVM is exiting: the hook is running or will run.
      return;
    }
    down();
  }

  private void down() {
    try {
      compose(Duration.ofMinutes(3), false, "down", "-v", "--remove-orphans", "-t", "5");
    } catch (RuntimeException | AssertionError e) {
      System.out.println("docker-compose down of " + project + " failed: " + e);
    }
  }

  /** Prints {@code message} with the time of day (UTC, as in the nodes' logs) and the seconds since the start. */
  public void log(String message) {
    System.out.printf(Locale.ROOT, "[%s +%.1fs] %s%n", LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS),
        (System.nanoTime() - startNanos) / 1e9, message);
  }

  private String network() {
    return project + "_default";
  }

  private String compose(String... args) {
    return compose(COMMAND, true, args);
  }

  private String compose(Duration timeout, boolean echo, String... args) {
    List<String> command = new ArrayList<>(List.of(COMPOSE, "--ansi", "never", "-p", project));
    command.addAll(files);
    command.addAll(List.of(args));
    return run(command, "docker-compose " + String.join(" ", args), timeout, echo);
  }

  private String docker(String... args) {
    List<String> command = new ArrayList<>(List.of(DOCKER));
    command.addAll(List.of(args));
    return run(command, "docker " + String.join(" ", args), COMMAND, true);
  }

  private String run(List<String> command, String shown, Duration timeout, boolean echo) {
    if (echo) {
      log(shown);
    }
    Script.Result result = Script.run(command, env, timeout);
    assertThat(result.exitCode()).as("%s:%n%s", shown, result.output()).isZero();
    return result.output();
  }

  /**
   * A /24 for the project's network that overlaps no other Docker network's subnet (172.31.240.0/24 to
   * 172.31.255.0/24): one fixed subnet would clash with another project running the same file.
   */
  private static String freeSubnet() {
    Script.Result ids = Script.run(List.of(DOCKER, "network", "ls", "-q"), Map.of(), COMMAND);
    List<String> used = new ArrayList<>();
    if (ids.exitCode() == 0 && !ids.output().isBlank()) {
      List<String> inspect = new ArrayList<>(List.of(DOCKER, "network", "inspect", "-f",
          "{{range .IPAM.Config}}{{.Subnet}} {{end}}"));
      inspect.addAll(ids.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
      Script.Result subnets = Script.run(inspect, Map.of(), COMMAND);
      used.addAll(List.of(subnets.output().strip().split("\\s+")));
    }
    for (int third = 240; third <= 255; third++) {
      String candidate = "172.31." + third + ".0/24";
      if (used.stream().filter(s -> s.matches("\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+"))
          .noneMatch(s -> overlap(s, candidate))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free subnet in 172.31.240.0/20; Docker networks use " + used);
  }

  private static boolean overlap(String a, String b) {
    long[] x = range(a);
    long[] y = range(b);
    return x[0] <= y[1] && y[0] <= x[1];
  }

  private static long[] range(String cidr) {
    String[] parts = cidr.split("/");
    long address = 0;
    for (String octet : parts[0].split("\\.")) {
      address = address << 8 | Long.parseLong(octet);
    }
    int bits = Integer.parseInt(parts[1]);
    long size = 1L << (32 - bits);
    long first = address & ~(size - 1) & 0xFFFFFFFFL;
    return new long[] {first, first + size - 1};
  }
}
