package dev.switchboard.broker.process;

import dev.switchboard.broker.testing.Ports;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Switchboard nodes in separate JVMs on 127.0.0.1, joined into one cluster with a name of its own. Node {@code i}
 * joins the cluster ports of nodes {@code 0..i-1}; nodes start one after another, each when the one before serves.
 * {@link #close()} stops them all.
 */
public final class ProcessCluster implements AutoCloseable {
  private final String name = "proc-" + UUID.randomUUID();
  private final String[] extraArgs;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final List<Integer> clusterPorts = new ArrayList<>();

  private ProcessCluster(String[] extraArgs) {
    this.extraArgs = extraArgs.clone();
  }

  /** Starts {@code size} nodes, each with {@code extraArgs} added to its flags. */
  public static ProcessCluster start(int size, String... extraArgs) {
    ProcessCluster cluster = new ProcessCluster(extraArgs);
    try {
      for (int i = 0; i < size; i++) {
        cluster.add();
      }
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Starts one more node, joining every node started before (running or not), and waits until it serves. */
  public NodeProcess add() {
    int clusterPort = Ports.free();
    NodeProcess node = NodeProcess.start("node-" + nodes.size(), name, clusterPort, List.copyOf(clusterPorts),
        extraArgs);
    nodes.add(node);
    clusterPorts.add(clusterPort);
    return node;
  }

  public NodeProcess node(int i) {
    return nodes.get(i);
  }

  public List<NodeProcess> nodes() {
    return List.copyOf(nodes);
  }

  public String url(int i) {
    return nodes.get(i).url();
  }

  /** Every node's WebSocket URL, for a client's server list. */
  public List<String> urls() {
    return nodes.stream().map(NodeProcess::url).toList();
  }

  public String name() {
    return name;
  }

  /** SIGTERM to every node still running, all at once; nodes not gone within 30 s are killed. Never throws. */
  @Override
  public void close() {
    for (NodeProcess node : nodes) {
      if (node.isAlive()) {
        node.process().signalStop();
      }
    }
    for (NodeProcess node : nodes) {
      try {
        node.stop();
      } catch (RuntimeException | AssertionError e) {
        System.err.println(e.getMessage());
      } finally {
        node.close();
      }
    }
  }
}
