package dev.switchboard.broker.process;

import dev.switchboard.broker.testing.Probe;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;

/**
 * The probes a process test opens, on a Vert.x of their own, closed together at the end: those whose node was
 * killed or frozen meanwhile included.
 */
final class Probes implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  private final List<Probe> open = new ArrayList<>();

  /** A probe connected to {@code node}, answering pings. */
  Probe connect(NodeProcess node) {
    return add(Probe.connect(vertx, node.port()).answerPings(true));
  }

  /** {@code probe}, closed with the others. */
  Probe add(Probe probe) {
    open.add(probe);
    return probe;
  }

  @Override
  public void close() {
    for (Probe probe : open) {
      try {
        probe.close();
      } catch (RuntimeException e) {
        // its node is gone
      }
    }
    vertx.close();
  }
}
