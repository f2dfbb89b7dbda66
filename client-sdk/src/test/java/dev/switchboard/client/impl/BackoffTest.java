package dev.switchboard.client.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  private final Backoff defaults = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));

  @Test
  void capDoublesFromMinUntilMax() {
    assertThat(defaults.capNanos(0)).isEqualTo(100 * MS);
    assertThat(defaults.capNanos(1)).isEqualTo(200 * MS);
    assertThat(defaults.capNanos(2)).isEqualTo(400 * MS);
    assertThat(defaults.capNanos(6)).isEqualTo(6400 * MS);
    assertThat(defaults.capNanos(7)).isEqualTo(10_000 * MS);
    assertThat(defaults.capNanos(63)).isEqualTo(10_000 * MS);
    assertThat(defaults.capNanos(Integer.MAX_VALUE)).isEqualTo(10_000 * MS);
  }

  @Test
  void capNeverOverflows() {
    Backoff wide = new Backoff(Duration.ofNanos(3), Duration.ofDays(365 * 100));
    long previous = 0;
    for (int attempt = 0; attempt < 100; attempt++) {
      long cap = wide.capNanos(attempt);
      assertThat(cap).isPositive().isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(Duration.ofDays(36500).toNanos());
      previous = cap;
    }
  }

  @Test
  void fullJitterAsksForAValueUpToTheCap() {
    Backoff highest = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), bound -> bound);
    Backoff lowest = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), bound -> 0);
    for (int attempt = 0; attempt < 10; attempt++) {
      assertThat(highest.delayNanos(attempt)).isEqualTo(highest.capNanos(attempt));
      assertThat(lowest.delayNanos(attempt)).isZero();
    }
  }

  @Test
  void randomDelaysStayWithinZeroAndCapAndSpreadOut() {
    for (int attempt = 0; attempt < 12; attempt++) {
      long cap = defaults.capNanos(attempt);
      long min = Long.MAX_VALUE;
      long max = 0;
      for (int i = 0; i < 2000; i++) {
        long d = defaults.delayNanos(attempt);
        assertThat(d).isBetween(0L, cap);
        min = Math.min(min, d);
        max = Math.max(max, d);
      }
      // Full jitter: the draws cover (almost) the whole range, not just the top half.
      assertThat(min).isLessThan(cap / 10);
      assertThat(max).isGreaterThan(cap - cap / 10);
    }
  }
}
