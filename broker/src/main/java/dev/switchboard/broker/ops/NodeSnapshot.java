package dev.switchboard.broker.ops;

import dev.switchboard.broker.cluster.NodeHealth;
import dev.switchboard.broker.BrokerOptions;
import dev.switchboard.broker.NodeStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * What a node says about itself in the {@link ClusterView}, once a second: who it is, where clients reach it, its
 * state and its numbers. Everything is read from what the node keeps anyway ({@link NodeStats}, {@link NodeHealth},
 * the JVM's heap), so taking a snapshot costs the message path nothing. The snapshot travels as a small JSON object
 * (field names as in {@code /api/cluster}); {@link #check} tells a snapshot from anything else on the address.
 */
public final class NodeSnapshot {
  /** The message totals a viewer turns into rates, in the order of {@link #totals}. */
  static final String[] TOTALS = {"published", "received", "delivered"};
  /** The whole-number fields; a snapshot may lack some (a member of another version), never have them otherwise. */
  static final String[] NUMBERS = {"port", "started_at", "uptime_ms", "connections", "sse_streams", "subscriptions",
      "topics", "cluster_consumers", "published", "received", "delivered", "slow_consumer_closes", "heartbeat_timeouts",
      "errors", "heap_used_bytes", "heap_max_bytes"};
  /** Topic names a snapshot carries at most; {@code topics} is always the whole count. */
  static final int TOPIC_NAMES = 50;

  private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0");

  private final String nodeId;
  private final String host;
  private final NodeStats stats;
  private final NodeHealth health;
  private final long startedAtMs = System.currentTimeMillis();
  private final long startedAtNanos = System.nanoTime();
  private volatile int port;

  public NodeSnapshot(String nodeId, BrokerOptions options, NodeStats stats, NodeHealth health) {
    this.nodeId = nodeId;
    // Where clients reach the node: its client interface, or its cluster address when it listens on every one.
    this.host = WILDCARDS.contains(options.host()) ? options.clusterHost() : options.host();
    this.stats = stats;
    this.health = health;
  }

  String nodeId() {
    return nodeId;
  }

  /** The client port, once the server listens (the actual one when 0 was asked for). */
  void port(int port) {
    this.port = port;
  }

  JsonObject take() {
    Runtime jvm = Runtime.getRuntime();
    List<String> topicNames = stats.topicNames(TOPIC_NAMES);
    return new JsonObject()
        .put("id", nodeId)
        .put("host", host)
        .put("port", port)
        .put("started_at", startedAtMs)
        // From the node's monotonic clock: viewers divide by differences of it, unmoved by wall-clock jumps.
        .put("uptime_ms", (System.nanoTime() - startedAtNanos) / 1_000_000)
        .put("state", state())
        .put("connections", stats.connections())
        .put("sse_streams", stats.sseStreams())
        .put("subscriptions", stats.subscriptions())
        .put("topics", stats.topics())
        .put("topic_names", new JsonArray(topicNames))
        .put("cluster_consumers", stats.clusterConsumers())
        .put("published", stats.published())
        .put("received", stats.received())
        .put("delivered", stats.delivered())
        .put("slow_consumer_closes", stats.slowConsumerCloses())
        .put("heartbeat_timeouts", stats.heartbeatTimeouts())
        .put("errors", stats.errors())
        .put("heap_used_bytes", jvm.totalMemory() - jvm.freeMemory())
        .put("heap_max_bytes", jvm.maxMemory());
  }

  private String state() {
    if (health.isDraining()) {
      return "draining";
    }
    return health.isReady() ? "ready" : "starting";
  }

  /**
   * {@code body} as a snapshot, or an exception saying what is wrong with it: the address is a cluster-wide name,
   * and a member of another version (or anything else that publishes there) must not break the view.
   */
  static JsonObject check(Object body) {
    if (!(body instanceof JsonObject snapshot)) {
      throw new IllegalArgumentException("not a JSON object: " + (body == null ? null : body.getClass().getName()));
    }
    if (!(snapshot.getValue("id") instanceof String id) || id.isEmpty()) {
      throw new IllegalArgumentException("no node id");
    }
    if (!(snapshot.getValue("uptime_ms") instanceof Number)) {
      throw new IllegalArgumentException("no uptime_ms");
    }
    for (String field : NUMBERS) {
      number(snapshot, field);
    }
    return snapshot;
  }

  static long uptimeMs(JsonObject snapshot) {
    return number(snapshot, "uptime_ms");
  }

  /** The message totals of {@link #TOTALS}. */
  static long[] totals(JsonObject snapshot) {
    long[] totals = new long[TOTALS.length];
    for (int i = 0; i < TOTALS.length; i++) {
      totals[i] = number(snapshot, TOTALS[i]);
    }
    return totals;
  }

  /** A whole-number field; 0 when missing (a member of an older version), an exception when of another type. */
  static long number(JsonObject snapshot, String field) {
    Object value = snapshot.getValue(field);
    if (value == null) {
      return 0;
    }
    if (!(value instanceof Number n)) {
      throw new IllegalArgumentException(field + " is not a number");
    }
    return n.longValue();
  }
}
