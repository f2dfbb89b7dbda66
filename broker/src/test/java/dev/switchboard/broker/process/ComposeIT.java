package dev.switchboard.broker.process;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.Ports;
import dev.switchboard.client.Message;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docker-compose.yml brought up as it is (the image built from the Dockerfile, three nodes, nginx): clients that
 * connect through the load balancer land on different nodes, and a message published on one reaches a subscriber
 * on another. Runs only where a Docker engine is reachable; skipped otherwise.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeIT {
  private static final Duration STARTUP = Duration.ofMinutes(15);
  private static final int LB_PORT = Ports.free();

  @Container
  static final ComposeContainer COMPOSE = new ComposeContainer(
      Script.repository().resolve("docker-compose.yml").toFile())
      .withBuild(true)
      .withLocalCompose(true)
      .withEnv(Map.of("LB_PORT", String.valueOf(LB_PORT),
          "NODE1_PORT", String.valueOf(Ports.free()),
          "NODE2_PORT", String.valueOf(Ports.free()),
          "NODE3_PORT", String.valueOf(Ports.free())))
      .withExposedService("node1", 8080, Wait.forHttp("/health/ready").forStatusCode(200).withStartupTimeout(STARTUP))
      .withExposedService("node2", 8080, Wait.forHttp("/health/ready").forStatusCode(200).withStartupTimeout(STARTUP))
      .withExposedService("node3", 8080, Wait.forHttp("/health/ready").forStatusCode(200).withStartupTimeout(STARTUP))
      .withExposedService("lb", 8080, Wait.forHttp("/lb-health").forStatusCode(200).withStartupTimeout(STARTUP));

  @Test
  void publishAndSubscribeAcrossNodesThroughTheLoadBalancer() throws Exception {
    String url = "ws://" + COMPOSE.getServiceHost("lb", 8080) + ":" + COMPOSE.getServicePort("lb", 8080) + "/ws";
    HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
        + COMPOSE.getServiceHost("node2", 8080) + ":" + COMPOSE.getServicePort("node2", 8080) + "/health/ready"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ready.body()).contains("\"members\":3");

    try (Clients clients = new Clients()) {
      // Round robin: of a few connections through nginx, two land on different nodes.
      Clients.Recorded subscriber = clients.connect(url);
      Clients.Recorded publisher = null;
      for (int i = 0; i < 6 && publisher == null; i++) {
        Clients.Recorded next = clients.connect(url);
        if (!next.client.nodeId().equals(subscriber.client.nodeId())) {
          publisher = next;
        }
      }
      assertThat(publisher).as("a client on another node than %s", subscriber.client.nodeId()).isNotNull();

      List<Message> received = new CopyOnWriteArrayList<>();
      Clients.join(subscriber.client.subscribe("compose.news", received::add));
      Clients.Recorded from = publisher;
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
        from.client.publish("compose.news", Map.of("via", "nginx"));
        return !received.isEmpty();
      });
      assertThat(received.get(0).json()).isEqualTo("{\"via\":\"nginx\"}");
    }
  }
}
