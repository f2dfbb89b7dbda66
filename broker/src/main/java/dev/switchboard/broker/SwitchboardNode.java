package dev.switchboard.broker;

import dev.switchboard.broker.impl.NodeBootstrap;
import dev.switchboard.protocol.CloseCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.time.Duration;

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

  /**
   * Starts a graceful drain: from now on the node is not ready ({@code /health/ready} answers 503) and refuses new
   * WebSocket connections (503); its clients are closed with {@code node_draining} (4002, reconnect) spread evenly
   * over {@code window}, each close behind what was already written to it. Completes when the last one is closed;
   * then {@link #stop()}.
   */
  public Future<Void> drain(Duration window) {
    return started.drain().start(CloseCode.NODE_DRAINING, window.toMillis());
  }

  /** Whether the node is ready for clients: a member of the cluster with its quorum, serving, and not draining. */
  public boolean ready() {
    return started.ready().getAsBoolean();
  }

  /** Closes every connection still open with {@code going_away}, leaves the cluster and stops. */
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
