package dev.switchboard.broker.security;

import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.broker.testing.Tokens;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Switchboard;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A misconfigured Java client is told so, at once and for good: {@code connected()} fails with a code naming the
 * cause, the client closes and stops retrying. A transient refusal is retried instead.
 */
@ExtendWith(VertxExtension.class)
class SdkRefusalTest {
  static TestCluster cluster;
  static Vertx signing;
  static Tokens tokens;
  final List<SwitchboardClient> clients = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    signing = Vertx.vertx();
    tokens = Tokens.hs256(signing, AuthTest.SECRET);
    cluster = TestCluster.of(1, AuthTest.required(s -> { }));
  }

  @AfterAll
  static void stop() {
    cluster.close();
    signing.close();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(SwitchboardClient::close);
  }

  SwitchboardClient connect(String url, Consumer<ClientOptions.Builder> tune) {
    ClientOptions.Builder b = ClientOptions.builder().servers(url)
        .reconnectDelayMin(Duration.ofMillis(50)).reconnectDelayMax(Duration.ofMillis(200));
    tune.accept(b);
    SwitchboardClient client = Switchboard.connect(b.build());
    clients.add(client);
    return client;
  }

  /**
   * A client that must be refused: its one event is CLOSED (never CONNECTED or DISCONNECTED), and {@code connected()}
   * fails with {@code code} within the connect timeout.
   */
  SwitchboardClient refusedClient(String url, Consumer<ClientOptions.Builder> tune, String code, String inMessage,
                                  VertxTestContext ctx) {
    Checkpoint closedEvent = ctx.checkpoint();
    Checkpoint refused = ctx.checkpoint();
    long start = System.nanoTime();
    SwitchboardClient client = connect(url, b -> {
      tune.accept(b);
      b.connectionListener(e -> {
        if (e.type() == ConnectionState.CLOSED) {
          closedEvent.flag();
        } else {
          ctx.failNow(new AssertionError("a refused client must not report " + e));
        }
      });
    });
    client.connected().whenComplete((v, failure) -> ctx.verify(() -> {
      // Dependent stages see the cause wrapped, as with any CompletableFuture.
      Throwable err = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
      assertThat(err).isInstanceOf(SwitchboardException.class);
      assertThat(((SwitchboardException) err).code()).isEqualTo(code);
      assertThat(err.getMessage()).contains(inMessage);
      assertThat(System.nanoTime() - start).isLessThan(ClientOptions.DEFAULT_CONNECT_TIMEOUT.toNanos());
      assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
      assertThat(SdkRefusalTest.code(client.publish("news.eu", 1))).isEqualTo(SwitchboardException.CLOSED);
      refused.flag();
    }));
    return client;
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void noTokenAgainstANodeThatRequiresOne(VertxTestContext ctx) {
    refusedClient(cluster.url(0), b -> { }, SwitchboardException.UNAUTHORIZED, "4500", ctx);
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aTokenTheNodeDoesNotAccept(VertxTestContext ctx) {
    refusedClient(cluster.url(0), b -> b.tokenSupplier(() -> CompletableFuture.completedFuture("not.a.jwt")),
        SwitchboardException.UNAUTHORIZED, "4500", ctx);
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aHandshakeTokenTheNodeRefusesWith401(VertxTestContext ctx) {
    refusedClient(cluster.url(0) + "?access_token=not.a.jwt", b -> { }, SwitchboardException.UNAUTHORIZED, "HTTP 401",
        ctx);
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aWrongPathIsNamedAndNotRetried(VertxTestContext ctx) {
    refusedClient("ws://127.0.0.1:" + cluster.node(0).port() + "/socket", b -> { },
        SwitchboardException.HANDSHAKE_REFUSED, "HTTP 404", ctx);
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aValidTokenConnects(VertxTestContext ctx) {
    String token = tokens.token("alice", List.of("news.>"), List.of("news.>"), 600);
    SwitchboardClient client = connect(cluster.url(0),
        b -> b.tokenSupplier(() -> CompletableFuture.completedFuture(token)));
    client.connected().thenCompose(v -> client.publish("news.eu", 1)).whenComplete((v, err) -> ctx.verify(() -> {
      assertThat(err).isNull();
      assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
      ctx.completeNow();
    }));
  }

  static String code(java.util.concurrent.CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause() instanceof SwitchboardException s ? s.code() : String.valueOf(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
