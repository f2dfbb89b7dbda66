package dev.switchboard.broker;

import dev.switchboard.broker.testing.Http;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's cluster view ({@code /api/cluster}) on two real nodes: every node appears with its own numbers,
 * rates follow the traffic, a stopped node disappears, and junk on the view's address changes nothing.
 */
class ClusterViewTest {
  static final Duration WAIT = Duration.ofSeconds(30);
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
  void nodeAListsBothNodesWithTheConnectionsOfNodeB() {
    SwitchboardNode a = cluster.node(0);
    SwitchboardNode b = cluster.node(1);
    await().atMost(WAIT).until(() -> ids(view(a)).equals(Set.of(a.nodeId(), b.nodeId())));

    List<Probe> probes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        probes.add(Probe.connect(cluster.clients(), b.port()));
      }
      await().atMost(WAIT).until(() -> node(view(a), b.nodeId()).getLong("connections") == 3);
      JsonObject view = view(a);
      JsonObject nodeB = node(view, b.nodeId());
      assertThat(nodeB.getString("host")).isEqualTo("127.0.0.1");
      assertThat(nodeB.getInteger("port")).isEqualTo(b.port());
      assertThat(nodeB.getString("state")).isEqualTo("ready");
      assertThat(nodeB.getLong("uptime_ms")).isPositive();
      assertThat(nodeB.getLong("heap_used_bytes")).isPositive();
      assertThat(node(view, a.nodeId()).getLong("connections")).isZero();
      assertThat(view.getString("node")).isEqualTo(a.nodeId());
      assertThat(view.getJsonObject("totals").getLong("connections")).isEqualTo(3);
      assertThat(view.getJsonObject("totals").getInteger("members")).isEqualTo(2);
    } finally {
      probes.forEach(Probe::close);
    }
    await().atMost(WAIT).until(() -> node(view(a), b.nodeId()).getLong("connections") == 0);
  }

  @Test
  void ratesRiseWhileMessagesFlowAndTopicsAreListed() {
    SwitchboardNode a = cluster.node(0);
    SwitchboardNode b = cluster.node(1);
    try (Probe subscriber = Probe.connect(cluster.clients(), b.port());
         Probe publisher = Probe.connect(cluster.clients(), a.port())) {
      subscriber.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"view.rates\"}").next("subscribed");
      // Publish a burst at each poll until node A's view shows messages flowing: in on A, received and out on B.
      await().atMost(WAIT).until(() -> {
        for (int i = 0; i < 20; i++) {
          publisher.send("{\"type\":\"publish\",\"topic\":\"view.rates\",\"data\":" + i + "}");
        }
        JsonObject view = view(a);
        return rate(node(view, a.nodeId()), "published") > 0
            && rate(node(view, b.nodeId()), "received") > 0
            && rate(node(view, b.nodeId()), "delivered") > 0
            && view.getJsonObject("totals").getJsonObject("rates").getDouble("delivered") > 0;
      });
      JsonObject view = view(a);
      assertThat(node(view, b.nodeId()).getLong("topics")).isEqualTo(1);
      assertThat(node(view, b.nodeId()).getLong("subscriptions")).isEqualTo(1);
      assertThat(view.getJsonArray("topics").stream().map(JsonObject.class::cast)
          .filter(t -> t.getString("topic").equals("view.rates")).findFirst().orElseThrow()
          .getJsonArray("nodes")).containsExactly(b.nodeId());
      JsonObject series = view.getJsonObject("series");
      assertThat(series.getJsonArray("time").size()).isEqualTo(series.getJsonArray("delivered").size());
      assertThat(series.getJsonArray("delivered").stream().mapToDouble(v -> ((Number) v).doubleValue()).max()
          .orElse(0)).isPositive();
    }
    // With nothing published, the rates fall back to 0.
    await().atMost(WAIT).until(() -> rate(node(view(a), a.nodeId()), "published") == 0);
  }

  @Test
  void aDrainingNodeSaysSoAndAStoppedOneDisappears() throws Exception {
    SwitchboardNode a = cluster.node(0);
    SwitchboardNode c = cluster.add(o -> { });
    await().atMost(WAIT).until(() -> ids(view(a)).contains(c.nodeId()));
    c.drain(Duration.ofMillis(100));
    await().atMost(WAIT).until(() -> node(view(a), c.nodeId()).getString("state").equals("draining"));
    c.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> !ids(view(a)).contains(c.nodeId()));
    assertThat(view(a).getJsonObject("totals").getInteger("members")).isEqualTo(2);
  }

  @Test
  void junkOnTheViewAddressIsIgnored() {
    SwitchboardNode a = cluster.node(0);
    SwitchboardNode b = cluster.node(1);
    String address = "sb.cluster.view";
    b.vertx().eventBus().publish(address, "not a snapshot");
    b.vertx().eventBus().publish(address, new JsonObject().put("id", 42));
    b.vertx().eventBus().publish(address, new JsonObject().put("id", "ghost").put("uptime_ms", "soon"));
    // A well-formed snapshot of a node that is not a member is dropped at the next tick.
    b.vertx().eventBus().publish(address, new JsonObject().put("id", "ghost").put("uptime_ms", 1));
    long before = view(a).getLong("time");
    await().atMost(WAIT).until(() -> view(a).getLong("time") > before + 2000);
    assertThat(ids(view(a))).isEqualTo(Set.of(a.nodeId(), b.nodeId()));
  }

  @Test
  void thePageAndItsFilesAreServed() {
    int port = cluster.node(0).port();
    HttpResponse<String> page = Http.get(port, "/dashboard");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.body()).contains("<canvas id=\"chart\"").contains("/dashboard.js").doesNotContain("http:").doesNotContain("https:");
    assertThat(Http.get(port, "/dashboard.js").body()).contains("/api/cluster");
    assertThat(Http.get(port, "/dashboard.css").statusCode()).isEqualTo(200);
    HttpResponse<String> api = Http.get(port, "/api/cluster");
    assertThat(api.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(api.headers().firstValue("cache-control")).hasValue("no-store");
  }

  static JsonObject view(SwitchboardNode node) {
    HttpResponse<String> response = Http.get(node.port(), "/api/cluster");
    assertThat(response.statusCode()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  static Set<String> ids(JsonObject view) {
    return view.getJsonArray("nodes").stream().map(n -> ((JsonObject) n).getString("id")).collect(Collectors.toSet());
  }

  static JsonObject node(JsonObject view, String id) {
    JsonArray nodes = view.getJsonArray("nodes");
    return nodes.stream().map(JsonObject.class::cast).filter(n -> id.equals(n.getString("id"))).findFirst()
        .orElseThrow(() -> new AssertionError("node " + id + " not in " + view.encodePrettily()));
  }

  static double rate(JsonObject node, String total) {
    return node.getJsonObject("rates").getDouble(total);
  }
}
