package dev.switchboard.broker.security;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.broker.testing.Tokens;
import dev.switchboard.client.ConnectionEvent;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Message;
import dev.switchboard.protocol.CloseCode;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Java SDK's token supplier against a node that requires authentication: hello, refresh, reconnect. */
class SdkAuthTest {
  private static Vertx signing;
  private static Tokens tokens;

  @BeforeAll
  static void keys() {
    signing = Vertx.vertx();
    tokens = Tokens.hs256(signing, AuthTest.SECRET);
  }

  @AfterAll
  static void close() {
    signing.close();
  }

  @Test
  void theSupplierIsAskedAgainOnRefreshAndTheSessionOutlivesItsFirstToken() {
    try (TestCluster cluster = TestCluster.of(1, AuthTest.required(s -> s.authRefreshMs(2000)));
         Clients clients = new Clients()) {
      AtomicInteger asked = new AtomicInteger();
      long start = System.currentTimeMillis();
      Clients.Recorded client = clients.connect(b -> b.tokenSupplier(() -> {
        asked.incrementAndGet();
        return CompletableFuture.completedFuture(tokens.token("alice", List.of("room.>"), List.of("room.>"), 3));
      }), "ws://127.0.0.1:" + cluster.node(0).port() + "/ws");
      List<Message> got = new CopyOnWriteArrayList<>();
      Clients.join(client.client.subscribe("room.1", got::add));
      await().atMost(Duration.ofSeconds(20)).until(() -> asked.get() >= 2);
      // Past the first token's expiry (3 s, whole seconds), the connection is the same and still serves.
      await().atMost(Duration.ofSeconds(20)).until(() -> System.currentTimeMillis() > start + 5000);
      Clients.join(client.client.publish("room.1", "still here"));
      await().atMost(Duration.ofSeconds(20)).until(() -> !got.isEmpty());
      assertThat(client.count(ConnectionState.DISCONNECTED)).isZero();
      assertThat(cluster.node(0).stats().refusals("token_expired")).isZero();
    }
  }

  @Test
  void anExpiredSessionReconnectsWithAFreshToken() {
    try (TestCluster cluster = TestCluster.of(1, AuthTest.required(s -> s.authRefreshMs(1000)));
         Clients clients = new Clients()) {
      AtomicInteger asked = new AtomicInteger();
      Clients.Recorded client = clients.connect(b -> b.tokenSupplier(() -> {
        int n = asked.incrementAndGet();
        // The refresh (second call) brings a token the node refuses, so the first one runs out: 4004, reconnect.
        String user = n == 2 ? "mallory" : "alice";
        return CompletableFuture.completedFuture(tokens.token(user, List.of("room.>"), List.of("room.>"),
            n == 1 ? 2 : 600));
      }), "ws://127.0.0.1:" + cluster.node(0).port() + "/ws");
      List<Message> got = new CopyOnWriteArrayList<>();
      Clients.join(client.client.subscribe("room.2", got::add));
      client.awaitEvent(ConnectionState.RECONNECTED, 1);
      ConnectionEvent lost = client.events.stream().filter(e -> e.type() == ConnectionState.DISCONNECTED)
          .findFirst().orElseThrow();
      assertThat(lost.closeCode()).isEqualTo(CloseCode.TOKEN_EXPIRED.code());
      assertThat(asked.get()).isGreaterThanOrEqualTo(3);
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        client.client.publish("room.2", "after reconnect");
        return !got.isEmpty();
      });
    }
  }

  @Test
  void aTerminalRefusalStopsTheClient() {
    try (TestCluster cluster = TestCluster.of(1, AuthTest.required(s -> { }));
         Clients clients = new Clients()) {
      Tokens forger = Tokens.hs256(signing, "not-the-secret-0123456789-01234567");
      dev.switchboard.client.SwitchboardClient client = dev.switchboard.client.Switchboard.connect(
          dev.switchboard.client.ClientOptions.builder().servers("ws://127.0.0.1:" + cluster.node(0).port() + "/ws")
              .tokenSupplier(() -> CompletableFuture.completedFuture(forger.token("x", List.of(), List.of(), 60)))
              .build());
      await().atMost(Duration.ofSeconds(20)).until(() -> client.state() == ConnectionState.CLOSED);
      assertThat(cluster.node(0).stats().refusals("invalid_token")).isEqualTo(1);
      client.close();
    }
  }
}
