package dev.switchboard.broker;

import dev.switchboard.broker.testing.Http;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.TestCluster;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The node's HTTP side beside /ws: health checks, Prometheus metrics, 404 for the rest, and a graceful drain. */
class OpsEndpointsTest {
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(2);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void liveAndReadyAnswerUpWithTheClusterTheNodeSees() {
    int port = cluster.node(0).port();
    HttpResponse<String> live = Http.get(port, "/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(live.body()).getString("status")).isEqualTo("UP");

    HttpResponse<String> ready = Http.get(port, "/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(ready.body());
    assertThat(body.getString("status")).isEqualTo("UP");
    assertThat(body.getJsonArray("checks").stream().map(c -> ((JsonObject) c).getString("id")))
        .containsExactlyInAnyOrder("cluster", "server");
    assertThat(ready.body()).contains("\"members\":2");
    assertThat(cluster.node(0).ready()).isTrue();
  }

  @Test
  void headAnswersAsGetDoesWithoutABody() {
    int port = cluster.node(0).port();
    for (String path : List.of("/health/live", "/health/ready", "/metrics", "/", "/dashboard",
        "/client/switchboard.js")) {
      HttpResponse<String> head = Http.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + port + path)).method("HEAD",
          java.net.http.HttpRequest.BodyPublishers.noBody()));
      assertThat(head.statusCode()).as("HEAD " + path).isEqualTo(Http.get(port, path).statusCode()).isEqualTo(200);
      assertThat(head.body()).as("HEAD " + path).isEmpty();
    }
  }

  @Test
  void unknownPathsAnswer404AndTheWebSocketEndpointStaysOnWs() {
    int port = cluster.node(0).port();
    assertThat(Http.get(port, "/").statusCode()).isEqualTo(200); // the demo page
    assertThat(Http.get(port, "/health").statusCode()).isEqualTo(404);
    assertThat(Http.get(port, "/no/such/page.html").statusCode()).isEqualTo(404);
    HttpResponse<String> noUpgrade = Http.get(port, "/ws"); // no upgrade asked for: told which to ask for
    assertThat(noUpgrade.statusCode()).isEqualTo(426);
    assertThat(noUpgrade.headers().firstValue("sec-websocket-version")).hasValue("13");
    assertThat(Http.get(port, "/nope").body()).contains("/ws");
    assertThat(Http.upgradeStatus("ws://127.0.0.1:" + port + "/elsewhere")).isEqualTo(404);
    assertThat(Http.upgradeStatus(cluster.url(0))).isEqualTo(101);
  }

  @Test
  void metricsCountTrafficAcrossTheCluster() {
    SwitchboardNode subscriberNode = cluster.node(0);
    SwitchboardNode publisherNode = cluster.node(1);
    try (Probe subscriber = Probe.connect(cluster.clients(), subscriberNode.port());
         Probe publisher = Probe.connect(cluster.clients(), publisherNode.port())) {
      subscriber.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"metrics.t\"}").next("subscribed");
      // The subscription reaches the publisher's node asynchronously: publish until one arrives.
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        publisher.send("{\"type\":\"publish\",\"topic\":\"metrics.t\",\"data\":1}");
        return !subscriber.all("message").isEmpty();
      });
      publisher.send("{\"type\":\"bogus\"}").next("error");

      // Read before the metrics: messages still in flight may arrive after them, and are counted then.
      int arrived = subscriber.all("message").size();
      String sub = Http.get(subscriberNode.port(), "/metrics").body();
      String pub = Http.get(publisherNode.port(), "/metrics").body();

      assertThat(value(sub, "switchboard_connections")).isGreaterThanOrEqualTo(1);
      assertThat(value(sub, "switchboard_subscriptions")).isGreaterThanOrEqualTo(1);
      assertThat(value(sub, "switchboard_topics")).isGreaterThanOrEqualTo(1);
      assertThat(value(sub, "switchboard_cluster_consumers")).isGreaterThanOrEqualTo(1);
      assertThat(value(sub, "switchboard_cluster_members")).isEqualTo(2);
      assertThat(value(sub, "switchboard_ready")).isEqualTo(1);
      assertThat(value(sub, "switchboard_messages_received_total")).isGreaterThanOrEqualTo(1);
      assertThat(value(sub, "switchboard_messages_delivered_total")).isGreaterThanOrEqualTo(arrived);
      assertThat(value(pub, "switchboard_messages_published_total")).isGreaterThanOrEqualTo(1);
      assertThat(value(pub, "switchboard_errors_total")).isGreaterThanOrEqualTo(1);
      assertThat(value(sub, "switchboard_slow_consumer_closes_total")).isZero();
      assertThat(value(sub, "switchboard_heartbeat_timeouts_total")).isZero();
      // One latency per message this node received for its subscribers, each under the largest bucket (5 s). Messages
      // published while waiting may still arrive during a scrape: compare once the counts have settled.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        String settled = Http.get(subscriberNode.port(), "/metrics").body();
        double received = value(settled, "switchboard_messages_received_total");
        assertThat(value(settled, "switchboard_delivery_latency_seconds_count")).isEqualTo(received);
        assertThat(value(settled, "switchboard_delivery_latency_seconds_bucket{le=\"5.0\"}")).isEqualTo(received);
        assertThat(value(settled, "switchboard_delivery_latency_seconds_sum")).isPositive();
      });
      assertThat(sub).contains("# TYPE switchboard_delivery_latency_seconds histogram")
          .contains("jvm_memory_used_bytes");
    }
  }

  @Test
  void drainRefusesNewClientsTurnsNotReadyAndClosesClientsSpreadOverTheWindow() {
    try (TestCluster alone = TestCluster.of(1)) {
      SwitchboardNode node = alone.node(0);
      List<Probe> probes = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        probes.add(Probe.connect(alone.clients(), node.port()));
      }
      long window = 1500;
      long start = System.nanoTime();
      node.drain(Duration.ofMillis(window));

      assertThat(node.ready()).isFalse();
      assertThat(Http.get(node.port(), "/health/ready").statusCode()).isEqualTo(503);
      assertThat(Http.get(node.port(), "/health/live").statusCode()).isEqualTo(200);
      assertThat(Http.upgradeStatus(alone.url(0))).isEqualTo(503);

      List<Long> closedAfterMs = new ArrayList<>();
      for (Probe probe : probes) {
        assertThat(probe.awaitClose()).isEqualTo((short) 4002);
        assertThat(probe.closeReason()).isEqualTo("node_draining");
      }
      // Each probe records when its close arrived; the closes are spread, not all at once.
      probes.forEach(p -> closedAfterMs.add(TimeUnit.NANOSECONDS.toMillis(p.closedAtNanos() - start)));
      assertThat(closedAfterMs).allMatch(ms -> ms < window + 1000);
      assertThat(closedAfterMs.stream().mapToLong(Long::longValue).max().orElseThrow()
          - closedAfterMs.stream().mapToLong(Long::longValue).min().orElseThrow()).isGreaterThanOrEqualTo(window / 3);
      await().atMost(Duration.ofSeconds(10)).until(() -> node.stats().connections() == 0);
      probes.forEach(Probe::close);
    }
  }

  /** The value of the sample named exactly {@code series} (name and labels), failing if it is not there. */
  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + "(?:\\{[^}]*})? (\\S+)$", Pattern.MULTILINE)
        .matcher(scrape);
    assertThat(m.find()).as(series + " in\n" + scrape).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
