package dev.switchboard.broker.presence;

import dev.switchboard.broker.auth.Admission;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the cluster's presence changes into events, on one node: the cluster's oldest member (Hazelcast's first),
 * which every node agrees on, so each event is sent once. Every node sees the same changes in its copy of the state;
 * the others drop theirs. A going (a user's last subscription to a topic, a topic's last subscriber, a user's last
 * connection) waits {@code graceMs} first: if its coming back arrives in that time, neither is sent, so a client
 * that reconnects does not flap. When the oldest member dies, the next one takes over with the same state (its
 * members' leaves are sent by the new one); goings in their grace at that moment are not sent.
 */
public final class PresenceEvents implements ClusterState.Changes {
  private static final Logger LOG = Logger.getLogger(PresenceEvents.class.getName());
  /** The topic the node publishes topic and user events on. */
  public static final String SYSTEM_TOPIC = "switchboard.events";

  /** Where the events go. */
  public interface Outlet {
    /** A {@code join} or {@code leave} frame of {@code topic}: to its subscribers that asked for them, everywhere. */
    void topicEvent(String topic, JsonObject frame);

    /** An {@code occupied}, {@code vacated}, {@code online} or {@code offline} event. */
    void systemEvent(JsonObject event);
  }

  private final Vertx vertx;
  private final HazelcastClusterManager cluster;
  private final long graceNanos;
  private final Outlet outlet;
  /** A going in its grace: what it is of, when it is due ({@link System#nanoTime}), and how it is sent. */
  private record Going(String key, long at, Runnable send) {
  }

  /** Goings in their grace, by what they are of. */
  private final Map<String, Going> going = new HashMap<>();
  /** The same goings (and cancelled ones), in the order they fall due. */
  private final ArrayDeque<Going> due = new ArrayDeque<>();
  /** The timer of the first due, or -1. */
  private long timer = -1;

  public PresenceEvents(Vertx vertx, HazelcastClusterManager cluster, long graceMs, Outlet outlet) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.graceNanos = Math.max(1, graceMs) * 1_000_000;
    this.outlet = outlet;
  }

  @Override
  public void joined(String topic, PresenceEntry entry) {
    if (!leads()) {
      return; // another node sends them; this one spends nothing on them
    }
    coming("m|" + topic + "|" + entry.userKey(), () -> outlet.topicEvent(topic, frame("join", topic, entry)));
  }

  @Override
  public void left(String topic, PresenceEntry entry) {
    if (!leads()) {
      return; // another node sends them; this one spends nothing on them
    }
    gone("m|" + topic + "|" + entry.userKey(), () -> outlet.topicEvent(topic, frame("leave", topic, entry)));
  }

  @Override
  public void occupied(String topic) {
    if (!leads()) {
      return; // another node sends them; this one spends nothing on them
    }
    if (eventful(topic)) {
      coming("t|" + topic, () -> outlet.systemEvent(event("occupied").put("topic", topic)));
    }
  }

  @Override
  public void vacated(String topic) {
    if (!leads()) {
      return; // another node sends them; this one spends nothing on them
    }
    if (eventful(topic)) {
      gone("t|" + topic, () -> outlet.systemEvent(event("vacated").put("topic", topic)));
    }
  }

  @Override
  public void online(String user) {
    if (!leads()) {
      return; // another node sends them; this one spends nothing on them
    }
    coming("u|" + user, () -> outlet.systemEvent(event("online").put("user", user)));
  }

  @Override
  public void offline(String user) {
    if (!leads()) {
      return; // another node sends them; this one spends nothing on them
    }
    gone("u|" + user, () -> outlet.systemEvent(event("offline").put("user", user)));
  }

  /** A coming: sent at once, unless it cancels a going still in its grace (then neither is sent). */
  private synchronized void coming(String key, Runnable send) {
    if (going.remove(key) == null) {
      send.run();
    }
  }

  /**
   * A going: sent after the grace, unless its coming back cancels it. Every going waits the same grace, so they fall
   * due in the order they came: one queue and one timer serve them all (a dead node's 30,000 members make 30,000
   * entries, not 30,000 timers); a cancelled one stays in the queue until its time, and is passed over then.
   */
  private synchronized void gone(String key, Runnable send) {
    Going g = new Going(key, System.nanoTime() + graceNanos, send);
    going.put(key, g);
    due.add(g);
    if (timer < 0) {
      timer = vertx.setTimer(graceMs(), t -> fire());
    }
  }

  /** Sends the goings whose grace is over and not cancelled (unless the oldest member changed meanwhile). */
  private synchronized void fire() {
    timer = -1;
    long now = System.nanoTime();
    boolean leads = leads();
    while (!due.isEmpty() && due.peek().at - now <= 0) {
      Going g = due.poll();
      if (going.remove(g.key, g) && leads) {
        try {
          g.send.run();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "presence event " + g.key + " could not be sent", e);
        }
      }
    }
    if (!due.isEmpty()) {
      timer = vertx.setTimer(Math.max(1, (due.peek().at - now) / 1_000_000 + 1), t -> fire());
    }
  }

  private long graceMs() {
    return Math.max(1, graceNanos / 1_000_000);
  }

  private boolean leads() {
    try {
      return cluster.getHazelcastInstance().getCluster().getMembers().iterator().next().localMember();
    } catch (RuntimeException e) {
      return false; // Hazelcast is stopping
    }
  }

  /** A topic whose occupancy is told: a concrete topic the node does not reserve. */
  private static boolean eventful(String topic) {
    return !topic.startsWith(Admission.RESERVED_PREFIX) && !dev.switchboard.protocol.Topics.isPattern(topic);
  }

  private static JsonObject event(String name) {
    return new JsonObject().put("event", name).put("at", System.currentTimeMillis());
  }

  private static JsonObject frame(String type, String topic, PresenceEntry entry) {
    return new JsonObject().put("type", type).put("topic", topic).put("user", entry.user())
        .put("client", entry.client()).put("node", entry.node())
        .put("info", entry.info() == null ? null : new io.vertx.core.json.JsonObject("{\"v\":" + entry.info() + "}")
            .getValue("v"));
  }
}
