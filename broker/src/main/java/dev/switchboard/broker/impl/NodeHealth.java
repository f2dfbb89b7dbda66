package dev.switchboard.broker.impl;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The node's health, served on {@code /health/live} and {@code /health/ready}. Live: the node answers (its event
 * loops run). Ready: it is a running member of the cluster, its server is listening, and it is not draining.
 */
final class NodeHealth {
  private final HazelcastClusterManager cluster;
  private final HealthChecks live;
  private final HealthChecks ready;
  private volatile boolean serving;
  private volatile boolean draining;

  NodeHealth(Vertx vertx, HazelcastClusterManager cluster) {
    this.cluster = cluster;
    this.live = HealthChecks.create(vertx).register("event-loop", p -> p.complete(Status.OK()));
    this.ready = HealthChecks.create(vertx)
        .register("cluster", p -> p.complete(clusterStatus()))
        .register("server", p -> p.complete(new Status().setOk(serving && !draining)
            .setData(new JsonObject().put("serving", serving).put("draining", draining))));
  }

  HealthChecks liveChecks() {
    return live;
  }

  HealthChecks readyChecks() {
    return ready;
  }

  /** The server listens on every event loop. */
  void serving() {
    serving = true;
  }

  /** From now on the node refuses new connections and is not ready. */
  void draining() {
    draining = true;
  }

  boolean isDraining() {
    return draining;
  }

  /** What {@code /health/ready} answers, without asking the cluster. */
  boolean isReady() {
    return serving && !draining && joined();
  }

  private boolean joined() {
    HazelcastInstance hazelcast = cluster.getHazelcastInstance();
    return cluster.isActive() && hazelcast != null && hazelcast.getLifecycleService().isRunning();
  }

  private Status clusterStatus() {
    if (!joined()) {
      return Status.KO(new JsonObject().put("member", false));
    }
    return Status.OK(new JsonObject().put("member", true).put("members", cluster.getNodes().size()));
  }
}
