package dev.switchboard.broker;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.FreezableProxy;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.client.ConnectionEvent;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.switchboard.broker.testing.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Heartbeats both ways: the node drops clients that stop answering, the SDK leaves servers that go silent. */
class HeartbeatTest {
  static final long INTERVAL = 400;
  static final long TIMEOUT = 400;
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(2, o -> o.heartbeatIntervalMs(INTERVAL).heartbeatTimeoutMs(TIMEOUT));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aClientThatStopsAnsweringIsClosedAndItsSubscriptionsRemoved() {
    SwitchboardNode node = cluster.node(0);
    long before = node.stats().heartbeatTimeouts();
    try (Probe silent = Probe.connect(cluster.clients(), node.port())) {
      // With a 400 ms interval a ping may come before the answer: skip to it.
      silent.send("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"hb.silent\"}")
          .nextMatching(f -> "subscribed".equals(f.getString("type")));
      long subscribedAt = System.nanoTime();
      assertThat(silent.awaitClose()).isEqualTo((short) 4000);
      long elapsedMs = (System.nanoTime() - subscribedAt) / 1_000_000;
      assertThat(silent.closeReason()).isEqualTo("heartbeat_timeout");
      // The bound the protocol promises: interval + timeout + one sweep tick, with room for a busy machine.
      assertThat(elapsedMs).isLessThan(INTERVAL + TIMEOUT + 2_000);
      assertThat(silent.all("ping")).isNotEmpty();
    }
    assertThat(node.stats().heartbeatTimeouts()).isEqualTo(before + 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> node.stats().subscriptions() == 0);
  }

  @Test
  void aClientThatAnswersStaysConnected() {
    try (Probe alive = Probe.connect(cluster.clients(), cluster.node(0).port()).answerPings(true)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> alive.all("ping").size() >= 5);
      assertThat(alive.closeCode()).isNull();
    }
  }

  @Test
  void theSdkLeavesASilentServerAndResubscribesElsewhere() {
    try (Clients sdk = new Clients();
         FreezableProxy proxy = FreezableProxy.start(cluster.clients(), cluster.node(0).port())) {
      Clients.Recorded subscriber = sdk.connect(proxy.url(), cluster.url(1));
      List<Message> received = new CopyOnWriteArrayList<>();
      join(subscriber.client.subscribe("hb.moved", received::add));
      assertThat(subscriber.client.nodeId()).isEqualTo(cluster.node(0).nodeId());

      proxy.freeze();

      subscriber.awaitEvent(ConnectionState.RECONNECTED, 1);
      assertThat(subscriber.client.nodeId()).isEqualTo(cluster.node(1).nodeId());
      ConnectionEvent lost = subscriber.events.stream().filter(e -> e.type() == ConnectionState.DISCONNECTED)
          .findFirst().orElseThrow();
      assertThat(lost.url().toString()).isEqualTo(proxy.url());
      Clients.Recorded publisher = sdk.connect(cluster.url(1));
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
        publisher.client.publish("hb.moved", Map.of("after", "freeze"));
        return !received.isEmpty();
      });
      assertThat(received.get(0).topic()).isEqualTo("hb.moved");
    }
  }
}
