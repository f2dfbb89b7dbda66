package dev.switchboard.broker;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.broker.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A subscriber that stops reading is closed as a slow consumer once the bytes waiting for it pass the bound; the
 * subscriber next to it on the same topic gets everything.
 */
class SlowConsumerTest {
  static final int MAX_PENDING = 256 * 1024;
  static final int MAX_MESSAGES = 40_000;
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(1, o -> o.maxPendingBytes(MAX_PENDING).instances(1));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aSubscriberThatNeverReadsIsClosedAndTheOthersKeepReceiving() {
    SwitchboardNode node = cluster.node(0);
    try (Probe slow = Probe.connect(cluster.clients(), node.port());
         Probe fast = Probe.connect(cluster.clients(), node.port());
         Probe publisher = Probe.connect(cluster.clients(), node.port()).answerPings(true)) {
      slow.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"firehose\"}").next("subscribed");
      fast.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"firehose\"}").next("subscribed");
      slow.ws.pause(); // stops reading the socket: TCP pushes back all the way to the node

      int published = publishUntil(publisher, "firehose", () -> node.stats().slowConsumerCloses() > 0);
      assertThat(node.stats().slowConsumerCloses()).as("slow consumer closed within %d messages", MAX_MESSAGES)
          .isEqualTo(1);
      int total = published;
      await().atMost(Duration.ofSeconds(30)).until(() -> fast.all("message").size() == total);
      assertThat(fast.closeCode()).isNull();

      slow.ws.resume();
      assertThat(slow.awaitClose()).isEqualTo((short) 4001);
      assertThat(slow.closeReason()).isEqualTo("slow_consumer");
      assertThat(slow.all("message").size()).isLessThan(total);
      await().atMost(Duration.ofSeconds(10)).until(() -> node.stats().connections() == 2);
    }
  }

  @Test
  void anSdkSubscriberWithAStuckHandlerKeepsReadingAndCountsWhatItDrops() {
    SwitchboardNode node = cluster.node(0);
    long closesBefore = node.stats().slowConsumerCloses();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger handled = new AtomicInteger();
    try (Clients sdk = new Clients();
         Probe publisher = Probe.connect(cluster.clients(), node.port()).answerPings(true)) {
      Clients.Recorded stuck = sdk.connect(b -> b.maxDispatchBacklog(100), "ws://127.0.0.1:" + node.port() + "/ws");
      Clients.join(stuck.client.subscribe("stuck", m -> {
        handled.incrementAndGet();
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
      // The client reads on past its dispatcher's bound, dropping what it cannot queue: the node is never pushed
      // back, so it does not shed it, and every message reaches it.
      int published = publishUntil(publisher, "stuck", () -> stuck.client.stats().messagesDropped() >= 1000);
      await().atMost(Duration.ofSeconds(30)).until(() -> stuck.client.stats().messagesReceived() == published);
      assertThat(node.stats().slowConsumerCloses()).isEqualTo(closesBefore);
      assertThat(handled.get()).isEqualTo(1);

      release.countDown();
      await().atMost(Duration.ofSeconds(30))
          .until(() -> handled.get() + stuck.client.stats().messagesDropped() == published);
      assertThat(handled.get()).as("the first, then the bound's worth queued behind it").isBetween(2, 101);
      assertThat(stuck.count(ConnectionState.DISCONNECTED)).isZero();
    }
  }

  /**
   * Publishes 2 KB messages until {@code done} (or {@value #MAX_MESSAGES} messages); returns how many. Every 100th is
   * acked and awaited, so the publisher paces itself and never becomes the slow one.
   */
  private static int publishUntil(Probe publisher, String topic, java.util.function.BooleanSupplier done) {
    String payload = "\"" + "x".repeat(2000) + "\"";
    int published = 0;
    while (!done.getAsBoolean() && published < MAX_MESSAGES) {
      boolean acked = published % 100 == 99;
      publisher.send("{\"type\":\"publish\"" + (acked ? ",\"id\":\"p" + published + "\"" : "")
          + ",\"topic\":\"" + topic + "\",\"data\":" + payload + "}");
      if (acked) {
        publisher.nextMatching(f -> "ack".equals(f.getString("type")));
      }
      published++;
    }
    return published;
  }
}
