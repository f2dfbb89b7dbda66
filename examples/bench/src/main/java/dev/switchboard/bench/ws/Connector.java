package dev.switchboard.bench.ws;

import java.util.function.IntFunction;
import java.util.function.IntSupplier;

/**
 * Opens {@code count} connections on an engine, at most {@code perSecond} a second (0: as fast as allowed) and with
 * at most {@code maxPending} handshakes under way at once, so a large set does not overflow the server's accept
 * backlog. Runs as a ticker; removes itself when every connection has been started.
 */
public final class Connector implements WsEngine.Ticker {
  private static final int BATCH = 256;
  private static final long RETRY_NANOS = 1_000_000;

  private final WsEngine engine;
  private final int count;
  private final double perSecond;
  private final int maxPending;
  private final IntFunction<BenchSocket> open;
  private final IntSupplier settled;
  private long startNanos = -1;
  private int started;

  /**
   * {@code open} starts connection number i; {@code settled} says how many have finished their handshake or failed,
   * so that {@code started - settled} are pending.
   */
  public Connector(WsEngine engine, int count, double perSecond, int maxPending, IntFunction<BenchSocket> open,
                   IntSupplier settled) {
    this.engine = engine;
    this.count = count;
    this.perSecond = perSecond;
    this.maxPending = maxPending;
    this.open = open;
    this.settled = settled;
  }

  /** Starts on the engine (engine thread). */
  public void start() {
    engine.addTicker(this);
  }

  public int started() {
    return started;
  }

  /** When the first connection was started ({@link System#nanoTime()}), or -1 before. */
  public long startNanos() {
    return startNanos;
  }

  /** When connection {@code index} is meant to start: spread at the rate from the first, or now when unlimited. */
  public long intendedStart(int index, long nowNanos) {
    return perSecond > 0 && startNanos >= 0 ? startNanos + (long) (index * 1e9 / perSecond) : nowNanos;
  }

  @Override
  public long tick(long nowNanos) {
    if (startNanos < 0) {
      startNanos = nowNanos;
    }
    int allowed = count;
    if (perSecond > 0) {
      allowed = (int) Math.min(count, 1 + (long) ((nowNanos - startNanos) * perSecond / 1e9));
    }
    int batch = 0;
    while (started < allowed && batch < BATCH && started - settled.getAsInt() < maxPending) {
      open.apply(started++);
      batch++;
    }
    if (started >= count) {
      engine.execute(() -> engine.removeTicker(this));
      return Long.MAX_VALUE;
    }
    if (started < allowed && started - settled.getAsInt() < maxPending) {
      return nowNanos;
    }
    if (perSecond > 0 && started >= allowed) {
      return startNanos + (long) (started * 1e9 / perSecond);
    }
    return nowNanos + RETRY_NANOS;
  }
}
