package dev.switchboard.bench.fanout;

import dev.switchboard.bench.ws.WsEngine;
import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * Subscribe/unsubscribe churn during one step, as an engine ticker: pair n is due at {@code start + n / rate}, on
 * topic {@code n mod T} of the churn topics, and goes to the next idle {@link Churner}. When every churner is busy
 * the pair waits, and its wait counts in its time; so an achieved rate under the asked one means the node answered
 * too slowly. No pair starts after the step's end. Engine thread only.
 */
final class ChurnLoad implements WsEngine.Ticker {
  /** Pairs started in one tick before the engine goes back to reading. */
  private static final int BURST = 1000;
  private static final long WAIT_NANOS = 1_000_000;

  private final Rig rig;
  private final double rate;
  private final List<String> topics;
  private final long start;
  private final long end;
  private final Histogram pairNanos = new Histogram(Tally.HIGHEST_NANOS, 3);
  private long started;
  private long completed;
  private long failed;
  private int next;
  private boolean done;

  ChurnLoad(Rig rig, Layout.Churn churn, long start, long end) {
    this.rig = rig;
    this.rate = churn.pairsPerSec();
    this.topics = churn.topics();
    this.start = start;
    this.end = end;
  }

  @Override
  public long tick(long nowNanos) {
    if (done) {
      return Long.MAX_VALUE;
    }
    for (int burst = 0; burst < BURST; burst++) {
      long due = start + (long) (started * 1e9 / rate);
      if (due >= end) {
        done = true;
        rig.engine.execute(() -> rig.engine.removeTicker(this));
        return Long.MAX_VALUE;
      }
      if (due > nowNanos) {
        return due;
      }
      Churner churner = idle();
      if (churner == null) {
        return nowNanos + WAIT_NANOS;
      }
      churner.begin(this, topics.get((int) (started % topics.size())), due);
      started++;
    }
    return nowNanos;
  }

  void completed(long dueNanos, long nowNanos) {
    completed++;
    pairNanos.recordValue(Math.max(1, Math.min(Tally.HIGHEST_NANOS, nowNanos - dueNanos)));
  }

  void failed() {
    failed++;
  }

  ChurnResult result(double seconds) {
    return new ChurnResult(rate, started, completed, failed, completed / seconds, ms(50), ms(99),
        pairNanos.getTotalCount() == 0 ? Double.NaN : pairNanos.getMaxValue() / 1e6);
  }

  private Churner idle() {
    Churner[] churners = rig.churners;
    for (int k = 0; k < churners.length; k++) {
      Churner c = churners[(next + k) % churners.length];
      if (c.idle()) {
        next = (next + k + 1) % churners.length;
        return c;
      }
    }
    return null;
  }

  private double ms(double percentile) {
    return pairNanos.getTotalCount() == 0 ? Double.NaN : pairNanos.getValueAtPercentile(percentile) / 1e6;
  }
}
