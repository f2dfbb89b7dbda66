package dev.switchboard.broker;

import dev.switchboard.broker.testing.Http;
import dev.switchboard.broker.testing.Ports;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.protocol.CloseCode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness that tells the truth about the cluster: a node whose join list names a peer is not ready alone; with
 * {@code --min-members 2} one node lost of three leaves the others ready, and a node left alone closes its clients with
 * 4008 {@code no_quorum} and refuses new clients and publishes until the cluster is back.
 */
class QuorumTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String PUBLISH = "/api/topics/quorum.news/messages";

  @Test
  void aNodeWhoseJoinListNamesAnAbsentPeerIsNotReadyUntilAPeerJoins() {
    int absent = Ports.free();
    try (TestCluster cluster = TestCluster.of(1, o -> o.join(List.of("127.0.0.1:" + absent)))) {
      SwitchboardNode alone = cluster.node(0);
      HttpResponse<String> ready = Http.get(alone.port(), "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("\"members\":1", "\"minMembers\":2", "waiting for members: sees 1 of 2");
      assertThat(alone.ready()).isFalse();
      assertThat(Http.upgradeStatus(cluster.url(0))).isEqualTo(503);

      cluster.add(o -> { });
      cluster.awaitMembers();
      for (SwitchboardNode node : cluster.nodes()) {
        await().atMost(WAIT).until(() -> Http.get(node.port(), "/health/ready").statusCode() == 200);
      }
      assertThat(Http.upgradeStatus(cluster.url(0))).isEqualTo(101);
    }
  }

  @Test
  void oneNodeLostLeavesAMajorityReadyAndANodeLeftAloneShedsItsClients() {
    try (TestCluster cluster = TestCluster.of(3, o -> o.minMembers(2))) {
      for (SwitchboardNode node : cluster.nodes()) {
        await().atMost(WAIT).until(node::ready);
      }
      SwitchboardNode last = cluster.node(2);
      try (Probe client = Probe.connect(cluster.clients(), last.port())) {

        cluster.stop(0);
        await().atMost(WAIT).until(() -> last.clusterManager().getNodes().size() == 2);
        assertThat(Http.get(cluster.node(1).port(), "/health/ready").statusCode()).isEqualTo(200);
        assertThat(Http.get(last.port(), "/health/ready").statusCode()).isEqualTo(200);
        assertThat(client.closeCode()).as("a client of a node that kept its majority").isNull();

        cluster.stop(1);
        assertThat(client.awaitClose()).isEqualTo((short) CloseCode.NO_QUORUM.code());
        assertThat(client.closeReason()).isEqualTo(CloseCode.NO_QUORUM.reason());
      }
      HttpResponse<String> ready = Http.get(last.port(), "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("lost its quorum: sees 1 of 2 members");
      assertThat(Http.upgradeStatus(cluster.url(2))).isEqualTo(503);
      HttpResponse<String> publish = Http.post(last.port(), PUBLISH, "{\"n\":1}");
      assertThat(publish.statusCode()).isEqualTo(503);
      assertThat(publish.body()).contains("unavailable", "min-members");
    }
  }
}
