package dev.switchboard.bench.fleet;

import dev.switchboard.bench.BenchArgs;
import dev.switchboard.bench.BenchOptions;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The settings only the {@code fleet} scenario has, with their defaults, and the fleet's defaults of the shared ones
 * ({@code --nodes}, {@code --connections}, {@code --node-jvm}, {@code --settle}; read by {@link BenchOptions}).
 * {@code --warmup} is a number of publishes here, not a time.
 */
public final class FleetOptions {
  public static final int DEFAULT_NODES = 6;
  public static final int DEFAULT_CONNECTIONS = 100_000;
  public static final int DEFAULT_GROUPS = 100;
  public static final int DEFAULT_WARMUP = 5;
  public static final int DEFAULT_PUBLISHES = 20;
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(4);
  /** One heartbeat interval of the nodes (25 s): every connection's ping and pong falls in the window once. */
  public static final Duration DEFAULT_IDLE = Duration.ofSeconds(25);
  /** After connecting: the nodes' JIT and GC settle after the storm of handshakes before their idle CPU is read. */
  public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(30);
  /** Connections per source address: few enough that binding a connection's port stays quick. */
  public static final int DEFAULT_PER_ADDRESS = 4_000;
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(60);
  public static final String DEFAULT_NODE_JVM = "-Xms1g -Xmx1g -Xmn64m";
  public static final String DEFAULT_GENERATOR_JVM = "-Xms256m -Xmx256m";
  /** Warm-up and counted publishes together at most: each connection keeps a bit per publish. */
  public static final int MAX_PUBLISHES = 10_000;
  public static final int MAX_NODES = 50;

  public int groups = DEFAULT_GROUPS;
  public int warmup = DEFAULT_WARMUP;
  public int publishes = DEFAULT_PUBLISHES;
  public Duration interval = DEFAULT_INTERVAL;
  public Duration idle = DEFAULT_IDLE;
  public Duration maxWait = DEFAULT_MAX_WAIT;
  public List<String> generatorJvm = split(DEFAULT_GENERATOR_JVM);

  public static FleetOptions parse(BenchArgs args) {
    FleetOptions f = new FleetOptions();
    f.groups = args.integer("groups", f.groups);
    f.warmup = args.integer("warmup", f.warmup);
    f.publishes = args.integer("publishes", f.publishes);
    f.interval = args.duration("interval", f.interval);
    f.idle = args.duration("idle", f.idle);
    f.maxWait = args.duration("max-wait", f.maxWait);
    f.generatorJvm = split(args.string("generator-jvm", DEFAULT_GENERATOR_JVM));
    return f;
  }

  /** Warm-up and counted publishes: the sequence numbers 0 .. total - 1. */
  public int total() {
    return warmup + publishes;
  }

  /** Checks these and the shared settings the fleet uses; the message names the flag. */
  public void validate(BenchOptions o) {
    require(o.nodes >= 1 && o.nodes <= MAX_NODES, "nodes", "must be between 1 and " + MAX_NODES);
    require(o.connections >= o.nodes, "connections", "must be at least --nodes (one generator per node)");
    require(groups >= 1 && groups <= o.connections, "groups", "must be between 1 and --connections");
    require(warmup >= 0, "warmup", "must not be negative (a number of publishes)");
    require(publishes >= 1, "publishes", "must be at least 1");
    require(total() <= MAX_PUBLISHES, "publishes", "warm-up and counted publishes together: at most " + MAX_PUBLISHES);
    require(interval.toMillis() >= 10, "interval", "must be at least 10ms");
    require(idle.toMillis() >= 100, "idle", "must be at least 100ms");
    require(maxWait.toMillis() >= 100, "max-wait", "must be at least 100ms");
    require(!o.settle.isNegative(), "settle", "must not be negative");
    require(o.url == null, "url", "fleet starts its own nodes");
    require(o.instances >= 0, "instances", "must be 0 (the launcher's default) or more");
    require(o.connectRate >= 0, "connect-rate", "must not be negative");
    require(o.perAddress >= 1 && o.perAddress <= 28_000, "per-address", "must be between 1 and 28000");
  }

  private static void require(boolean ok, String flag, String message) {
    if (!ok) {
      throw new IllegalArgumentException(flag + ": " + message);
    }
  }

  static List<String> split(String s) {
    return s.trim().isEmpty() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
  }
}
