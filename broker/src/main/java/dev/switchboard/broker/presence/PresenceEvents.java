package dev.switchboard.broker.presence;

import dev.switchboard.broker.auth.Admission;
import dev.switchboard.protocol.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the cluster's presence changes into events, sent by one node: the cluster's oldest member (Hazelcast's first),
 * which every node agrees on, so each event is sent once. Every node sees the same changes in its copy of the state
 * and keeps the same goings in their grace; only the oldest sends. A going (a user's last subscription to a topic, a
 * topic's last subscriber, a user's last connection) waits {@code graceMs} first: if its coming back arrives in that
 * time, neither is sent, so a client that reconnects does not flap. When the oldest member dies, the next one takes
 * over with the same state: it sends the leaves of the dead node's members, and the goings that were in their grace
 * when their grace ends. A coming raised in the instant the oldest member dies may be sent by neither.
 */
public final class PresenceEvents implements ClusterState.Changes {
  private static final Logger LOG = Logger.getLogger(PresenceEvents.class.getName());
  /** Beyond the failure-detection time: Hazelcast's heartbeat and a busy machine. */
  static final long WINDOW_SLACK_MS = 3_000;
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
  /**
   * Goings that fell due while another node was the oldest, by what they are of, in the order they fell due: kept for
   * {@link #windowNanos}, in case that node died before it sent them ({@link #membersChanged}).
   */
  private final Map<String, Going> passed = new LinkedHashMap<>();
  /** How long a dead oldest member may go unnoticed (the failure-detection time), and some slack. */
  private final long windowNanos;
  /** This node was the oldest member when last looked. */
  private boolean led;

  /**
   * {@code failureDetectionMs}: how long the cluster takes to remove a dead member; the goings that fall due in that
   * time are sent again by the next oldest member if the oldest dies.
   */
  public PresenceEvents(Vertx vertx, HazelcastClusterManager cluster, long graceMs, long failureDetectionMs,
                        Outlet outlet) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.graceNanos = Math.max(1, graceMs) * 1_000_000;
    this.windowNanos = (failureDetectionMs + WINDOW_SLACK_MS) * 1_000_000;
    this.outlet = outlet;
  }

  @Override
  public void joined(String topic, PresenceEntry entry) {
    coming("m|" + topic + "|" + entry.userKey(), () -> outlet.topicEvent(topic, frame("join", topic, entry)));
  }

  @Override
  public void left(String topic, PresenceEntry entry) {
    gone("m|" + topic + "|" + entry.userKey(), () -> outlet.topicEvent(topic, frame("leave", topic, entry)));
  }

  @Override
  public void occupied(String topic) {
    if (eventful(topic)) {
      coming("t|" + topic, () -> outlet.systemEvent(event("occupied").put("topic", topic)));
    }
  }

  @Override
  public void vacated(String topic) {
    if (eventful(topic)) {
      gone("t|" + topic, () -> outlet.systemEvent(event("vacated").put("topic", topic)));
    }
  }

  @Override
  public void online(String user) {
    coming("u|" + user, () -> outlet.systemEvent(event("online").put("user", user)));
  }

  @Override
  public void offline(String user) {
    gone("u|" + user, () -> outlet.systemEvent(event("offline").put("user", user)));
  }

  /**
   * A coming: sent at once (by the oldest member), unless it cancels a going still in its grace (then neither is
   * sent).
   */
  private synchronized void coming(String key, Runnable send) {
    passed.remove(key); // its going is over: not to be sent again on a change of the oldest member
    if (going.remove(key) == null && lead()) {
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

  /**
   * Sends the goings whose grace is over and not cancelled, on the oldest member; the others keep them a while
   * ({@link #passed}).
   */
  private synchronized void fire() {
    timer = -1;
    long now = System.nanoTime();
    boolean leads = lead();
    while (!due.isEmpty() && due.peek().at - now <= 0) {
      Going g = due.poll();
      if (!going.remove(g.key, g)) {
        continue; // cancelled by its coming back
      }
      if (leads) {
        send(g);
      } else {
        passed.remove(g.key);
        passed.put(g.key, g);
      }
    }
    var oldest = passed.values().iterator();
    while (oldest.hasNext() && now - oldest.next().at > windowNanos) {
      oldest.remove();
    }
    if (!due.isEmpty()) {
      timer = vertx.setTimer(Math.max(1, (due.peek().at - now) / 1_000_000 + 1), t -> fire());
    }
  }

  /**
   * A member left the cluster (from the membership listener of {@code PresenceService}). If this node has just become
   * the oldest, the oldest died or left: the goings that fell due within the failure-detection time before may not
   * have been sent by it, and are sent now (those it did send come twice).
   */
  public synchronized void membersChanged() {
    lead();
  }

  /** Whether this node is the oldest member; on becoming it, sends what the old one may not have sent. */
  private boolean lead() {
    boolean leads = leads();
    if (leads && !led) {
      long now = System.nanoTime();
      for (Going g : passed.values()) {
        if (now - g.at <= windowNanos) {
          send(g);
        }
      }
      passed.clear();
    }
    led = leads;
    return leads;
  }

  private void send(Going g) {
    try {
      g.send.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "presence event " + g.key + " could not be sent", e);
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
    return !topic.startsWith(Admission.RESERVED_PREFIX) && !Topics.isPattern(topic);
  }

  private static JsonObject event(String name) {
    return new JsonObject().put("event", name).put("at", System.currentTimeMillis());
  }

  private static JsonObject frame(String type, String topic, PresenceEntry entry) {
    return new JsonObject().put("type", type).put("topic", topic).put("user", entry.user())
        .put("client", entry.client()).put("node", entry.node())
        .put("info", entry.info() == null ? null : Json.decodeValue(entry.info()));
  }
}
