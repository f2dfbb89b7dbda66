package dev.switchboard.broker;

import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;

/**
 * A test class on a cluster of its own ({@link #startCluster()}, once for the class, stopped after it) that talks to
 * it through raw {@link Probe}s: each test's probes answer pings and are closed after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProbeTest {
  private final List<Probe> probes = new ArrayList<>();
  private TestCluster cluster;

  /** The class's nodes, started from the test thread. */
  abstract TestCluster startCluster();

  @BeforeAll
  void startNodes() {
    cluster = startCluster();
  }

  @AfterAll
  void stopNodes() {
    cluster.close();
  }

  @AfterEach
  void closeProbes() {
    probes.forEach(Probe::close);
    probes.clear();
  }

  TestCluster cluster() {
    return cluster;
  }

  /** A probe connected to node {@code node} without waiting for its welcome (a node that wants a token first). */
  Probe trackedOpen(int node) {
    Probe probe = Probe.open(cluster.clients(), cluster.node(node).port(), o -> { }).answerPings(true);
    probes.add(probe);
    return probe;
  }

  /** A probe connected to node {@code node}, answering pings. */
  Probe probe(int node) {
    Probe probe = Probe.connect(cluster.clients(), cluster.node(node).port()).answerPings(true);
    probes.add(probe);
    return probe;
  }
}
