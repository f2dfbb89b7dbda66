package dev.switchboard.broker.process;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.Http;
import dev.switchboard.broker.testing.Ports;
import dev.switchboard.broker.testing.SseProbe;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Message;
import io.vertx.core.Vertx;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docker/nginx.conf in front of three node processes, without Docker (a local nginx; skipped, with the reason, when
 * none is installed; .ci/run installs one): WebSocket upgrades pass and are spread over the nodes, pub/sub works
 * across them, only /ws is passed, and a node that drains is skipped for new connections while its clients come
 * back through the balancer to the others.
 */
@ExtendWith(ProcessReaper.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadBalancerIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final long WINDOW_MS = 8000;

  @TempDir
  static Path dir;
  private static ProcessCluster cluster;
  private static LocalNginx nginx;

  @BeforeAll
  static void start() {
    Assumptions.assumeTrue(LocalNginx.binary().isPresent(), "nginx is not installed: the load balancer is not run");
    cluster = ProcessCluster.start(3, "--drain-window-ms", String.valueOf(WINDOW_MS));
    nginx = LocalNginx.start(dir, Ports.free(), cluster.nodes().stream().map(NodeProcess::port).toList());
  }

  @AfterAll
  static void stop() {
    if (nginx != null) {
      nginx.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void upgradesAreSpreadOverTheNodesAndMessagesCrossThem() {
    try (Clients clients = new Clients()) {
      Set<String> nodes = new HashSet<>();
      List<Clients.Recorded> connected = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 6; i++) {
        Clients.Recorded client = clients.connect(nginx.url());
        connected.add(client);
        nodes.add(client.client.nodeId());
      }
      assertThat(nodes).as("round robin over the nodes").hasSize(3);

      Clients.Recorded subscriber = connected.get(0);
      Clients.Recorded publisher = connected.stream()
          .filter(c -> !c.client.nodeId().equals(subscriber.client.nodeId())).findFirst().orElseThrow();
      List<Message> received = new CopyOnWriteArrayList<>();
      Clients.join(subscriber.client.subscribe("lb.news", received::add));
      await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
        publisher.client.publish("lb.news", Map.of("via", "nginx"));
        return !received.isEmpty();
      });
      assertThat(received.get(0).json()).isEqualTo("{\"via\":\"nginx\"}");

      // Server-sent events and HTTP publish pass the balancer too: a publish over HTTP reaches the WebSocket
      // subscriber and a stream opened through nginx.
      Vertx vertx = Vertx.vertx();
      try (SseProbe stream = SseProbe.open(vertx, nginx.port, "/sse?topic=lb.news")) {
        assertThat(stream.status()).isEqualTo(200);
        stream.next("subscribed");
        int before = received.size();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
          HttpResponse<String> ack = Http.post(nginx.port, "/api/topics/lb.news/messages", "{\"via\":\"http\"}");
          assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
          return received.size() > before && stream.events().stream().anyMatch(e -> "message".equals(e.name()));
        });
        assertThat(stream.next("message").json().getJsonObject("data").getString("via")).isEqualTo("http");
      } finally {
        vertx.close();
      }
    }
    assertThat(Http.get(nginx.port, "/client/switchboard.js").statusCode()).isEqualTo(200);
    assertThat(Http.get(nginx.port, "/metrics").statusCode()).isEqualTo(404);
    assertThat(Http.get(nginx.port, "/health/ready").statusCode()).isEqualTo(404);
  }

  @Test
  @Order(2) // it stops a node
  void aDrainingNodeIsSkippedAndItsClientsComeBackThroughTheBalancer() {
    NodeProcess drained = cluster.node(0);
    try (Clients clients = new Clients()) {
      Clients.Recorded onDrained = null;
      for (int i = 0; i < 6 && onDrained == null; i++) {
        Clients.Recorded client = clients.connect(nginx.url());
        if (drained.nodeId().equals(client.client.nodeId())) {
          onDrained = client;
        }
      }
      assertThat(onDrained).as("a client on %s", drained.nodeId()).isNotNull();

      drained.process().signalStop();
      await().atMost(WAIT).until(() -> notReady(drained));
      for (int i = 0; i < 6; i++) { // while it drains, it refuses upgrades (503) and nginx tries the next node
        assertThat(clients.connect(nginx.url()).client.nodeId()).isNotEqualTo(drained.nodeId());
      }

      onDrained.awaitEvent(ConnectionState.RECONNECTED, 1);
      assertThat(onDrained.events.stream().filter(e -> e.type() == ConnectionState.DISCONNECTED).findFirst()
          .orElseThrow().closeCode()).isEqualTo(4002);
      assertThat(onDrained.client.nodeId()).isNotEqualTo(drained.nodeId());
      assertThat(drained.awaitExit(Duration.ofMillis(WINDOW_MS).plusSeconds(25))).isZero();
      assertThat(clients.connect(nginx.url()).client.nodeId()).as("after it is gone").isNotEqualTo(drained.nodeId());
    }
  }

  /** 503 from /health/ready, or no answer at all once the node is gone. */
  private static boolean notReady(NodeProcess node) {
    try {
      return Http.get(node.port(), "/health/ready").statusCode() == 503;
    } catch (UncheckedIOException e) {
      return true;
    }
  }
}
