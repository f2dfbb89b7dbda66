package dev.switchboard.broker.testing;

import dev.switchboard.broker.BrokerOptions;
import dev.switchboard.broker.SwitchboardNode;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/**
 * Real Switchboard nodes in this JVM, all on 127.0.0.1, joined into one Hazelcast cluster with a name of their own
 * (so concurrent test classes never meet). Nodes are started from the calling (test) thread, one after another.
 */
public final class TestCluster implements AutoCloseable {
  private final String name = "test-" + UUID.randomUUID();
  private final List<SwitchboardNode> nodes = new ArrayList<>();
  private final List<Integer> clusterPorts = new ArrayList<>();
  private Vertx clients;

  public static TestCluster of(int size) {
    return of(size, o -> { });
  }

  public static TestCluster of(int size, Consumer<BrokerOptions> tune) {
    TestCluster cluster = new TestCluster();
    try {
      for (int i = 0; i < size; i++) {
        cluster.add(tune);
      }
      cluster.awaitMembers();
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Starts one more node that joins the others. */
  public SwitchboardNode add(Consumer<BrokerOptions> tune) {
    int clusterPort = Ports.free();
    BrokerOptions options = new BrokerOptions()
        .host("127.0.0.1").port(0)
        .clusterHost("127.0.0.1").clusterPort(clusterPort).clusterName(name)
        .instances(2);
    List<String> join = new ArrayList<>();
    for (int port : clusterPorts) {
      join.add("127.0.0.1:" + port);
    }
    options.join(join);
    tune.accept(options);
    SwitchboardNode node = join(SwitchboardNode.start(options).toCompletionStage().toCompletableFuture());
    nodes.add(node);
    clusterPorts.add(clusterPort);
    return node;
  }

  /** Waits until every running node sees every other as a member. */
  public void awaitMembers() {
    await().atMost(Duration.ofSeconds(60)).until(() -> nodes.stream()
        .allMatch(n -> n.clusterManager().getNodes().size() == nodes.size()));
  }

  public SwitchboardNode node(int i) {
    return nodes.get(i);
  }

  public List<SwitchboardNode> nodes() {
    return nodes;
  }

  /** A plain (not clustered) Vert.x for raw test clients, closed with the cluster. */
  public synchronized Vertx clients() {
    if (clients == null) {
      clients = Vertx.vertx();
    }
    return clients;
  }

  public String url(int i) {
    return "ws://127.0.0.1:" + nodes.get(i).port() + "/ws";
  }

  /** Stops node {@code i} (it stays in the list, stopped). */
  public void stop(int i) {
    join(nodes.get(i).stop().toCompletionStage().toCompletableFuture());
  }

  @Override
  public void close() {
    synchronized (this) {
      if (clients != null) {
        clients.close();
      }
    }
    for (SwitchboardNode node : nodes) {
      try {
        node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // already stopped, or stopping failed: nothing more a test can do
      }
    }
  }

  private static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
    try {
      return future.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("node operation failed", e);
    }
  }
}
