package dev.switchboard.broker.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The cluster's message rates over the last few minutes, one point per {@link ClusterView} tick, for the dashboard's
 * chart: a fixed ring of points, so a node that serves the dashboard for months holds no more than on its first
 * day. Used on the view's context only.
 */
final class RateSeries {
  private final int capacity;
  private final long[] times;
  private final double[][] rates;
  private int next;
  private int size;

  RateSeries(int capacity) {
    this.capacity = capacity;
    this.times = new long[capacity];
    this.rates = new double[NodeSnapshot.TOTALS.length][capacity];
  }

  /** Adds a point: the wall-clock time and one rate per {@link NodeSnapshot#TOTALS}; the oldest goes when full. */
  void add(long timeMs, double[] point) {
    times[next] = timeMs;
    for (int i = 0; i < point.length; i++) {
      rates[i][next] = point[i];
    }
    next = (next + 1) % capacity;
    size = Math.min(size + 1, capacity);
  }

  /** {@code {"time":[...], "published":[...], "received":[...], "delivered":[...]}}, oldest first. */
  JsonObject toJson() {
    JsonArray time = new JsonArray();
    JsonArray[] series = new JsonArray[rates.length];
    for (int i = 0; i < series.length; i++) {
      series[i] = new JsonArray();
    }
    for (int k = 0; k < size; k++) {
      int at = (next - size + k + capacity) % capacity;
      time.add(times[at]);
      for (int i = 0; i < series.length; i++) {
        series[i].add(ClusterView.round(rates[i][at]));
      }
    }
    JsonObject json = new JsonObject().put("time", time);
    for (int i = 0; i < series.length; i++) {
      json.put(NodeSnapshot.TOTALS[i], series[i]);
    }
    return json;
  }
}
