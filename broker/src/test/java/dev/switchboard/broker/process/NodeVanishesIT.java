package dev.switchboard.broker.process;

import dev.switchboard.broker.BrokerOptions;
import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.Http;
import dev.switchboard.client.ConnectionState;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node that vanishes without closing its sockets (SIGSTOP: how power loss or a cut cable look to its peers): the
 * others remove it within the failure-detection time and stay ready (a majority of min-members 2 remains), history
 * writes on its partitions wait no longer than that, a publisher whose replies wait meanwhile is not closed for
 * heartbeats the node itself did not read, and the node merges back into the cluster when it runs again.
 */
@ExtendWith(ProcessReaper.class)
class NodeVanishesIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int TOPICS = 60;
  private static final int PER_TOPIC = 10;
  /** Shorter than the failure detection, so a publisher judged on unread pongs would be closed during the stall. */
  private static final String[] ARGS = {"--history", "vanish.>/10000/10m", "--min-members", "2",
      "--heartbeat-interval-ms", "1000", "--heartbeat-timeout-ms", "2000"};

  @Test
  void writesWaitAtMostTheFailureDetectionAndThePublisherStaysConnected() throws Exception {
    try (ProcessCluster cluster = ProcessCluster.start(3, ARGS); Clients clients = new Clients()) {
      for (NodeProcess node : cluster.nodes()) {
        awaitMembers(node, 3);
      }
      Clients.Recorded publisher = clients.connect(b -> b.requestTimeout(WAIT), cluster.url(0));
      // Every topic's store exists before the node vanishes: what is measured is the wait for its partitions.
      for (int t = 0; t < TOPICS; t++) {
        Clients.join(publisher.client.publish("vanish.t" + t, "warm"));
      }

      NodeProcess vanished = cluster.node(2);
      vanished.freeze();
      long frozenAt = System.nanoTime();
      // More publishes than the replies a session queues before it stops reading its client (Replies.MAX_QUEUED).
      List<CompletableFuture<Long>> acks = new ArrayList<>();
      for (int i = 0; i < PER_TOPIC; i++) {
        for (int t = 0; t < TOPICS; t++) {
          acks.add(publisher.client.publish("vanish.t" + t, "m" + i).toCompletableFuture()
              .thenApply(ack -> (System.nanoTime() - frozenAt) / 1_000_000));
        }
      }
      CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      long slowestMs = acks.stream().mapToLong(CompletableFuture::join).max().orElseThrow();
      long removedMs = awaitMembers(cluster.node(0), 2);
      System.out.printf("node vanished (SIGSTOP): %d acks, slowest %d ms after it stopped; the survivors saw 2"
          + " members %d ms after%n", acks.size(), slowestMs, removedMs + slowestMs);

      assertThat(slowestMs).as("slowest ack after the node vanished, ms")
          .isLessThan(BrokerOptions.DEFAULT_FAILURE_DETECTION_MS + 7_000);
      assertThat(publisher.count(ConnectionState.DISCONNECTED)).as("the publisher's connection was never lost")
          .isZero();
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> ready = Http.get(cluster.node(i).port(), "/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      }

      vanished.thaw();
      long thawedAt = System.nanoTime();
      for (NodeProcess node : cluster.nodes()) {
        awaitMembers(node, 3);
      }
      System.out.printf("node thawed: three members on every node again after %d ms (split-brain merge)%n",
          (System.nanoTime() - thawedAt) / 1_000_000);
      Clients.join(publisher.client.publish("vanish.t0", "after"));
    }
  }

  /** Waits until {@code node}'s readiness reports {@code members} members; returns how long that took, in ms. */
  private static long awaitMembers(NodeProcess node, int members) {
    long start = System.nanoTime();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> Http.get(node.port(), "/health/ready").body().contains("\"members\":" + members + ","));
    return (System.nanoTime() - start) / 1_000_000;
  }
}
