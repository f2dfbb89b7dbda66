package dev.switchboard.client.impl;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Reconnect delays: exponential backoff with full jitter. Before attempt {@code n} (from 0) the delay is uniform in
 * {@code [0, min(max, min * 2^n)]}.
 */
final class Backoff {
  private final long minNanos;
  private final long maxNanos;
  /** Maps a bound to a random value in {@code [0, bound]}. */
  private final LongUnaryOperator random;

  Backoff(Duration min, Duration max) {
    this(min, max, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
  }

  Backoff(Duration min, Duration max, LongUnaryOperator random) {
    this.minNanos = min.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
  }

  /** The upper bound of the delay before attempt {@code attempt}: {@code min(max, min * 2^attempt)}. */
  long capNanos(int attempt) {
    if (attempt >= 62 || minNanos > (maxNanos >> Math.max(attempt, 0))) {
      return maxNanos;
    }
    return Math.min(maxNanos, minNanos << Math.max(attempt, 0));
  }

  /** A random delay in {@code [0, capNanos(attempt)]}. */
  long delayNanos(int attempt) {
    return random.applyAsLong(capNanos(attempt));
  }
}
