package dev.switchboard.broker;

import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.TestCluster;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node on the io_uring transport ({@code --transport io_uring}), where the handshake's 101 is written after the
 * session has started: its first frames wait for it ({@code UpgradeGate}) instead of reaching the HTTP encoder, which
 * refused them (every session closed with 1011).
 */
class TransportTest {
  private static final int CLIENTS = 50;
  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(1, o -> o.transport("io_uring"));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void sessionsOnIoUringAreWelcomedAndServed() {
    int port = cluster.node(0).port();
    List<Probe> probes = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        Probe p = Probe.connect(cluster.clients(), port); // waits for welcome
        p.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"uring\"}");
        p.next("subscribed");
        probes.add(p);
      }
      probes.get(0).send("{\"type\":\"publish\",\"id\":\"p\",\"topic\":\"uring\",\"data\":42}");
      for (Probe p : probes) {
        JsonObject message = p.nextMatching(f -> "message".equals(f.getString("type")));
        assertThat(message.getInteger("data")).isEqualTo(42);
      }
    } finally {
      probes.forEach(Probe::close);
    }
  }
}
