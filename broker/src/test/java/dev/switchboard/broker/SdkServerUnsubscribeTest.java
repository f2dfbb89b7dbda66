package dev.switchboard.broker;

import dev.switchboard.broker.security.SecurityOptions;
import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.FreezableProxy;
import dev.switchboard.broker.testing.ServerApiCalls;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.broker.testing.Tokens;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Subscription;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.switchboard.broker.testing.ServerApiCalls.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Java SDK told by the server API's unsubscribe, on two real nodes that require tokens, through a proxy that can
 * cut the connection: every local subscription of the user on the topic ends ({@code ended()} fails with
 * {@code unsubscribed}), its messages stop, and a reconnect does not subscribe to it again, while another topic's
 * subscription goes on.
 */
class SdkServerUnsubscribeTest {
  static final String SECRET = "sdk-server-unsubscribe-secret-0123456789";
  static Path secret;
  static TestCluster cluster;
  static Tokens tokens;
  static Clients sdk;

  @BeforeAll
  static void start() throws IOException {
    secret = Files.createTempFile("switchboard-secret", ".txt");
    Files.writeString(secret, SECRET);
    cluster = TestCluster.of(2, ServerApiCalls.on().andThen(o -> o.security().auth(SecurityOptions.AUTH_REQUIRED)
        .authSecretFile(secret.toString())));
    tokens = Tokens.hs256(cluster.clients(), SECRET);
    sdk = new Clients();
  }

  @AfterAll
  static void stop() throws IOException {
    sdk.close();
    cluster.close();
    Files.deleteIfExists(secret);
  }

  private static void publish(ServerApiCalls api, String topic, String data) {
    ok(api.post("/publish", "{\"topic\":\"" + topic + "\",\"data\":\"" + data + "\"}"));
  }

  @Test
  void theSubscriptionsOnTheTopicEndAndAReconnectDoesNotSubscribeAgain() {
    ServerApiCalls api = ServerApiCalls.to(cluster.node(1).port());
    List<String> dropped = new CopyOnWriteArrayList<>();
    List<String> kept = new CopyOnWriteArrayList<>();
    try (FreezableProxy proxy = FreezableProxy.start(cluster.clients(), cluster.node(0).port())) {
      String token = tokens.token("ursula", List.of("room.>"), List.of("room.>"), 600);
      Clients.Recorded recorded = sdk.connect(b -> b.tokenSupplier(() -> CompletableFuture.completedFuture(token)),
          proxy.url());
      SwitchboardClient client = recorded.client;
      Subscription first = Clients.join(client.subscribe("room.dropped", m -> dropped.add("first " + m.data())));
      Subscription second = Clients.join(client.subscribe("room.dropped", m -> dropped.add("second " + m.data())));
      Subscription other = Clients.join(client.subscribe("room.kept", m -> kept.add(String.valueOf(m.data()))));
      // The registration reaches node 1 soon after subscribed: publish until a message arrives.
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        publish(api, "room.dropped", "before");
        return dropped.contains("first before") && dropped.contains("second before");
      });

      assertThat(ok(api.post("/unsubscribe", "{\"user\":\"ursula\",\"topic\":\"room.dropped\"}"))
          .getInteger("unsubscribed")).isEqualTo(1);

      for (Subscription s : List.of(first, second)) {
        Throwable ended = Clients.join(s.ended()
            .handle((v, e) -> e instanceof CompletionException c ? c.getCause() : e));
        assertThat(ended).isInstanceOf(SwitchboardException.class).hasMessageContaining("reason server");
        assertThat(((SwitchboardException) ended).code()).isEqualTo(SwitchboardException.UNSUBSCRIBED);
      }
      assertThat(other.ended().toCompletableFuture()).isNotDone();
      Clients.join(first.unsubscribe()); // ended already: nothing to do, completes
      dropped.clear();
      publish(api, "room.dropped", "after");
      publish(api, "room.kept", "after");
      await().atMost(Duration.ofSeconds(20)).until(() -> kept.contains("after"));
      assertThat(dropped).isEmpty();

      proxy.cut();
      recorded.awaitEvent(ConnectionState.DISCONNECTED, 1);
      proxy.restore();
      recorded.awaitEvent(ConnectionState.RECONNECTED, 1);
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        publish(api, "room.dropped", "reconnected");
        publish(api, "room.kept", "reconnected");
        return kept.contains("reconnected");
      });
      assertThat(dropped).isEmpty();
      assertThat(other.ended().toCompletableFuture()).isNotDone();
    }
  }
}
