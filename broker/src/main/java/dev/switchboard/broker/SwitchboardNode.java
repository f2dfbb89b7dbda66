package dev.switchboard.broker;

import dev.switchboard.broker.impl.NodeBootstrap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * A running Switchboard node: a clustered Vert.x with embedded Hazelcast, serving WebSocket clients on
 * {@code ws://host:port/ws}. Start one with {@link #start(BrokerOptions)}; several started with the same cluster name
 * and a {@code join} list form one cluster.
 */
public final class SwitchboardNode {
  private final NodeBootstrap.Started started;

  private SwitchboardNode(NodeBootstrap.Started started) {
    this.started = started;
  }

  /** Validates {@code options}, joins (or forms) the cluster and starts serving. */
  public static Future<SwitchboardNode> start(BrokerOptions options) {
    try {
      options.validate();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return NodeBootstrap.start(options).map(SwitchboardNode::new);
  }

  /** Closes every connection with {@code going_away}, leaves the cluster and stops. */
  public Future<Void> stop() {
    return started.vertx().close().andThen(v -> started.afterClose().run());
  }

  /** This node's id in the cluster (its Hazelcast member id), as sent in {@code welcome}. */
  public String nodeId() {
    return started.nodeId();
  }

  /** The port the WebSocket server listens on (the actual one when 0 was asked for). */
  public int port() {
    return started.port();
  }

  public NodeStats stats() {
    return started.stats();
  }

  public Vertx vertx() {
    return started.vertx();
  }

  public HazelcastClusterManager clusterManager() {
    return started.clusterManager();
  }
}
