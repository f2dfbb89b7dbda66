package dev.switchboard.broker.presence;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import dev.switchboard.broker.auth.UserConnections;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
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
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps every node's {@link ClusterState} the same: this node's own changes are applied to its own slice at once and
 * sent to every other node in batches ({@value #FLUSH_MS} ms), numbered; another node's batches are applied in their
 * order. A node that misses a batch (a gap in the numbers, or a heartbeat every {@value #BEAT_MS} ms whose number is
 * ahead), or hears from a node it holds no copy of, asks that node for a copy of its slice ({@link Replica}) and
 * applies the batches after it. A node the cluster removes (it left, or died: the failure-detection time) is
 * dropped from the state; after a partition heals, the merged node takes fresh copies of everyone, and everyone of
 * it. Subscriber counts are summed per topic within a batch. One per node, a verticle of its own; reads
 * ({@link PresenceView}) are local and take no lock.
 */
public final class PresenceService extends VerticleBase implements PresenceView, UserConnections.Listener {
  static final String DELTAS = "sb.presence.deltas";
  static final String COPY_PREFIX = "sb.presence.copy.";
  static final long FLUSH_MS = 20;
  static final long BEAT_MS = 5_000;
  static final long COPY_TIMEOUT_MS = 10_000;
  /** This node's own slice, under a name of its own: the node id changes when a partition heals. */
  private static final String SELF = "";
  private static final Logger LOG = Logger.getLogger(PresenceService.class.getName());

  /** What this node knows of another node's batches. */
  private static final class Remote {
    long seq;
    boolean copying;
    final List<JsonObject> held = new ArrayList<>();
  }

  private final ClusterState state;
  private final HazelcastClusterManager cluster;
  private final Map<String, Remote> remotes = new HashMap<>();
  /** This node's changes not yet sent: presence entries in order, subscriber counts summed per topic. */
  private JsonArray pending = new JsonArray();
  private final Map<String, Integer> pendingCounts = new HashMap<>();
  private long seq;
  private boolean flushing;
  private Context home;
  private MessageConsumer<JsonObject> deltas;
  private MessageConsumer<String> copies;
  private long beat = -1;
  private UUID membership;
  private final PresenceEvents events;

  public PresenceService(List<String> patterns, HazelcastClusterManager cluster, PresenceEvents events) {
    this.state = new ClusterState(patterns, events);
    this.cluster = cluster;
    this.events = events;
  }

  @Override
  public Future<?> start() {
    home = context;
    deltas = vertx.eventBus().consumer(DELTAS, m -> received(m.body()));
    copies = vertx.eventBus().consumer(COPY_PREFIX + cluster.getNodeId(), this::copyAsked);
    beat = vertx.setPeriodic(BEAT_MS, t -> beat());
    HazelcastInstance hazelcast = cluster.getHazelcastInstance();
    membership = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        events.membersChanged(); // first: the goings the old oldest member may not have sent
        prune();
      }
    });
    return Future.all(deltas.completion(), copies.completion()).onSuccess(v -> {
      copyAll();
      flushSoon(); // what this node's clients did before it started
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(beat);
    try {
      cluster.getHazelcastInstance().getCluster().removeMembershipListener(membership);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "presence: Hazelcast is already stopped", e);
    }
    return Future.all(deltas.unregister(), copies.unregister());
  }

  // --- this node's own changes, from any event loop

  /** A client of this node subscribed to {@code topic}: counted, and listed when presence covers the topic. */
  public void subscribed(String topic, String client, String user, String info) {
    synchronized (this) {
      state.count(SELF, topic, 1);
      pendingCounts.merge(topic, 1, Integer::sum);
      if (covers(topic)) {
        state.join(SELF, topic, new PresenceEntry(client, user, info, cluster.getNodeId()));
        pending.add(new JsonArray().add(1).add(topic).add(client).add(user).add(info));
      }
    }
    flushSoon();
  }

  /** A client of this node left {@code topic} (it unsubscribed or closed). */
  public void unsubscribed(String topic, String client) {
    synchronized (this) {
      state.count(SELF, topic, -1);
      pendingCounts.merge(topic, -1, Integer::sum);
      if (covers(topic)) {
        state.leave(SELF, topic, client);
        pending.add(new JsonArray().add(0).add(topic).add(client));
      }
    }
    flushSoon();
  }

  @Override
  public void connected(String user) {
    userOp(user, true);
  }

  @Override
  public void disconnected(String user) {
    userOp(user, false);
  }

  private void userOp(String user, boolean connected) {
    synchronized (this) {
      state.user(SELF, user, connected);
      pending.add(new JsonArray().add(3).add(user).add(connected));
    }
    flushSoon();
  }

  /** After a partition healed: this node has a new id, and takes a fresh copy of every other node. */
  public void merged() {
    home.runOnContext(v -> {
      copies.unregister();
      copies = vertx.eventBus().consumer(COPY_PREFIX + cluster.getNodeId(), this::copyAsked);
      synchronized (this) {
        for (String node : new ArrayList<>(remotes.keySet())) {
          remotes.remove(node);
          state.drop(node);
        }
      }
      copies.completion().onComplete(ar -> copyAll());
    });
  }

  // --- reads

  @Override
  public boolean covers(String topic) {
    return state.covers(topic);
  }

  @Override
  public Page<PresenceEntry> members(String topic, String after, int limit) {
    return state.members(topic, after, limit);
  }

  @Override
  public PresenceCounts counts(String topic) {
    return state.counts(topic);
  }

  @Override
  public Page<TopicCount> topics(String pattern, String after, int limit) {
    return state.topics(pattern, after, limit);
  }

  @Override
  public int subscribers(String topic) {
    return state.subscribers(topic);
  }

  @Override
  public int liveTopics() {
    return state.liveTopics();
  }

  // --- replication, on this verticle's event loop

  private void flushSoon() {
    synchronized (this) {
      if (flushing || home == null) {
        return;
      }
      flushing = true;
    }
    home.runOnContext(v -> vertx.setTimer(FLUSH_MS, t -> flush()));
  }

  private synchronized void flush() {
    flushing = false;
    pendingCounts.forEach((topic, n) -> {
      if (n != 0) {
        pending.add(new JsonArray().add(2).add(topic).add(n));
      }
    });
    pendingCounts.clear();
    if (pending.isEmpty()) {
      return;
    }
    seq++;
    vertx.eventBus().publish(DELTAS, new JsonObject().put("n", cluster.getNodeId()).put("s", seq).put("o", pending));
    pending = new JsonArray();
  }

  private synchronized void beat() {
    prune();
    flush();
    vertx.eventBus().publish(DELTAS, new JsonObject().put("n", cluster.getNodeId()).put("s", seq).put("b", true));
  }

  private void received(JsonObject delta) {
    String node = delta.getString("n");
    Long s = delta.getLong("s");
    if (node == null || s == null || node.equals(cluster.getNodeId()) || !member(node)) {
      return; // our own, or a node that is gone (its state went with it) or not yet listed (it comes by copy)
    }
    synchronized (this) {
      Remote remote = remotes.computeIfAbsent(node, n -> new Remote());
      boolean beatOnly = delta.getBoolean("b", false);
      if (remote.copying) {
        if (!beatOnly) {
          remote.held.add(delta);
        }
      } else if (beatOnly ? s != remote.seq : s > remote.seq + 1) {
        copy(node, remote);
      } else if (!beatOnly && s == remote.seq + 1) {
        apply(node, delta);
        remote.seq = s;
      }
    }
  }

  private void apply(String node, JsonObject delta) {
    JsonArray ops = delta.getJsonArray("o");
    for (int i = 0; i < ops.size(); i++) {
      JsonArray op = ops.getJsonArray(i);
      switch (op.getInteger(0)) {
        case 0 -> state.leave(node, op.getString(1), op.getString(2));
        case 1 -> state.join(node, op.getString(1), new PresenceEntry(op.getString(2), op.getString(3),
            op.getString(4), node));
        case 2 -> state.count(node, op.getString(1), op.getInteger(2));
        default -> state.user(node, op.getString(1), op.getBoolean(2));
      }
    }
  }

  /** Asks every other member for a copy of its slice (at start, and after a partition healed). */
  private synchronized void copyAll() {
    for (String node : cluster.getNodes()) {
      if (!node.equals(cluster.getNodeId())) {
        copy(node, remotes.computeIfAbsent(node, n -> new Remote()));
      }
    }
  }

  private void copy(String node, Remote remote) {
    remote.copying = true;
    remote.held.clear();
    vertx.eventBus().<JsonObject>request(COPY_PREFIX + node, cluster.getNodeId(),
        new DeliveryOptions().setSendTimeout(COPY_TIMEOUT_MS)).onComplete(ar -> {
          synchronized (this) {
            if (remotes.get(node) != remote) {
              return; // the node left meanwhile
            }
            remote.copying = false;
            if (ar.failed()) {
              remote.seq = -1; // its next heartbeat asks again
              LOG.log(Level.FINE, () -> "presence: no copy from " + node + ": " + ar.cause());
              return;
            }
            JsonObject copy = ar.result().body();
            state.replace(node, Replica.slice(copy, node));
            remote.seq = copy.getLong("s");
            List<JsonObject> held = new ArrayList<>(remote.held);
            remote.held.clear();
            held.sort(Comparator.comparingLong(d -> d.getLong("s")));
            for (JsonObject delta : held) {
              long s = delta.getLong("s");
              if (s == remote.seq + 1) {
                apply(node, delta);
                remote.seq = s;
              } else if (s > remote.seq + 1) {
                copy(node, remote);
                return;
              }
            }
          }
        });
  }

  /** Another node asks for this node's slice: what is pending goes out first, so the copy has its number. */
  private void copyAsked(Message<String> request) {
    synchronized (this) {
      flush();
      request.reply(state.read(SELF, slice -> Replica.json(slice, seq)));
    }
  }

  /**
   * Drops the slices of nodes the cluster no longer lists (Hazelcast's member list, which Vert.x's node ids are
   * attributes of): on every member removal, and at every heartbeat.
   */
  private void prune() {
    Set<String> listed;
    try {
      listed = new HashSet<>(cluster.getNodes());
    } catch (RuntimeException e) {
      return; // Hazelcast is stopping
    }
    synchronized (this) {
      for (String node : state.nodes()) {
        if (!node.equals(SELF) && !listed.contains(node)) {
          remotes.remove(node);
          state.drop(node);
        }
      }
    }
  }

  private boolean member(String node) {
    try {
      return new HashSet<>(cluster.getNodes()).contains(node);
    } catch (RuntimeException e) {
      return false; // Hazelcast is stopping
    }
  }

  /** Nodes with a slice here (this node's own under the empty name): for tests. */
  Set<String> nodesHeld() {
    return new HashSet<>(state.nodes());
  }
}
