package dev.switchboard.bench.fleet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes to {@value FleetClient#ALL} through one node's HTTP publish endpoint
 * ({@code POST /api/topics/fleet.all/messages}, docs/protocol.md): the data is the {@code Payload} shape
 * {@code "0:<seq>:<intended send time, wall-clock µs>:"}, which the generators parse. Sends without waiting, so a
 * slow answer does not delay the next publish.
 */
final class FleetPublisher {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http;
  private final URI uri;

  FleetPublisher(HttpClient http, URI wsUrl) {
    this.http = http;
    this.uri = URI.create("http://" + wsUrl.getHost() + ":" + wsUrl.getPort() + "/api/topics/" + FleetClient.ALL
        + "/messages");
  }

  /** Sends publish {@code seq}; completes with the node's answer (never exceptionally). */
  CompletableFuture<Ack> publish(int seq, long intendedMicros) {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("\"0:" + seq + ":" + intendedMicros + ":\"")).build();
    long start = System.nanoTime();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((r, e) -> {
      double ms = (System.nanoTime() - start) / 1e6;
      if (e != null) {
        return new Ack(-1, ms, e.toString());
      }
      return new Ack(r.statusCode(), ms, r.statusCode() == 200 ? null : r.body());
    });
  }

  /** The answer to one publish: HTTP status (-1: none) and how long it took. */
  record Ack(int status, double ms, String error) {
    boolean ok() {
      return status == 200;
    }
  }
}
