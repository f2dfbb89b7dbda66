package dev.switchboard.broker;

import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.TestCluster;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

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
  static Vertx clients;

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(1, o -> o.maxPendingBytes(MAX_PENDING).instances(1));
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    clients.close();
    cluster.close();
  }

  @Test
  void aSubscriberThatNeverReadsIsClosedAndTheOthersKeepReceiving() {
    SwitchboardNode node = cluster.node(0);
    String payload = "\"" + "x".repeat(2000) + "\"";
    try (Probe slow = Probe.connect(clients, node.port());
         Probe fast = Probe.connect(clients, node.port());
         Probe publisher = Probe.connect(clients, node.port())) {
      slow.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"firehose\"}").next("subscribed");
      fast.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"firehose\"}").next("subscribed");
      slow.ws.pause(); // stops reading the socket: TCP pushes back all the way to the node

      int published = 0;
      while (node.stats().slowConsumerCloses() == 0 && published < MAX_MESSAGES) {
        // Every 100th publish is acked: the publisher waits, so it paces itself and never becomes the slow one.
        boolean acked = published % 100 == 99;
        publisher.send("{\"type\":\"publish\"" + (acked ? ",\"id\":\"p" + published + "\"" : "")
            + ",\"topic\":\"firehose\",\"data\":" + payload + "}");
        if (acked) {
          publisher.next("ack");
        }
        published++;
      }
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
}
