package dev.switchboard.broker.ops;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster as this node sees it, for the dashboard ({@code GET /api/cluster}). One per node (a verticle of its
 * own, so it stops with the node). Once a second it publishes this node's {@link NodeSnapshot} on the clustered
 * event-bus address {@value #ADDRESS} and keeps the latest snapshot of every member, turning successive totals into
 * rates (msg/s). A member is dropped as soon as the cluster manager no longer lists it (it left or was declared
 * dead), or after {@value #SILENT_MS} ms without a snapshot (it is a member, but its view is stopped or cut off).
 *
 * <p>Why the event bus and not a Hazelcast map: every node needs every other's latest numbers, and a publish on the
 * event bus goes once to each node, like a message to a topic, while a map would make each read of the view a cluster
 * round trip (or a listener per node) and keep backups of data that is stale a second later. The cost is one small
 * message per node per second to each other node, and nothing on the message path: the snapshot reads counters the
 * node keeps anyway. The view is rendered when asked for, at most once per tick (kept as a string until the next):
 * a node nobody watches spends nothing on it.
 */
public final class ClusterView extends VerticleBase {
  static final String ADDRESS = "sb.cluster.view";
  static final long INTERVAL_MS = 1000;
  static final long SILENT_MS = 5000;
  /** Points of the rate chart: five minutes at one a second. */
  static final int SERIES_POINTS = 300;
  /** Topics listed at most in the view; the totals still count them all. */
  static final int TOPICS_LISTED = 100;

  private static final Logger LOG = Logger.getLogger(ClusterView.class.getName());

  /** The latest snapshot of one member, the rates from its last two, and when it arrived (this node's clock). */
  private static final class Member {
    JsonObject latest;
    double[] rates = new double[NodeSnapshot.TOTALS.length];
    long arrivedAtNanos;
  }

  private final NodeSnapshot self;
  private final HazelcastClusterManager cluster;
  private final Map<String, Member> members = new HashMap<>();
  private final RateSeries series = new RateSeries(SERIES_POINTS);
  private MessageConsumer<Object> consumer;
  private long timer = -1;
  private int memberCount;
  /** The rendered view, or null when something changed since: guarded by this, like the state it renders. */
  private String json;

  public ClusterView(NodeSnapshot self, HazelcastClusterManager cluster) {
    this.self = self;
    this.cluster = cluster;
  }

  /** The client port this node's snapshots announce, once the server listens. */
  public void listening(int port) {
    self.port(port);
  }

  /** The view as {@code /api/cluster} answers it, as of the last tick; safe to call from any thread. */
  public synchronized String json() {
    if (json == null) {
      json = render();
    }
    return json;
  }

  /** The ids of the cluster's members as the cluster manager lists them now (this node alone once it is leaving). */
  public List<String> memberIds() {
    try {
      return List.copyOf(cluster.getNodes());
    } catch (RuntimeException e) { // Hazelcast is shutting down
      return List.of(self.nodeId());
    }
  }

  /**
   * The latest snapshot of every member heard from, ordered by start (fields as in {@code /api/cluster}'s
   * {@code nodes}, without rates and topic names); as of the last tick, safe to call from any thread.
   */
  public synchronized List<JsonObject> nodes() {
    List<Member> shown = new ArrayList<>(members.values());
    shown.sort(Comparator.comparingLong((Member m) -> NodeSnapshot.number(m.latest, "started_at"))
        .thenComparing(m -> m.latest.getString("id")));
    List<JsonObject> nodes = new ArrayList<>(shown.size());
    for (Member member : shown) {
      JsonObject node = member.latest.copy();
      node.remove("topic_names");
      nodes.add(node);
    }
    return nodes;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(ADDRESS, this::received);
    timer = vertx.setPeriodic(INTERVAL_MS, t -> tick());
    tick();
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return consumer.unregister();
  }

  private void received(Message<Object> message) {
    JsonObject snapshot;
    try {
      snapshot = NodeSnapshot.check(message.body());
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Ignored a message on " + ADDRESS + ": " + e.getMessage());
      return;
    }
    if (!self.nodeId().equals(snapshot.getString("id"))) { // our own comes back too: it is recorded at the tick
      synchronized (this) {
        record(snapshot, System.nanoTime());
      }
    }
  }

  private synchronized void tick() {
    JsonObject mine = self.take();
    vertx.eventBus().publish(ADDRESS, mine);
    long now = System.nanoTime();
    record(mine, now);
    prune(now);
    double[] sums = new double[NodeSnapshot.TOTALS.length];
    for (Member member : members.values()) {
      for (int i = 0; i < sums.length; i++) {
        sums[i] += member.rates[i];
      }
    }
    series.add(System.currentTimeMillis(), sums);
    json = null;
  }

  /** Keeps {@code snapshot} as its member's latest, with the rates since the one before (by the sender's clock). */
  private void record(JsonObject snapshot, long now) {
    Member member = members.computeIfAbsent(snapshot.getString("id"), id -> new Member());
    if (member.latest != null) {
      long elapsedMs = NodeSnapshot.uptimeMs(snapshot) - NodeSnapshot.uptimeMs(member.latest);
      if (elapsedMs <= 0) {
        return; // a copy, or one overtaken by a newer
      }
      long[] before = NodeSnapshot.totals(member.latest);
      long[] after = NodeSnapshot.totals(snapshot);
      for (int i = 0; i < after.length; i++) {
        member.rates[i] = Math.max(0, after[i] - before[i]) * 1000.0 / elapsedMs;
      }
    }
    member.latest = snapshot;
    member.arrivedAtNanos = now;
  }

  /** Drops the members the cluster manager no longer lists and those silent for too long. */
  private void prune(long now) {
    Set<String> listed;
    try {
      listed = new HashSet<>(cluster.getNodes());
    } catch (RuntimeException e) { // Hazelcast is shutting down: only this node is left to show
      listed = Set.of(self.nodeId());
    }
    memberCount = listed.size();
    Set<String> current = listed;
    members.entrySet().removeIf(e -> !current.contains(e.getKey())
        || now - e.getValue().arrivedAtNanos > SILENT_MS * 1_000_000);
  }

  private String render() {
    long now = System.nanoTime();
    List<Member> shown = new ArrayList<>(members.values());
    shown.sort(Comparator.comparingLong((Member m) -> NodeSnapshot.number(m.latest, "started_at"))
        .thenComparing(m -> m.latest.getString("id")));
    JsonArray nodes = new JsonArray();
    Map<String, JsonArray> topics = new TreeMap<>();
    boolean topicsComplete = true;
    String[] summed = {"connections", "subscriptions", "cluster_consumers", "slow_consumer_closes",
        "heartbeat_timeouts", "errors"};
    long[] sums = new long[summed.length];
    double[] rates = new double[NodeSnapshot.TOTALS.length];
    for (Member member : shown) {
      JsonObject node = member.latest.copy();
      Object names = node.remove("topic_names");
      if (names instanceof JsonArray list) {
        for (Object topic : list) {
          if (topic instanceof String name) {
            topics.computeIfAbsent(name, t -> new JsonArray()).add(node.getString("id"));
          }
        }
        topicsComplete &= list.size() >= NodeSnapshot.number(node, "topics");
      }
      JsonObject nodeRates = new JsonObject();
      for (int i = 0; i < rates.length; i++) {
        rates[i] += member.rates[i];
        nodeRates.put(NodeSnapshot.TOTALS[i], round(member.rates[i]));
      }
      for (int i = 0; i < summed.length; i++) {
        sums[i] += NodeSnapshot.number(node, summed[i]);
      }
      nodes.add(node.put("rates", nodeRates).put("age_ms", (now - member.arrivedAtNanos) / 1_000_000));
    }
    JsonObject totals = new JsonObject().put("nodes", shown.size()).put("members", memberCount);
    for (int i = 0; i < summed.length; i++) {
      totals.put(summed[i], sums[i]);
    }
    totals.put("topics", topics.size()).put("topics_complete", topicsComplete && topics.size() <= TOPICS_LISTED);
    JsonObject totalRates = new JsonObject();
    for (int i = 0; i < rates.length; i++) {
      totalRates.put(NodeSnapshot.TOTALS[i], round(rates[i]));
    }
    JsonArray topicList = new JsonArray();
    topics.entrySet().stream().limit(TOPICS_LISTED)
        .forEach(e -> topicList.add(new JsonObject().put("topic", e.getKey()).put("nodes", e.getValue())));
    return new JsonObject()
        .put("node", self.nodeId())
        .put("time", System.currentTimeMillis())
        .put("interval_ms", INTERVAL_MS)
        .put("nodes", nodes)
        .put("totals", totals.put("rates", totalRates))
        .put("topics", topicList)
        .put("series", series.toJson())
        .encode();
  }

  /** A rate to one decimal: the dashboard shows no more, and the answer stays short. */
  static double round(double rate) {
    return Math.round(rate * 10) / 10.0;
  }
}
