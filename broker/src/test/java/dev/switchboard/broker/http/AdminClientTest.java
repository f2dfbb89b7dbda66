package dev.switchboard.broker.http;

import dev.switchboard.admin.AdminException;
import dev.switchboard.admin.AdminPage;
import dev.switchboard.admin.BroadcastResult;
import dev.switchboard.admin.ClusterInfo;
import dev.switchboard.admin.DisconnectResult;
import dev.switchboard.admin.HistoryItem;
import dev.switchboard.admin.HistoryOrder;
import dev.switchboard.admin.PublishResult;
import dev.switchboard.admin.SwitchboardAdmin;
import dev.switchboard.admin.TopicInfo;
import dev.switchboard.admin.UnsubscribeResult;
import dev.switchboard.broker.HistoryRule;
import dev.switchboard.broker.security.SecurityOptions;
import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.ServerApiCalls;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.broker.testing.Tokens;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Json;
import dev.switchboard.client.Position;
import dev.switchboard.client.PresenceMember;
import dev.switchboard.client.PresencePage;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.switchboard.broker.testing.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The SDK's admin client ({@code dev.switchboard.admin}) end to end, against two real clustered nodes. */
class AdminClientTest {
  static final String SECRET = "admin-client-test-secret-0123456789abcdef";
  static Path secret;
  static TestCluster cluster;
  static Tokens tokens;
  static SwitchboardAdmin admin;
  final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

  /** A record as an application would publish it. */
  record Headline(String title, int rank) {
  }

  @BeforeAll
  static void start() throws IOException {
    secret = Files.createTempFile("switchboard-secret", ".txt");
    Files.writeString(secret, SECRET);
    cluster = TestCluster.of(2, ServerApiCalls.on().andThen(o -> o.history(HistoryRule.parseList("log.>/100/5m"))
        .presence(List.of("room.>")).security().auth(SecurityOptions.AUTH_REQUIRED).authSecretFile(secret.toString())));
    tokens = Tokens.hs256(cluster.clients(), SECRET);
    admin = SwitchboardAdmin.create("http://127.0.0.1:" + cluster.node(0).port() + "/", ServerApiCalls.KEY);
  }

  @AfterAll
  static void stop() throws IOException {
    cluster.close();
    Files.deleteIfExists(secret);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  Probe socket(int node, String user) {
    String token = tokens.token(user, List.of("room.>", "log.>"), List.of("room.>", "log.>"), 600);
    Probe probe = Probe.open(cluster.clients(), cluster.node(node).port(), o -> o.setURI("/ws?access_token=" + token))
        .answerPings(true);
    open.add(probe);
    probe.next("welcome");
    probe.next("authenticated");
    return probe;
  }

  static void subscribe(Probe probe, String topic) {
    probe.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"" + topic + "\"}")
        .nextMatching(f -> "subscribed".equals(f.getString("type")));
  }

  static AdminException refusal(CompletableFuture<?> call) {
    try {
      call.join();
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(AdminException.class);
      return (AdminException) e.getCause();
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void publishAndBroadcastReachSubscribersAndAnswerPositions() {
    Probe sub = socket(1, "sam");
    subscribe(sub, "room.news");
    subscribe(sub, "log.events");
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      assertThat(join(admin.publish("room.news", new Headline("warm", 0)))).isEqualTo(new PublishResult("room.news",
          null));
      return !sub.all("message").isEmpty();
    });
    PublishResult stored = join(admin.publish("log.events", Map.of("n", 1)));
    assertThat(stored.position()).isNotNull();
    JsonObject message = sub.nextMatching(f -> "message".equals(f.getString("type"))
        && "log.events".equals(f.getString("topic")));
    assertThat(message.getJsonObject("data")).isEqualTo(new JsonObject().put("n", 1));
    assertThat(message.getJsonObject("position").getLong("offset")).isEqualTo(stored.position().offset());

    List<BroadcastResult> results = join(admin.broadcast(List.of("room.news", "bad..topic", "log.events"),
        Json.raw("{\"title\":\"all\"}")));
    assertThat(results).extracting(BroadcastResult::topic).containsExactly("room.news", "bad..topic", "log.events");
    assertThat(results.get(0).ok()).isTrue();
    assertThat(results.get(1).ok()).isFalse();
    assertThat(results.get(1).errorCode()).isEqualTo("invalid_topic");
    assertThat(results.get(2).position().offset()).isEqualTo(stored.position().offset() + 1);
    sub.nextMatching(f -> "message".equals(f.getString("type")) && f.getValue("data") instanceof JsonObject d
        && "all".equals(d.getString("title")));
  }

  @Test
  void historyIsPagedToTheEndInBothOrders() {
    String topic = "log.paged";
    List<Position> positions = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      positions.add(join(admin.publish(topic, i)).position());
    }
    List<String> newest = new ArrayList<>();
    String since = null;
    do {
      AdminPage<HistoryItem> page = join(admin.history(topic, HistoryOrder.NEWEST, since, 2));
      page.items().forEach(item -> newest.add(item.data().text()));
      assertThat(page.items()).allSatisfy(item -> assertThat(item.publishedAt()).isNotNull());
      since = page.next();
    } while (since != null);
    assertThat(newest).containsExactly("4", "3", "2", "1", "0");
    AdminPage<HistoryItem> oldest = join(admin.history(topic, HistoryOrder.OLDEST, null, 100));
    assertThat(oldest.items()).extracting(HistoryItem::position).containsExactlyElementsOf(positions);
    assertThat(oldest.hasNext()).isFalse();
  }

  @Test
  void disconnectEndsTheUsersSdkClientForGoodAndUnsubscribeTellsTheirSockets() {
    Clients clients = new Clients();
    open.add(clients);
    Clients.Recorded dora = clients.connect(b -> b.tokenSupplier(() -> CompletableFuture.completedFuture(
        tokens.token("dora", List.of("room.>"), List.of("room.>"), 600))),
        "ws://127.0.0.1:" + cluster.node(1).port() + "/ws");
    DisconnectResult disconnected = join(admin.disconnect("dora"));
    assertThat(disconnected).isEqualTo(new DisconnectResult("dora", 4501, 1, 2, 2));
    await().atMost(Duration.ofSeconds(20)).until(() -> dora.client.state() == ConnectionState.CLOSED);
    assertThat(dora.count(ConnectionState.RECONNECTED)).isZero();

    Probe eve = socket(1, "eve");
    subscribe(eve, "room.chat");
    UnsubscribeResult dropped = join(admin.unsubscribe("eve", "room.chat"));
    assertThat(dropped).isEqualTo(new UnsubscribeResult("eve", "room.chat", 1, 2, 2));
    assertThat(eve.nextMatching(f -> "unsubscribed".equals(f.getString("type"))).getString("reason"))
        .isEqualTo("server");
    assertThat(join(admin.disconnect("eve", 4200)).closed()).isEqualTo(1);
    assertThat(eve.awaitClose()).isEqualTo((short) 4200);
  }

  @Test
  void infoTopicsAndPresence() {
    Probe fay = socket(1, "fay");
    fay.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"room.lobby\",\"info\":{\"seat\":3}}")
        .nextMatching(f -> "subscribed".equals(f.getString("type")));
    await().atMost(Duration.ofSeconds(20)).until(() -> join(admin.presenceStats("room.lobby")).clients() == 1);
    PresencePage members = join(admin.presence("room.lobby", null, 10));
    assertThat(members.topic()).isEqualTo("room.lobby");
    assertThat(members.members()).hasSize(1);
    assertThat(members.next()).isNull();
    PresenceMember member = members.members().get(0);
    assertThat(member.user()).isEqualTo("fay");
    assertThat(member.infoJson()).isEqualTo("{\"seat\":3}");
    assertThat(member.info()).isEqualTo(Map.of("seat", 3));
    assertThat(member.node()).isEqualTo(cluster.node(1).nodeId());
    AdminPage<TopicInfo> topics = join(admin.topics("room.*", null, 1000));
    assertThat(topics.items()).contains(new TopicInfo("room.lobby", 1));
    await().atMost(Duration.ofSeconds(20)).until(() -> join(admin.info()).nodes().size() == 2);
    ClusterInfo info = join(admin.info());
    assertThat(info.nodes()).extracting(n -> n.id()).containsExactlyInAnyOrder(cluster.node(0).nodeId(),
        cluster.node(1).nodeId());
    assertThat(info.topics()).isPositive();
  }

  @Test
  void refusalsAreAdminExceptionsWithStatusAndCode() throws IOException {
    AdminException wrongKey = refusal(SwitchboardAdmin.create("http://127.0.0.1:" + cluster.node(1).port(),
        "not-the-key-0123456789abcdef0123456789").info());
    assertThat(wrongKey.status()).isEqualTo(403);
    assertThat(wrongKey.code()).isEqualTo("forbidden");
    AdminException noHistory = refusal(admin.history("room.lobby", HistoryOrder.NEWEST, null, 10));
    assertThat(noHistory.status()).isEqualTo(404);
    assertThat(noHistory.code()).isEqualTo("not_enabled");
    AdminException invalid = refusal(admin.publish("room.*", 1));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.code()).isEqualTo("invalid_topic");
    assertThat(refusal(admin.disconnect("x", 1000)).code()).isEqualTo("invalid_field");
    assertThat(refusal(admin.topics(null, null, 0)).code()).isEqualTo("invalid_field");
    // Data that is not JSON is refused before anything is sent; a node that is not there fails with the I/O error.
    assertThat(admin.publish("room.x", Double.NaN)).isCompletedExceptionally();
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    assertThatThrownBy(() -> SwitchboardAdmin.create("http://127.0.0.1:" + closed, ServerApiCalls.KEY).info().join())
        .hasCauseInstanceOf(IOException.class);
  }
}
