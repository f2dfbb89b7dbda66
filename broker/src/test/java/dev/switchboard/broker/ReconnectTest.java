package dev.switchboard.broker;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.client.ConnectionEvent;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Message;
import dev.switchboard.client.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.switchboard.broker.testing.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The node a subscriber is on stops: the SDK moves to another node of its list and keeps its subscriptions. */
class ReconnectTest {

  @Test
  void subscriberMovesToAnotherNodeResubscribesAndReceives() {
    try (TestCluster cluster = TestCluster.of(2); Clients sdk = new Clients()) {
      Clients.Recorded subscriber = sdk.connect(cluster.url(0), cluster.url(1));
      assertThat(subscriber.client.nodeId()).isEqualTo(cluster.node(0).nodeId());
      List<Message> exact = new CopyOnWriteArrayList<>();
      List<Message> wildcard = new CopyOnWriteArrayList<>();
      join(subscriber.client.subscribe("rc.room", exact::add));
      join(subscriber.client.subscribe("rc.*", wildcard::add));
      Subscription dropped = join(subscriber.client.subscribe("rc.dropped", m -> { }));
      join(dropped.unsubscribe());

      cluster.stop(0);

      subscriber.awaitEvent(ConnectionState.RECONNECTED, 1);
      ConnectionEvent lost = subscriber.events.stream().filter(e -> e.type() == ConnectionState.DISCONNECTED)
          .findFirst().orElseThrow();
      assertThat(lost.closeCode()).isEqualTo(1001);
      assertThat(subscriber.client.nodeId()).isEqualTo(cluster.node(1).nodeId());
      assertThat(cluster.node(1).stats().subscriptions()).isEqualTo(2);

      Clients.Recorded publisher = sdk.connect(cluster.url(1));
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
        join(publisher.client.publish("rc.room", Map.of("text", "still here?")));
        return !exact.isEmpty() && !wildcard.isEmpty();
      });
      assertThat(exact.get(0).topic()).isEqualTo("rc.room");
      assertThat(wildcard.get(0).pattern()).isEqualTo("rc.*");
      assertThat(subscriber.count(ConnectionState.CLOSED)).isZero();
    }
  }

  @Test
  void publishesMadeWhileDisconnectedAreSentAfterResubscribing() {
    try (TestCluster cluster = TestCluster.of(2); Clients sdk = new Clients()) {
      Clients.Recorded client = sdk.connect(cluster.url(0), cluster.url(1));
      List<Message> own = new CopyOnWriteArrayList<>();
      join(client.client.subscribe("rc.own", own::add));

      cluster.stop(0);
      client.awaitEvent(ConnectionState.DISCONNECTED, 1);
      // Queued while disconnected; after the reconnect, the subscription is re-sent first, so this comes back.
      var ack = client.client.publish("rc.own", Map.of("queued", true));

      join(ack);
      client.awaitEvent(ConnectionState.RECONNECTED, 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> own.size() == 1);
      assertThat(((Map<?, ?>) own.get(0).data()).get("queued")).isEqualTo(true);
    }
  }
}
