package dev.switchboard.broker.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Switchboard node in its own JVM, started from the real launcher jar ({@code java -jar switchboard-broker.jar}),
 * the jar named by the system property {@code switchboard.jar} (set by failsafe). Output is captured by
 * {@link JavaProcess}; a node is ready when it logs {@code "Switchboard node <id> serving ws://host:port/ws"}.
 */
public final class NodeProcess implements AutoCloseable {
  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  /**
   * JVM options of every node: several nodes share a small machine, so a small heap, one GC thread, and no C2
   * compiler (starts in about 2 s instead of 3-4 s).
   */
  public static final List<String> JVM_ARGS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  /** The drain window of the nodes {@link #start} starts. */
  public static final long TEST_DRAIN_WINDOW_MS = 1000;
  private static final Pattern SERVING = Pattern.compile("Switchboard node (\\S+) serving ws://([^\\s/]+):(\\d+)/ws");

  private final JavaProcess process;
  private volatile String nodeId;
  private volatile int port;

  private NodeProcess(JavaProcess process) {
    this.process = process;
  }

  /**
   * Starts a node on 127.0.0.1 (WebSocket port chosen by the node, cluster port {@code clusterPort}) that joins the
   * cluster members at {@code join} (cluster ports on 127.0.0.1), and waits until it serves. Its drain window is
   * {@value #TEST_DRAIN_WINDOW_MS} ms, so that a stop with clients still connected is quick. {@code extraArgs} come
   * last, so they override the flags set here.
   */
  public static NodeProcess start(String name, String clusterName, int clusterPort, List<Integer> join,
                                  String... extraArgs) {
    List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0",
        "--cluster-host", "127.0.0.1", "--cluster-port", String.valueOf(clusterPort),
        "--cluster-name", clusterName, "--drain-window-ms", String.valueOf(TEST_DRAIN_WINDOW_MS)));
    if (!join.isEmpty()) {
      args.add("--join");
      args.add(String.join(",", join.stream().map(p -> "127.0.0.1:" + p).toList()));
    }
    args.addAll(List.of(extraArgs));
    return launch(name, args, Map.of()).awaitServing();
  }

  /** Runs {@code java -jar switchboard-broker.jar <args>} with {@code env} added to the environment; returns at once. */
  public static NodeProcess launch(String name, List<String> args, Map<String, String> env) {
    List<String> javaArgs = new ArrayList<>(JVM_ARGS);
    javaArgs.add("-jar");
    javaArgs.add(jar().toString());
    javaArgs.addAll(args);
    return new NodeProcess(JavaProcess.start(name, javaArgs, env));
  }

  /** The launcher jar under test. */
  public static Path jar() {
    String jar = System.getProperty("switchboard.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("system property switchboard.jar must name the launcher jar (is: " + jar
          + "); run with mvn verify, after package");
    }
    return Path.of(jar);
  }

  /**
   * Waits (up to {@link #START_TIMEOUT}) for the line saying the node serves and reads its node id and port from it.
   * If the node exits or the time passes first, kills it and fails with its output.
   */
  public NodeProcess awaitServing() {
    String line;
    try {
      line = process.awaitLine(l -> SERVING.matcher(l).find(), START_TIMEOUT);
    } catch (AssertionError e) {
      process.close();
      throw e;
    }
    Matcher m = SERVING.matcher(line);
    if (!m.find()) {
      throw new IllegalStateException(line);
    }
    nodeId = m.group(1);
    port = Integer.parseInt(m.group(3));
    return this;
  }

  /** The WebSocket URL, on 127.0.0.1; known after {@link #awaitServing()}. */
  public String url() {
    requireServing();
    return "ws://127.0.0.1:" + port + "/ws";
  }

  public int port() {
    requireServing();
    return port;
  }

  /** The node's cluster member id, as its clients see it in {@code welcome}. */
  public String nodeId() {
    requireServing();
    return nodeId;
  }

  public String name() {
    return process.name();
  }

  /** SIGKILL, as a crash would; waits until the process is gone and returns its exit code. */
  public int kill() {
    return process.kill();
  }

  /**
   * SIGSTOP: the process stops dead with its sockets open, as a node that lost power or was cut off by the network
   * looks to its peers (nothing closes, nothing answers). {@link #thaw()} lets it run again.
   */
  public void freeze() {
    signal("STOP");
  }

  /** SIGCONT after {@link #freeze()}. */
  public void thaw() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGTERM, then waits (up to 30 s, else kills it and fails) and returns the exit code. */
  public int stop() {
    return process.stop();
  }

  public int awaitExit(Duration timeout) {
    return process.awaitExit(timeout);
  }

  public OptionalInt exitCode() {
    return process.exitCode();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Every line of stdout and stderr so far. */
  public List<String> output() {
    return process.output();
  }

  public List<String> stdout() {
    return process.stdout();
  }

  public List<String> stderr() {
    return process.stderr();
  }

  public JavaProcess process() {
    return process;
  }

  /** Kills the node if it still runs. */
  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return process.name() + (port > 0 ? " " + url() : "");
  }

  private void requireServing() {
    if (port == 0) {
      throw new IllegalStateException(process.name() + " is not serving yet; call awaitServing()");
    }
  }
}
