package dev.switchboard.broker;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.client.Message;
import dev.switchboard.client.Position;
import dev.switchboard.client.SwitchboardClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Records cross a two-node cluster as JSON and are bound again on the other side; every message carries the
 * publishing node's time, live and when recovered from history.
 */
class SdkTypedPayloadTest {
  /** What an application sends. */
  public record Order(UUID id, Instant placedAt, List<String> items, Status status) {
  }

  public enum Status { NEW, PAID }

  static TestCluster cluster;
  static Clients sdk;

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(2, o -> o.history(List.of(HistoryRule.parse("typed.h.>/100/5m"))));
    cluster.awaitMembers();
    sdk = new Clients();
  }

  @AfterAll
  static void stop() {
    sdk.close();
    cluster.close();
  }

  @Test
  void aRecordPublishedOnOneNodeIsBoundOnTheOtherWithItsPublishTime() {
    List<Message> received = new CopyOnWriteArrayList<>();
    SwitchboardClient subscriber = sdk.connect(cluster.url(1)).client;
    Clients.join(subscriber.subscribe("typed.h.orders", received::add));
    SwitchboardClient publisher = sdk.connect(cluster.url(0)).client;
    Order order = new Order(UUID.randomUUID(), Instant.parse("2026-12-07T10:15:30.123456Z"), List.of("a", "b"),
        Status.PAID);

    // The first cross-node delivery after a join may take a moment: publish until one arrives.
    long before = System.currentTimeMillis();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      Clients.join(publisher.publish("typed.h.orders", order));
      return !received.isEmpty();
    });
    long after = System.currentTimeMillis();
    Message m = received.get(0);
    assertThat(m.as(Order.class)).isEqualTo(order);
    assertThat(m.json()).contains("\"placedAt\":\"2026-12-07T10:15:30.123456Z\"").contains("\"status\":\"PAID\"");
    assertThat(m.publishedAt()).isBetween(Instant.ofEpochMilli(before), Instant.ofEpochMilli(after));

    // Recovered from history later, the message keeps the time it was published at.
    List<Message> replayed = new CopyOnWriteArrayList<>();
    SwitchboardClient late = sdk.connect(cluster.url(0)).client;
    Clients.join(late.subscribe("typed.h.orders", dev.switchboard.client.SubscribeOptions.builder()
        .since(new Position(m.position().epoch(), m.position().offset() - 1)).build(), replayed::add));
    await().atMost(Duration.ofSeconds(10)).until(() -> !replayed.isEmpty());
    assertThat(replayed.get(0).position()).isEqualTo(m.position());
    assertThat(replayed.get(0).publishedAt()).isEqualTo(m.publishedAt());
    assertThat(replayed.get(0).as(Order.class)).isEqualTo(order);
  }
}
