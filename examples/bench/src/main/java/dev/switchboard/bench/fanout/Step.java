package dev.switchboard.bench.fanout;

import dev.switchboard.bench.ws.WsEngine;

import java.time.Duration;

/**
 * The publishing of one step, as an engine ticker: message g (over all publishers, publisher g mod P) is due at
 * {@code start + g / rate}, goes to topic {@code g mod T}, and is sent at the first tick at or after that time,
 * carrying that intended time. A
 * publisher that falls behind sends what it owes in bursts, so lateness shows up as latency instead of vanishing.
 * The first {@code settle} of the step is not measured for latency (the jump from idle to the rate, and the JIT,
 * make a transient there; wrk2 leaves out a calibration period likewise); every message counts for loss. When the
 * rig has churn connections, a {@link ChurnLoad} runs alongside for the same time.
 */
final class Step implements WsEngine.Ticker {
  /** Messages sent in one tick before the engine goes back to reading. */
  private static final int BURST = 1000;
  private static final long START_DELAY_NANOS = 2_000_000;

  private final Rig rig;
  private final double rate;
  private final long settleNanos;
  private final long durationNanos;
  private final long[] sent;
  private final int topics;
  private ChurnLoad churn;
  private volatile long start;
  private long end;
  private volatile boolean done;

  /** Publishes for {@code settle + duration}; latencies count for the messages after {@code settle}. */
  Step(Rig rig, double rate, Duration settle, Duration duration) {
    this.rig = rig;
    this.rate = rate;
    this.settleNanos = settle.toNanos();
    this.durationNanos = settle.toNanos() + duration.toNanos();
    this.sent = new long[rig.publishers.length];
    this.topics = rig.topics.count();
  }

  /** Resets the tally for this step and starts publishing (engine thread). */
  void begin() {
    long[] first = new long[rig.publishers.length];
    for (int j = 0; j < first.length; j++) {
      first[j] = rig.publishers[j].nextSeq();
    }
    start = System.nanoTime() + START_DELAY_NANOS;
    rig.tally.startStep(first, start + settleNanos - rig.tally.epochNanos);
    end = start + durationNanos;
    rig.engine.addTicker(this);
    Layout.Churn plan = rig.layout.churn();
    if (plan != null) {
      churn = new ChurnLoad(rig, plan, start, end);
      rig.engine.addTicker(churn);
    }
  }

  /** The churn of this step, or null without churn (engine thread). */
  ChurnResult churnResult() {
    return churn == null ? null : churn.result(durationNanos / 1e9);
  }

  /** Whether the settling time is over (any thread). */
  boolean settled() {
    return System.nanoTime() >= start + settleNanos;
  }

  /** Whether every message of the step has been sent (any thread). */
  boolean done() {
    return done;
  }

  @Override
  public long tick(long nowNanos) {
    if (done) {
      return Long.MAX_VALUE;
    }
    long next = Long.MAX_VALUE;
    int burst = 0;
    for (int j = 0; j < sent.length; j++) {
      LoadPublisher p = rig.publishers[j];
      long due = due(j);
      while (due <= nowNanos && due < end) {
        if (burst++ == BURST) {
          return nowNanos;
        }
        int topic = (int) ((sent[j] * sent.length + j) % topics);
        if (p.send(topic, due - rig.tally.epochNanos)) {
          rig.tally.published(topic);
        } else {
          rig.tally.error("publisher " + j + " could not send: its connection is closed");
        }
        sent[j]++;
        due = due(j);
      }
      if (due < end) {
        next = Math.min(next, due);
      }
    }
    if (next == Long.MAX_VALUE) {
      done = true;
      rig.engine.execute(() -> rig.engine.removeTicker(this));
    }
    return next;
  }

  private long due(int publisher) {
    double global = (double) sent[publisher] * sent.length + publisher;
    return start + (long) (global * 1e9 / rate);
  }
}
