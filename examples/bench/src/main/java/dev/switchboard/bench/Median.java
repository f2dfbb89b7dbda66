package dev.switchboard.bench;

import java.util.Arrays;

/** The median of the runs, ignoring the values that are unknown (NaN). */
public final class Median {
  private Median() {
  }

  public static double of(double... values) {
    double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
