package dev.switchboard.broker;

import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;

import java.util.ArrayList;
import java.util.List;

/**
 * A test class on a cluster of its own ({@link #cluster()}, started once for the class) that talks to it through raw
 * {@link Probe}s: each test's probes answer pings and are closed after it.
 */
abstract class ProbeTest {
  private final List<Probe> probes = new ArrayList<>();

  abstract TestCluster cluster();

  @AfterEach
  void closeProbes() {
    probes.forEach(Probe::close);
    probes.clear();
  }

  /** A probe connected to node {@code node}, answering pings. */
  Probe probe(int node) {
    Probe probe = Probe.connect(cluster().clients(), cluster().node(node).port()).answerPings(true);
    probes.add(probe);
    return probe;
  }
}
