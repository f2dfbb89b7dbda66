package dev.switchboard.broker.security;

import dev.switchboard.broker.BrokerOptions;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.RawWebSocket;
import dev.switchboard.broker.testing.SseProbe;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.broker.testing.Tokens;
import dev.switchboard.protocol.CloseCode;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Authentication over real sockets: hello, handshake tokens, timeouts, expiry and refresh, bad tokens. */
class AuthTest {
  static final String SECRET = "test-secret-0123456789-0123456789";
  private static Vertx signing;
  private static Tokens tokens;
  private static Path secret;

  @BeforeAll
  static void keys() {
    signing = Vertx.vertx();
    tokens = Tokens.hs256(signing, SECRET);
  }

  @AfterAll
  static void close() {
    signing.close();
  }

  /** A node requiring HS256 tokens signed with {@link #SECRET}. */
  static Consumer<BrokerOptions> required(Consumer<SecurityOptions> tune) {
    return o -> {
      SecurityOptions s = o.security().auth(SecurityOptions.AUTH_REQUIRED).authSecretFile(secretFile().toString());
      tune.accept(s);
    };
  }

  static synchronized Path secretFile() {
    try {
      if (secret == null) {
        secret = Files.createTempFile("switchboard-secret", ".txt");
        secret.toFile().deleteOnExit();
        Files.writeString(secret, SECRET + "\n");
      }
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String hello(String token) {
    return new JsonObject().put("type", "hello").put("id", "h").put("token", token).encode();
  }

  @Test
  void nothingButHelloBeforeAuthenticationThenWelcome() {
    try (TestCluster cluster = TestCluster.of(1, required(s -> { }))) {
      SecurityOptionsCheck.assertRequired(cluster);
      Probe p = Probe.open(cluster.clients(), cluster.node(0).port(), o -> { });
      p.send("{\"type\":\"subscribe\",\"id\":\"s0\",\"topic\":\"news.eu\"}");
      JsonObject refused = p.next("error");
      assertThat(refused.getString("code")).isEqualTo("unauthorized");
      assertThat(refused.getString("id")).isEqualTo("s0");
      p.send("{\"type\":\"publish\",\"topic\":\"news.eu\",\"data\":1}");
      assertThat(p.next("error").getString("code")).isEqualTo("unauthorized");
      p.send(hello(tokens.token("alice", List.of("news.>"), List.of("news.*"), 600)));
      JsonObject welcome = p.next("welcome");
      assertThat(welcome.getString("session")).isNotEmpty();
      JsonObject authenticated = p.next("authenticated");
      assertThat(authenticated.getString("user")).isEqualTo("alice");
      assertThat(authenticated.getString("id")).isEqualTo("h");
      assertThat(authenticated.getLong("expires_at_ms")).isGreaterThan(System.currentTimeMillis());
      p.send("{\"type\":\"subscribe\",\"id\":\"s1\",\"topic\":\"news.eu\"}").next("subscribed");
      assertThat(cluster.node(0).stats().refusals("unauthenticated")).isEqualTo(2);
      p.close();
    }
  }

  @Test
  void framesThatArriveWithTheHelloWaitUntilItIsVerified() {
    try (TestCluster cluster = TestCluster.of(1, required(s -> { }));
         RawWebSocket ws = RawWebSocket.open(cluster.node(0).port())) {
      // One TCP write: the node reads all three at once, and answers the two behind the hello as authenticated. (An
      // HS256 token is verified at once; holding frames behind a verification that answers later: SessionChannelTest.)
      ws.write(RawWebSocket.text(hello(tokens.token("alice", List.of("news.>"), List.of("news.*"), 600))),
          RawWebSocket.text("{\"type\":\"subscribe\",\"id\":\"s1\",\"topic\":\"news.eu\"}"),
          RawWebSocket.text("{\"type\":\"subscribe\",\"id\":\"s2\",\"topic\":\"news.us\"}"));
      assertThat(ws.readSkippingPings().text()).contains("\"type\":\"welcome\"");
      assertThat(ws.readSkippingPings().text()).contains("\"type\":\"authenticated\"");
      assertThat(ws.readSkippingPings().text()).contains("\"type\":\"subscribed\"", "\"id\":\"s1\"");
      assertThat(ws.readSkippingPings().text()).contains("\"type\":\"subscribed\"", "\"id\":\"s2\"");
      assertThat(cluster.node(0).stats().refusals("unauthenticated")).isZero();
    }
  }

  @Test
  void aForgedTokenIsTerminalAnExpiredOneIsNot() {
    try (TestCluster cluster = TestCluster.of(1, required(s -> { }))) {
      int port = cluster.node(0).port();
      Probe forged = Probe.open(cluster.clients(), port, o -> { });
      forged.send(hello(Tokens.hs256(signing, "another-secret-0123456789-0123456")
          .token("alice", List.of(), List.of(">"), 600)));
      assertThat(forged.awaitClose()).isEqualTo((short) CloseCode.UNAUTHORIZED.code());
      assertThat(forged.all("welcome")).isEmpty();
      Probe garbage = Probe.open(cluster.clients(), port, o -> { });
      garbage.send(hello("not.a.token"));
      assertThat(garbage.awaitClose()).isEqualTo((short) CloseCode.UNAUTHORIZED.code());
      Probe expired = Probe.open(cluster.clients(), port, o -> { });
      expired.send(hello(tokens.token("alice", List.of(), List.of(">"), -10)));
      assertThat(expired.awaitClose()).isEqualTo((short) CloseCode.TOKEN_EXPIRED.code());
      assertThat(cluster.node(0).stats().refusals("invalid_token")).isEqualTo(2);
      assertThat(cluster.node(0).stats().refusals("token_expired")).isEqualTo(1);
    }
  }

  @Test
  void noHelloInTimeCloses4005() {
    try (TestCluster cluster = TestCluster.of(1, required(s -> s.authTimeoutMs(300)))) {
      Probe silent = Probe.open(cluster.clients(), cluster.node(0).port(), o -> { });
      assertThat(silent.awaitClose()).isEqualTo((short) CloseCode.AUTH_TIMEOUT.code());
      assertThat(cluster.node(0).stats().refusals("auth_timeout")).isEqualTo(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(0).stats().connections() == 0);
    }
  }

  @Test
  void aTokenAtTheHandshakeBearerOrQuery() {
    try (TestCluster cluster = TestCluster.of(1, required(s -> { }))) {
      int port = cluster.node(0).port();
      String token = tokens.token("bob", List.of(), List.of("a.>"), 600);
      Probe bearer = Probe.open(cluster.clients(), port, o -> o.addHeader("Authorization", "Bearer " + token));
      bearer.next("welcome");
      assertThat(bearer.next("authenticated").getString("user")).isEqualTo("bob");
      bearer.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"a.b\"}").next("subscribed");
      Probe query = Probe.open(cluster.clients(), port, o -> o.setURI("/ws?access_token=" + token));
      query.next("welcome");
      query.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"b\"}");
      assertThat(query.nextMatching(f -> "s".equals(f.getString("id"))).getString("code")).isEqualTo("forbidden");
      assertThat(upgradeStatus(cluster.clients(), port, o -> o.addHeader("Authorization", "Bearer x.y.z")))
          .isEqualTo(401);
      assertThat(upgradeStatus(cluster.clients(), port, o -> o.setURI("/ws?access_token="
          + tokens.token("bob", List.of(), List.of(), -5)))).isEqualTo(401);
      bearer.close();
      query.close();
    }
  }

  @Test
  void expiryIsEnforcedDuringTheSessionAfterARefreshRequest() {
    try (TestCluster cluster = TestCluster.of(1, required(s -> s.authRefreshMs(1500)))) {
      Probe p = Probe.open(cluster.clients(), cluster.node(0).port(), o -> { });
      p.answerPings(true);
      p.send(hello(tokens.token("carol", List.of(), List.of(">"), 3)));
      p.next("welcome");
      p.next("authenticated");
      JsonObject refresh = p.next("refresh");
      assertThat(refresh.getLong("expires_at_ms")).isGreaterThan(0);
      assertThat(p.awaitClose()).isEqualTo((short) CloseCode.TOKEN_EXPIRED.code());
      assertThat(cluster.node(0).stats().refusals("token_expired")).isEqualTo(1);
    }
  }

  @Test
  void aHelloWithANewTokenExtendsTheSession() {
    try (TestCluster cluster = TestCluster.of(1, required(s -> s.authRefreshMs(1500)))) {
      Probe p = Probe.open(cluster.clients(), cluster.node(0).port(), o -> { });
      p.send(hello(tokens.token("dave", List.of(), List.of("d.>"), 3)));
      p.next("welcome");
      long firstExpiry = p.next("authenticated").getLong("expires_at_ms");
      p.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"d.x\"}").next("subscribed");
      p.next("refresh");
      p.send(hello(tokens.token("erin", List.of(), List.of("d.>"), 60)));
      JsonObject otherUser = p.next("error");
      assertThat(otherUser.getString("code")).isEqualTo("unauthorized");
      p.send(hello(tokens.token("dave", List.of(), List.of("d.>"), 60)));
      assertThat(p.next("authenticated").getLong("expires_at_ms")).isGreaterThan(firstExpiry);
      // Well past the first token's expiry, the session is still open.
      await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > firstExpiry + 1000);
      assertThat(p.closeCode()).isNull();
      p.send("{\"type\":\"subscribe\",\"id\":\"s2\",\"topic\":\"d.y\"}").next("subscribed");
      // A token that no longer grants a held subscription ends the session: reconnect and resubscribe.
      p.send(hello(tokens.token("dave", List.of(), List.of("d.y"), 60)));
      assertThat(p.awaitClose()).isEqualTo((short) CloseCode.PERMISSIONS_CHANGED.code());
    }
  }

  @Test
  void anAnonymousNodeAcceptsHelloWithoutCheckingIt() {
    try (TestCluster cluster = TestCluster.of(1)) {
      Probe p = Probe.connect(cluster.clients(), cluster.node(0).port());
      // The answer to hello keeps its place behind the answer to a subscribe still being registered.
      p.ws.writeTextMessage("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"fresh.>\"}");
      p.send(hello("anything"));
      assertThat(p.next("subscribed").getString("id")).isEqualTo("s");
      JsonObject authenticated = p.next("authenticated");
      assertThat(authenticated.containsKey("user")).isFalse();
      p.send("{\"type\":\"hello\",\"id\":\"h2\"}");
      assertThat(p.next("authenticated").getString("id")).as("a hello without a token too").isEqualTo("h2");
      p.close();
    }
  }

  @Test
  void aHelloWithoutATokenIsRefusedAtOnceWhereOneIsRequired() {
    try (TestCluster cluster = TestCluster.of(1, required(s -> { }))) {
      Probe p = Probe.open(cluster.clients(), cluster.node(0).port(), o -> { });
      p.send("{\"type\":\"hello\",\"id\":\"h\"}");
      JsonObject refused = p.next("error");
      assertThat(refused.getString("code")).isEqualTo("unauthorized");
      assertThat(refused.getString("id")).isEqualTo("h");
      assertThat(p.awaitClose()).isEqualTo((short) CloseCode.UNAUTHORIZED.code());

      // Once authenticated, a hello without a token only asks who the session is.
      Probe q = Probe.open(cluster.clients(), cluster.node(0).port(), o -> { });
      q.send(hello(tokens.token("erin", List.of(), List.of(), 600))).next("welcome");
      q.next("authenticated");
      q.send("{\"type\":\"hello\",\"id\":\"who\",\"token\":null}");
      JsonObject who = q.next("authenticated");
      assertThat(who.getString("user")).isEqualTo("erin");
      assertThat(who.getString("id")).isEqualTo("who");
      assertThat(q.closeCode()).isNull();
      q.close();
    }
  }

  @Test
  void serverSentEventStreamsHoldTheirUsersConnectionSlot() {
    try (TestCluster cluster = TestCluster.of(1, required(s -> s.maxConnectionsPerUser(1)))) {
      int port = cluster.node(0).port();
      String alice = tokens.token("alice", List.of(), List.of("news.*"), 600);
      Map<String, String> bearer = Map.of("Authorization", "Bearer " + alice);
      try (SseProbe stream = SseProbe.open(cluster.clients(), port, "/sse?topic=news.eu", bearer)) {
        assertThat(stream.status()).isEqualTo(200);
        stream.next("subscribed");
        try (SseProbe second = SseProbe.open(cluster.clients(), port, "/sse?topic=news.eu", bearer)) {
          assertThat(second.status()).isEqualTo(429);
          assertThat(second.errorBody().getString("code")).isEqualTo("rate_limited");
        }
        Probe ws = Probe.open(cluster.clients(), port, o -> { });
        ws.send(hello(alice));
        assertThat(ws.awaitClose()).isEqualTo((short) CloseCode.TOO_MANY_CONNECTIONS.code());
        assertThat(cluster.node(0).stats().refusals("user_connections")).isEqualTo(2);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(0).stats().sseStreams() == 0);
      authenticated(cluster, alice).close();
    }
  }

  @Test
  void connectionsPerUserAreLimited() {
    try (TestCluster cluster = TestCluster.of(1, required(s -> s.maxConnectionsPerUser(2)))) {
      int port = cluster.node(0).port();
      String alice = tokens.token("alice", List.of(), List.of(), 600);
      Probe a1 = authenticated(cluster, alice);
      Probe a2 = authenticated(cluster, alice);
      Probe a3 = Probe.open(cluster.clients(), port, o -> { });
      a3.send(hello(alice));
      assertThat(a3.awaitClose()).isEqualTo((short) CloseCode.TOO_MANY_CONNECTIONS.code());
      Probe bob = authenticated(cluster, tokens.token("bob", List.of(), List.of(), 600));
      a1.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(0).stats().connections() == 2);
      Probe a4 = authenticated(cluster, alice);
      assertThat(cluster.node(0).stats().refusals("user_connections")).isEqualTo(1);
      a2.close();
      a4.close();
      bob.close();
    }
  }

  static Probe authenticated(TestCluster cluster, String token) {
    Probe p = Probe.open(cluster.clients(), cluster.node(0).port(), o -> { });
    p.send(hello(token));
    p.next("welcome");
    p.next("authenticated");
    return p;
  }

  static int upgradeStatus(Vertx vertx, int port, Consumer<WebSocketConnectOptions> tune) {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws");
    tune.accept(options);
    try {
      client.connect(options).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).close();
      return 101;
    } catch (ExecutionException e) {
      return e.getCause() instanceof UpgradeRejectedException r ? r.getStatus() : -1;
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      client.close();
    }
  }

  /** Guards against a test that passes because the node was not configured as meant. */
  static final class SecurityOptionsCheck {
    static void assertRequired(TestCluster cluster) {
      assertThat(upgradeStatus(cluster.clients(), cluster.node(0).port(), o -> o.addHeader("Authorization",
          "Bearer nope"))).isEqualTo(401);
    }
  }
}
