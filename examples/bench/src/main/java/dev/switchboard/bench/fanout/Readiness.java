package dev.switchboard.bench.fanout;

import dev.switchboard.bench.BenchException;
import dev.switchboard.bench.ws.WsEngine;

import java.time.Duration;
import java.util.Arrays;

/**
 * Before measuring: waits until delivery works for every subscriber. The first publisher sends a probe message to
 * every topic that still has a subscriber without one, in rounds (100 ms apart at first, doubling up to 1 s), until
 * each subscriber has received one. A subscription becomes known to the other nodes of a cluster asynchronously (up
 * to about a second right after a node joined, docs/protocol.md), so this, not a fixed wait, says the cluster is
 * ready. Probes do not count in any step: their sequence numbers are below the first step's.
 */
final class Readiness implements WsEngine.Ticker {
  private static final long FIRST_GAP_NANOS = 100_000_000;
  private static final long MAX_GAP_NANOS = 1_000_000_000;
  /** Past this many unsent bytes on the publisher, the round goes on at the next tick. */
  private static final int MAX_PENDING_BYTES = 1 << 20;
  private static final long WAIT_NANOS = 1_000_000;
  private static final long POLL_MS = 20;

  private final Rig rig;
  private final boolean[] waiting;
  private long gap = FIRST_GAP_NANOS;
  private long nextRound;
  private int nextTopic = -1;
  private boolean stopped;

  private Readiness(Rig rig) {
    this.rig = rig;
    this.waiting = new boolean[rig.topics.count()];
  }

  /** Returns the seconds it took; fails naming how many subscribers got nothing within {@code timeout}. */
  static double await(Rig rig, Duration timeout) {
    Readiness r = new Readiness(rig);
    long start = System.nanoTime();
    Rig.await(rig.engine.call(() -> {
      rig.tally.startProbe();
      rig.engine.addTicker(r);
      return null;
    }), Duration.ofSeconds(10));
    try {
      while (true) {
        int missing = Rig.await(rig.engine.call(rig.tally::unprobed), Duration.ofSeconds(10));
        if (missing == 0) {
          return (System.nanoTime() - start) / 1e9;
        }
        if (Rig.await(rig.engine.call(rig::closedCount), Duration.ofSeconds(10)) > 0) {
          throw new BenchException("connections were lost while waiting for the first deliveries: "
              + Rig.await(rig.engine.call(() -> rig.tally.counts().firstProblem()), Duration.ofSeconds(10)));
        }
        if (System.nanoTime() - start > timeout.toNanos()) {
          throw new BenchException(missing + " of " + rig.subscribers.length + " subscribers received none of the"
              + " probe messages published on " + rig.layout.publisherNode() + " within " + timeout.toSeconds()
              + " s: delivery does not work (is the cluster formed?); " + rig.layout.describe());
        }
        Rig.sleep(POLL_MS);
      }
    } finally {
      Rig.await(rig.engine.call(() -> {
        r.stopped = true;
        rig.engine.removeTicker(r);
        return null;
      }), Duration.ofSeconds(10));
    }
  }

  @Override
  public long tick(long nowNanos) {
    if (stopped) {
      return Long.MAX_VALUE;
    }
    if (nextTopic < 0) {
      if (nowNanos < nextRound) {
        return nextRound;
      }
      markWaiting();
      nextTopic = 0;
    }
    LoadPublisher publisher = rig.publishers[0];
    for (; nextTopic < waiting.length; nextTopic++) {
      if (!waiting[nextTopic]) {
        continue;
      }
      if (publisher.pendingBytes() > MAX_PENDING_BYTES) {
        return nowNanos + WAIT_NANOS;
      }
      publisher.send(nextTopic, nowNanos - rig.tally.epochNanos);
    }
    nextTopic = -1;
    nextRound = nowNanos + gap;
    gap = Math.min(MAX_GAP_NANOS, gap * 2);
    return nextRound;
  }

  /** The topics with a subscriber that has no probe yet. */
  private void markWaiting() {
    Arrays.fill(waiting, false);
    for (int i = 0; i < rig.subscribers.length; i++) {
      if (!rig.tally.probed(i)) {
        waiting[rig.tally.topicOf(i)] = true;
      }
    }
  }
}
