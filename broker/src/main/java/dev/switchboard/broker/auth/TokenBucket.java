package dev.switchboard.broker.auth;

/**
 * A token bucket: {@code ratePerSecond} tokens a second, at most {@code burst} saved up; each request takes one. A
 * rate of 0 means no limit. Synchronized, because one user's bucket is shared by the event loops its connections
 * are on; a connection's own bucket is only ever touched by its event loop, where the lock is uncontended.
 */
final class TokenBucket {
  private final long ratePerSecond;
  private final double burst;
  private double tokens;
  private long lastNanos;

  TokenBucket(long ratePerSecond, long burst, long nowNanos) {
    this.ratePerSecond = ratePerSecond;
    this.burst = Math.max(1, burst);
    this.tokens = this.burst;
    this.lastNanos = nowNanos;
  }

  /** A bucket of {@code ratePerSecond} with a burst of one second's worth. */
  static TokenBucket perSecond(long ratePerSecond, long nowNanos) {
    return new TokenBucket(ratePerSecond, ratePerSecond, nowNanos);
  }

  boolean unlimited() {
    return ratePerSecond <= 0;
  }

  /** Takes one token if there is one; false (nothing taken) when the rate has been exceeded. */
  synchronized boolean tryTake(long nowNanos) {
    if (ratePerSecond <= 0) {
      return true;
    }
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * (ratePerSecond / 1e9));
      lastNanos = nowNanos;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Puts one token back (a request that took one but was refused by another limit). */
  synchronized void giveBack() {
    if (ratePerSecond > 0) {
      tokens = Math.min(burst, tokens + 1);
    }
  }
}
