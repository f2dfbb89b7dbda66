package dev.switchboard.bench.fleet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The numbers of one node's {@code /metrics} (Prometheus text, docs/operations.md) the fleet reports: the members it
 * sees, its connections, the message frames it wrote, and its closes of slow consumers (4001) and of clients that
 * missed a heartbeat (4000). NaN where the scrape failed ({@code error} says why).
 */
record NodeReadings(double members, double connections, double delivered, double slowConsumerCloses,
                   double heartbeatTimeouts, String error) {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  static NodeReadings scrape(HttpClient http, URI wsUrl) {
    URI metrics = URI.create("http://" + wsUrl.getHost() + ":" + wsUrl.getPort() + "/metrics");
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return failed(metrics + " answered " + r.statusCode());
      }
      Map<String, Double> values = parse(r.body());
      return new NodeReadings(get(values, "switchboard_cluster_members"), get(values, "switchboard_connections"),
          get(values, "switchboard_messages_delivered_total"), get(values, "switchboard_slow_consumer_closes_total"),
          get(values, "switchboard_heartbeat_timeouts_total"), null);
    } catch (java.io.IOException e) {
      return failed(metrics + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed("interrupted");
    }
  }

  /** The samples without labels, by name. */
  static Map<String, Double> parse(String text) {
    Map<String, Double> values = new HashMap<>();
    for (String line : text.split("\n")) {
      int space = line.indexOf(' ');
      if (line.startsWith("#") || space <= 0 || line.indexOf('{') >= 0) {
        continue;
      }
      try {
        values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1).trim()));
      } catch (NumberFormatException e) {
        // Not a sample of ours.
      }
    }
    return values;
  }

  private static double get(Map<String, Double> values, String name) {
    return values.getOrDefault(name, Double.NaN);
  }

  private static NodeReadings failed(String error) {
    return new NodeReadings(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, error);
  }
}
