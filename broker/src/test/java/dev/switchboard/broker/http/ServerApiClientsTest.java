package dev.switchboard.broker.http;

import dev.switchboard.broker.security.SecurityOptions;
import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.ServerApiCalls;
import dev.switchboard.broker.testing.SseProbe;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.broker.testing.Tokens;
import dev.switchboard.client.ConnectionEvent;
import dev.switchboard.client.ConnectionState;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.broker.testing.ServerApiCalls.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server API's commands to one user's connections, on two real clustered nodes that require tokens: disconnect
 * (WebSocket sessions, SSE streams and the Java SDK, on the node the request did not reach too) and unsubscribe.
 */
class ServerApiClientsTest {
  static final String SECRET = "server-api-test-secret-0123456789abcdef";
  static final AtomicInteger names = new AtomicInteger();
  static Path secret;
  static TestCluster cluster;
  static Tokens tokens;
  final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    secret = Files.createTempFile("switchboard-secret", ".txt");
    Files.writeString(secret, SECRET);
    cluster = TestCluster.of(2, ServerApiCalls.on().andThen(o -> o.presence(List.of("room.p.>")).security()
        .auth(SecurityOptions.AUTH_REQUIRED).authSecretFile(secret.toString())));
    tokens = Tokens.hs256(cluster.clients(), SECRET);
  }

  @AfterAll
  static void stop() throws IOException {
    cluster.close();
    Files.deleteIfExists(secret);
  }

  @AfterEach
  void closeClients() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  static String user(String name) {
    return name + names.incrementAndGet();
  }

  static String token(String user) {
    return tokens.token(user, List.of("room.>"), List.of("room.>"), 600);
  }

  /** A WebSocket of {@code user} on node {@code node}, authenticated at the handshake. */
  Probe socket(int node, String user) {
    Probe probe = Probe.open(cluster.clients(), cluster.node(node).port(),
        o -> o.setURI("/ws?access_token=" + token(user))).answerPings(true);
    open.add(probe);
    probe.next("welcome");
    probe.next("authenticated");
    return probe;
  }

  SseProbe stream(int node, String user, String... topics) {
    StringBuilder uri = new StringBuilder("/sse?access_token=" + token(user));
    for (String topic : topics) {
      uri.append("&topic=").append(topic);
    }
    SseProbe sse = SseProbe.open(cluster.clients(), cluster.node(node).port(), uri.toString());
    open.add(sse);
    assertThat(sse.status()).isEqualTo(200);
    for (String topic : topics) {
      assertThat(sse.next("subscribed").json().getString("topic")).isEqualTo(topic);
    }
    return sse;
  }

  Clients.Recorded sdk(int node, String user) {
    Clients clients = new Clients();
    open.add(clients);
    return clients.connect(b -> b.tokenSupplier(() -> CompletableFuture.completedFuture(token(user))),
        "ws://127.0.0.1:" + cluster.node(node).port() + "/ws");
  }

  static void subscribe(Probe probe, String topic) {
    probe.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"" + topic + "\"}")
        .nextMatching(f -> "subscribed".equals(f.getString("type")));
  }

  @Test
  void aDisconnectClosesEveryConnectionOfTheUserOnEveryNodeWith4501AndTheSdkDoesNotReconnect() {
    String alice = user("alice");
    Probe far = socket(1, alice);
    Probe near = socket(0, alice);
    SseProbe stream = stream(1, alice, "room.1");
    Clients.Recorded client = sdk(1, alice);
    Probe bob = socket(1, user("bob"));
    long before = cluster.node(1).stats().connections();

    JsonObject answer = ok(ServerApiCalls.to(cluster.node(0).port()).post("/disconnect",
        "{\"user\":\"" + alice + "\"}"));

    assertThat(answer).isEqualTo(new JsonObject().put("user", alice).put("code", 4501).put("closed", 4)
        .put("nodes", 2).put("answered", 2));
    for (Probe socket : List.of(far, near)) {
      assertThat(socket.awaitClose()).isEqualTo((short) 4501);
      assertThat(socket.closeReason()).isEqualTo("disconnected");
    }
    assertThat(stream.next("close").json())
        .isEqualTo(new JsonObject().put("type", "close").put("code", 4501).put("reason", "disconnected"));
    stream.awaitEnd();
    await().atMost(Duration.ofSeconds(20)).until(() -> client.client.state() == ConnectionState.CLOSED);
    // A terminal code: the client is closed for good (CLOSED, with the code), it never connects again.
    await().atMost(Duration.ofSeconds(20)).until(() -> client.count(ConnectionState.CLOSED) == 1);
    ConnectionEvent closed = client.events.stream().filter(e -> e.type() == ConnectionState.CLOSED)
        .findFirst().orElseThrow();
    assertThat(closed.closeCode()).isEqualTo(4501);
    assertThat(closed.reason()).isEqualTo("disconnected");
    assertThat(client.count(ConnectionState.DISCONNECTED)).isZero();
    assertThat(client.count(ConnectionState.CONNECTED)).isEqualTo(1);
    assertThat(client.count(ConnectionState.RECONNECTED)).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> cluster.node(1).stats().connections() == before - 2
        && cluster.node(1).stats().sseStreams() == 0);
    // Another user's connection is not touched.
    subscribe(bob, "room.1");
    assertThat(bob.closeCode()).isNull();
  }

  @Test
  void aCodeOfTheReconnectRangeClosesWithItAndTheSdkReconnects() {
    String carol = user("carol");
    Probe socket = socket(0, carol);
    Clients.Recorded client = sdk(0, carol);

    JsonObject answer = ok(ServerApiCalls.to(cluster.node(1).port()).post("/disconnect",
        "{\"user\":\"" + carol + "\",\"code\":4100}"));

    assertThat(answer.getInteger("closed")).isEqualTo(2);
    assertThat(answer.getInteger("code")).isEqualTo(4100);
    assertThat(socket.awaitClose()).isEqualTo((short) 4100);
    assertThat(socket.closeReason()).isEqualTo("disconnected");
    client.awaitEvent(ConnectionState.RECONNECTED, 1);
    assertThat(client.events.stream().filter(e -> e.type() == ConnectionState.DISCONNECTED).findFirst()
        .orElseThrow().closeCode()).isEqualTo(4100);
    // A user without connections: nothing closed, every node answered.
    assertThat(ok(ServerApiCalls.to(cluster.node(1).port()).post("/disconnect", "{\"user\":\"nobody\"}")))
        .isEqualTo(new JsonObject().put("user", "nobody").put("code", 4501).put("closed", 0).put("nodes", 2)
            .put("answered", 2));
  }

  @Test
  void anUnsubscribeDropsTheSubscriptionFromEachOfTheUsersConnectionsAndTellsThem() {
    String alice = user("alice");
    String topic = "room.u" + names.incrementAndGet();
    Probe socket = socket(1, alice);
    subscribe(socket, topic);
    subscribe(socket, "room.>");
    SseProbe stream = stream(0, alice, topic, "room.other");
    Probe bob = socket(1, user("bob"));
    subscribe(bob, topic);
    long held = cluster.node(1).stats().subscriptions();

    JsonObject answer = ok(ServerApiCalls.to(cluster.node(0).port()).post("/unsubscribe",
        "{\"user\":\"" + alice + "\",\"topic\":\"" + topic + "\"}"));

    assertThat(answer).isEqualTo(new JsonObject().put("user", alice).put("topic", topic).put("unsubscribed", 2)
        .put("nodes", 2).put("answered", 2));
    JsonObject told = new JsonObject().put("type", "unsubscribed").put("topic", topic).put("reason", "server");
    assertThat(socket.nextMatching(f -> "unsubscribed".equals(f.getString("type")))).isEqualTo(told);
    assertThat(stream.next("unsubscribed").json()).isEqualTo(told);
    // The subscription is gone from the node; the pattern and bob's stay.
    assertThat(cluster.node(1).stats().subscriptions()).isEqualTo(held - 1);
    assertThat(socket.closeCode()).isNull();
    // The same subscription again is a fresh one, and delivers.
    subscribe(socket, topic);
    assertThat(cluster.node(1).stats().subscriptions()).isEqualTo(held);
    ServerApiCalls api = ServerApiCalls.to(cluster.node(0).port());
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      ok(api.post("/publish", "{\"topic\":\"" + topic + "\",\"data\":1}"));
      return socket.all("message").stream().anyMatch(f -> !f.containsKey("pattern"));
    });
    // Nothing to drop: none of the user's connections holds it.
    assertThat(ok(api.post("/unsubscribe", "{\"user\":\"" + alice + "\",\"topic\":\"room.none\"}"))
        .getInteger("unsubscribed")).isZero();
  }

  @Test
  void infoTopicsAndPresenceAreReadFromAnyNode() {
    String alice = user("alice");
    String bob = user("bob");
    String topic = "room.p." + names.incrementAndGet();
    Probe a = socket(1, alice);
    a.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"" + topic + "\",\"info\":{\"name\":\"Alice\"}}")
        .nextMatching(f -> "subscribed".equals(f.getString("type")));
    Probe b = socket(0, bob);
    subscribe(b, topic);
    ServerApiCalls api = ServerApiCalls.to(cluster.node(0).port());

    await().atMost(Duration.ofSeconds(20)).until(() -> ok(api.get("/presence_stats?topic=" + topic))
        .equals(new JsonObject().put("topic", topic).put("clients", 2).put("users", 2)));
    JsonObject first = ok(api.get("/presence?limit=1&topic=" + topic));
    assertThat(first.getString("topic")).isEqualTo(topic);
    assertThat(first.getJsonArray("members")).hasSize(1);
    assertThat(first.getString("next")).isNotNull();
    JsonObject second = ok(api.get("/presence?limit=1&topic=" + topic + "&after="
        + ServerApiCalls.q(first.getString("next"))));
    assertThat(second.getValue("next")).isNull();
    List<JsonObject> members = List.of(first.getJsonArray("members").getJsonObject(0),
        second.getJsonArray("members").getJsonObject(0));
    JsonObject ofAlice = members.stream().filter(m -> alice.equals(m.getString("user"))).findFirst().orElseThrow();
    JsonObject ofBob = members.stream().filter(m -> bob.equals(m.getString("user"))).findFirst().orElseThrow();
    assertThat(ofAlice.fieldNames()).containsExactlyInAnyOrder("client", "user", "info", "node");
    assertThat(ofAlice.getJsonObject("info")).isEqualTo(new JsonObject().put("name", "Alice"));
    assertThat(ofAlice.getString("node")).isEqualTo(cluster.node(1).nodeId());
    assertThat(ofBob.getValue("info")).isNull();
    assertThat(ofBob.getString("node")).isEqualTo(cluster.node(0).nodeId());

    JsonObject topics = ok(api.get("/topics?pattern=" + ServerApiCalls.q("room.p.>")));
    assertThat(topics.getJsonArray("topics")).contains(new JsonObject().put("topic", topic).put("subscribers", 2));
    assertThat(ok(api.get("/topics?limit=1")).getJsonArray("topics")).hasSize(1);

    await().atMost(Duration.ofSeconds(20)).until(() -> {
      JsonObject info = ok(api.get("/info"));
      long connections = cluster.node(0).stats().connections() + cluster.node(1).stats().connections();
      return info.getJsonArray("nodes").size() == 2 && info.getLong("connections") == connections
          && info.getInteger("topics") >= 1;
    });
    JsonObject info = ok(api.get("/info"));
    assertThat(info.getJsonArray("nodes").stream().map(n -> ((JsonObject) n).getString("id")).toList())
        .containsExactlyInAnyOrder(cluster.node(0).nodeId(), cluster.node(1).nodeId());
    assertThat(info.getJsonArray("nodes").getJsonObject(0).fieldNames())
        .containsExactlyInAnyOrderElementsOf(ApiInfo.NODE_FIELDS);

    ServerApiCalls.error(api.get("/presence?topic=room.other"), 404, "not_enabled");
    ServerApiCalls.error(api.get("/presence_stats?topic=room.other"), 404, "not_enabled");
    ServerApiCalls.error(api.get("/presence?topic=room.p.*"), 400, "invalid_topic");
    ServerApiCalls.error(api.get("/presence?topic=" + topic + "&limit=1001"), 400, "invalid_field");
    ServerApiCalls.error(api.get("/topics?pattern=a..b"), 400, "invalid_topic");
    ServerApiCalls.error(api.get("/topics?limit=0"), 400, "invalid_field");
  }
}
