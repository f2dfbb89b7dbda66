package dev.switchboard.broker.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The node's health, served on {@code /health/live} and {@code /health/ready}. Live: the node answers (its event
 * loops run). Ready: it is a running member of the cluster with a quorum, its server is listening, and it is not
 * draining.
 *
 * <p>Quorum: the node sees at least {@code min-members} members, itself included. A node whose join list names another
 * member needs two until it has first reached its quorum (so it never says ready alone before it has joined anyone);
 * after that, {@code min-members}: with a majority there, one node lost leaves the others ready, and a node cut off
 * alone loses it. Losing it calls the listener given to {@link #onQuorumLost}, once per loss.
 */
public final class NodeHealth implements MembershipListener {
  private final HazelcastClusterManager cluster;
  private final int minMembers;
  private final boolean joinsOthers;
  private final HealthChecks live;
  private final HealthChecks ready;
  private volatile boolean serving;
  private volatile boolean draining;
  /** Whether the node has had its quorum since it started. */
  private volatile boolean formed;
  private volatile boolean quorate;
  private volatile Runnable quorumLost = () -> { };

  public NodeHealth(Vertx vertx, HazelcastClusterManager cluster, int minMembers, boolean joinsOthers) {
    this.cluster = cluster;
    this.minMembers = minMembers;
    this.joinsOthers = joinsOthers;
    this.live = HealthChecks.create(vertx).register("event-loop", p -> p.complete(Status.OK()));
    this.ready = HealthChecks.create(vertx)
        .register("cluster", p -> p.complete(clusterStatus()))
        .register("server", p -> p.complete(new Status().setOk(serving && !draining)
            .setData(new JsonObject().put("serving", serving).put("draining", draining))));
    HazelcastInstance hazelcast = cluster.getHazelcastInstance();
    hazelcast.getCluster().addMembershipListener(this);
    recheck();
  }

  public HealthChecks liveChecks() {
    return live;
  }

  public HealthChecks readyChecks() {
    return ready;
  }

  /** Runs {@code action} (on a Hazelcast thread) each time the node loses its quorum after having had it. */
  public void onQuorumLost(Runnable action) {
    quorumLost = action;
  }

  /** The server listens on every event loop. */
  public void serving() {
    serving = true;
  }

  /** From now on the node refuses new connections and is not ready. */
  public void draining() {
    draining = true;
  }

  public boolean isDraining() {
    return draining;
  }

  /** What {@code /health/ready} answers, without asking the cluster. */
  public boolean isReady() {
    return serving && !draining && quorate && joined();
  }

  /** Why the node refuses new clients now (draining, or no quorum), or null when it takes them. */
  public String refusal() {
    if (draining) {
      return "the node is draining: connect to another node";
    }
    if (!quorate) {
      return "the node sees " + members() + " of the " + required()
          + " cluster members it needs (min-members): connect to another node";
    }
    return null;
  }

  /** Whether the node sees its quorum of members. */
  public boolean quorate() {
    return quorate;
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    recheck();
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    recheck();
  }

  private synchronized void recheck() {
    boolean now = joined() && members() >= required();
    if (now) {
      formed = true;
    }
    boolean lost = quorate && !now;
    quorate = now;
    if (lost) {
      quorumLost.run();
    }
  }

  private int required() {
    return formed || !joinsOthers ? minMembers : Math.max(2, minMembers);
  }

  private int members() {
    try {
      return cluster.getHazelcastInstance().getCluster().getMembers().size();
    } catch (RuntimeException e) {
      return 0; // Hazelcast is stopping
    }
  }

  private boolean joined() {
    HazelcastInstance hazelcast = cluster.getHazelcastInstance();
    return cluster.isActive() && hazelcast != null && hazelcast.getLifecycleService().isRunning();
  }

  private Status clusterStatus() {
    recheck();
    if (!joined()) {
      return Status.KO(new JsonObject().put("member", false));
    }
    JsonObject data = new JsonObject().put("member", true).put("members", members())
        .put("minMembers", required());
    if (!quorate) {
      return Status.KO(data.put("reason", refusalOfQuorum()));
    }
    return Status.OK(data);
  }

  private String refusalOfQuorum() {
    return formed ? "lost its quorum: sees " + members() + " of " + required() + " members"
        : "waiting for members: sees " + members() + " of " + required();
  }
}
