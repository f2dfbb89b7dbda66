package dev.switchboard.broker.http;

import dev.switchboard.broker.HistoryRule;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.ServerApiCalls;
import dev.switchboard.broker.testing.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.broker.testing.ServerApiCalls.error;
import static dev.switchboard.broker.testing.ServerApiCalls.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server API ({@code /api/v1/}) on two real clustered nodes: the key, publish and broadcast reaching WebSocket
 * subscribers on both nodes, history pages in both orders, and a documented 4xx with its code for every bad request.
 */
class ServerApiTest {
  static final int MAX_FRAME = 16 * 1024;
  static final AtomicInteger names = new AtomicInteger();
  static TestCluster cluster;
  final List<Probe> open = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(2, ServerApiCalls.on().andThen(o -> o.maxFrameBytes(MAX_FRAME)
        .history(HistoryRule.parseList("hist.>/1000/5m,small.>/5/5m"))));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @AfterEach
  void closeProbes() {
    open.forEach(Probe::close);
  }

  static String name(String root) {
    return root + ".t" + names.incrementAndGet();
  }

  static ServerApiCalls api(int node) {
    return ServerApiCalls.to(cluster.node(node).port());
  }

  Probe subscriber(int node, String topic) {
    Probe probe = Probe.connect(cluster.clients(), cluster.node(node).port()).answerPings(true);
    open.add(probe);
    probe.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"" + topic + "\"}").next("subscribed");
    return probe;
  }

  static String broadcast(List<String> topics, String data) {
    return new JsonObject().put("topics", new JsonArray(topics)).encode().replaceFirst("}$", ",\"data\":" + data + "}");
  }

  @Test
  void aRequestWithoutTheKeyIs401WithAnotherKey403AndWithEitherKeyOfTheFileItPasses() {
    int port = cluster.node(0).port();
    long refusals = cluster.node(0).stats().refusals("api_key");
    String body = "{\"topic\":\"" + name("plain") + "\",\"data\":1}";
    error(new ServerApiCalls(port, null).post("/publish", body), 401, "unauthorized");
    error(new ServerApiCalls(port, "x".repeat(40)).post("/publish", body), 403, "forbidden");
    error(new ServerApiCalls(port, ServerApiCalls.KEY + "x").get("/history?topic=hist.a"), 403, "forbidden");
    // Unknown paths are behind the key too: nothing about the API is told without one.
    error(new ServerApiCalls(port, null).get("/nothing"), 401, "unauthorized");
    assertThat(cluster.node(0).stats().refusals("api_key")).isEqualTo(refusals + 4);
    ok(new ServerApiCalls(port, ServerApiCalls.KEY).post("/publish", body));
    ok(new ServerApiCalls(port, ServerApiCalls.OTHER_KEY).post("/publish", body));
    // The document is served without a key.
    assertThat(ok(new ServerApiCalls(port, null).get("/openapi.json")).getString("openapi")).startsWith("3.0");
  }

  @Test
  void unknownPathsAre404AndOtherMethods405() {
    error(api(0).get("/nothing"), 404, "not_found");
    error(api(0).get(""), 404, "not_found");
    error(api(0).post("/history", "{}"), 405, "method_not_allowed");
    HttpResponse<String> get = api(0).get("/publish");
    error(get, 405, "method_not_allowed");
    assertThat(get.headers().firstValue("allow")).hasValue("POST");
    // The HTTP publish of before is untouched.
    assertThat(dev.switchboard.broker.testing.Http.post(cluster.node(0).port(), "/api/topics/plain.old/messages", "1")
        .body()).isEqualTo("{\"type\":\"ack\"}");
  }

  @Test
  void aPublishReachesWebSocketSubscribersOnBothNodesWithItsDataByteForByte() {
    String topic = name("plain");
    Probe near = subscriber(0, topic);
    Probe far = subscriber(1, topic);
    String data = "{\"n\": 1.50, \"s\":\"é\"}";
    // A subscription reaches the other node's view of the cluster a moment after it is answered.
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      JsonObject answer = ok(api(1).post("/publish", "{\"topic\":\"" + topic + "\",\"data\":" + data + "}"));
      assertThat(answer).isEqualTo(new JsonObject().put("topic", topic));
      return !near.all("message").isEmpty() && !far.all("message").isEmpty();
    });
    for (Probe probe : List.of(near, far)) {
      assertThat(probe.rawFrames()).anyMatch(f -> f.startsWith("{\"type\":\"message\",\"topic\":\"" + topic
          + "\",\"data\":" + data + ",\"published_at\":"));
    }
  }

  @Test
  void aHistoryPublishAnswersItsPositionWhichTheSubscriberSees() {
    String topic = name("hist");
    Probe sub = subscriber(1, topic);
    JsonObject first = ok(api(0).post("/publish", "{\"topic\":\"" + topic + "\",\"data\":\"a\"}"));
    JsonObject second = ok(api(1).post("/publish", "{\"data\":\"b\",\"topic\":\"" + topic + "\"}"));
    assertThat(first.getString("topic")).isEqualTo(topic);
    assertThat(first.getJsonObject("position").getLong("offset")).isZero();
    assertThat(second.getJsonObject("position").getLong("offset")).isEqualTo(1);
    assertThat(second.getJsonObject("position").getString("epoch"))
        .isEqualTo(first.getJsonObject("position").getString("epoch"));
    assertThat(sub.next("message").getJsonObject("position")).isEqualTo(first.getJsonObject("position"));
    assertThat(sub.next("message").getJsonObject("position")).isEqualTo(second.getJsonObject("position"));
  }

  @Test
  void aBroadcastReachesTheSubscribersOfEveryTopicAndAnswersEachTopicInOrder() {
    String a = name("plain");
    String b = name("plain");
    String h = name("hist");
    Probe onA = subscriber(0, a);
    Probe onB = subscriber(1, b);
    Probe onH = subscriber(1, h);
    Probe onPattern = subscriber(0, "plain.>");
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      ok(api(1).post("/broadcast", broadcast(List.of(a, b), "\"warm\"")));
      return !onA.all("message").isEmpty() && !onB.all("message").isEmpty();
    });
    JsonArray results = ok(api(1).post("/broadcast", broadcast(List.of(a, "a..b", b, h, "news.*"),
        "{\"n\":7}"))).getJsonArray("results");
    assertThat(results).hasSize(5);
    assertThat(results.getJsonObject(0)).isEqualTo(new JsonObject().put("topic", a));
    assertThat(results.getJsonObject(1).getString("topic")).isEqualTo("a..b");
    assertThat(results.getJsonObject(1).getJsonObject("error").getString("code")).isEqualTo("invalid_topic");
    assertThat(results.getJsonObject(1).getJsonObject("error").getString("message")).isNotBlank();
    assertThat(results.getJsonObject(2)).isEqualTo(new JsonObject().put("topic", b));
    assertThat(results.getJsonObject(3).getJsonObject("position").getLong("offset")).isZero();
    assertThat(results.getJsonObject(4).getJsonObject("error").getString("code")).isEqualTo("invalid_topic");
    for (Probe probe : List.of(onA, onB, onH)) {
      JsonObject message = probe.nextMatching(f -> "message".equals(f.getString("type"))
          && f.getValue("data") instanceof JsonObject);
      assertThat(message.getJsonObject("data").getInteger("n")).isEqualTo(7);
    }
    assertThat(onH.all("message").get(0).getJsonObject("position"))
        .isEqualTo(results.getJsonObject(3).getJsonObject("position"));
    // A pattern subscriber gets both plain topics, each once.
    await().atMost(Duration.ofSeconds(20)).until(() -> onPattern.all("message").stream()
        .filter(f -> f.getValue("data") instanceof JsonObject).map(f -> f.getString("topic")).toList()
        .containsAll(List.of(a, b)));
  }

  @Test
  void historyPagesNewestFirstAndOldestFirst() {
    String topic = name("hist");
    for (int i = 0; i < 7; i++) {
      ok(api(i % 2).post("/publish", "{\"topic\":\"" + topic + "\",\"data\":{\"i\":" + i + "}}"));
    }
    List<Integer> newest = new ArrayList<>();
    String since = null;
    List<String> cursors = new ArrayList<>();
    do {
      JsonObject page = ok(api(1).get("/history?topic=" + topic + "&limit=3" + (since == null ? "" : "&since="
          + since)));
      assertThat(page.getString("topic")).isEqualTo(topic);
      for (Object m : page.getJsonArray("messages")) {
        JsonObject message = (JsonObject) m;
        assertThat(message.fieldNames()).containsExactly("position", "data", "published_at");
        assertThat(message.getJsonObject("position").getString("epoch")).isEqualTo(page.getString("epoch"));
        assertThat(message.getJsonObject("position").getInteger("offset"))
            .isEqualTo(message.getJsonObject("data").getInteger("i"));
        newest.add(message.getJsonObject("data").getInteger("i"));
      }
      since = page.getString("next");
      cursors.add(since);
    } while (since != null);
    assertThat(newest).containsExactly(6, 5, 4, 3, 2, 1, 0);
    assertThat(cursors).containsExactly("4", "1", null);

    List<Integer> oldest = new ArrayList<>();
    since = null;
    do {
      JsonObject page = ok(api(0).get("/history?order=oldest&limit=3&topic=" + topic + (since == null ? ""
          : "&since=" + since)));
      page.getJsonArray("messages").forEach(m -> oldest.add(((JsonObject) m).getJsonObject("data").getInteger("i")));
      since = page.getString("next");
    } while (since != null);
    assertThat(oldest).containsExactly(0, 1, 2, 3, 4, 5, 6);
    // A cursor past either end, and a topic with nothing stored yet: an empty last page.
    assertThat(ok(api(0).get("/history?order=oldest&since=6&topic=" + topic)).getJsonArray("messages")).isEmpty();
    assertThat(ok(api(0).get("/history?since=0&topic=" + topic)).getJsonArray("messages")).isEmpty();
    assertThat(ok(api(0).get("/history?order=oldest&since=" + Long.MAX_VALUE + "&topic=" + topic))
        .getJsonArray("messages")).isEmpty();
    JsonObject empty = ok(api(0).get("/history?topic=" + name("hist")));
    assertThat(empty.getJsonArray("messages")).isEmpty();
    assertThat(empty.getValue("next")).isNull();
  }

  @Test
  void aHistoryPageHoldsWhatTheStoreKeepsAndNoMore() {
    String topic = name("small");
    for (int i = 0; i < 8; i++) {
      ok(api(0).post("/publish", "{\"topic\":\"" + topic + "\",\"data\":" + i + "}"));
    }
    JsonObject newest = ok(api(1).get("/history?limit=1000&topic=" + topic));
    assertThat(newest.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getInteger("data")).toList())
        .containsExactly(7, 6, 5, 4, 3);
    assertThat(newest.getValue("next")).isNull();
    JsonObject oldest = ok(api(1).get("/history?order=oldest&limit=2&topic=" + topic));
    assertThat(oldest.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getInteger("data")).toList())
        .containsExactly(3, 4);
    assertThat(oldest.getString("next")).isEqualTo("4");
  }

  @Test
  void badRequestsAreDocumented4xxWithTheirCode() {
    ServerApiCalls api = api(0);
    String topic = name("plain");
    long errors = cluster.node(0).stats().errors();
    error(api.post("/publish", ""), 400, "invalid_json");
    error(api.post("/publish", "{"), 400, "invalid_json");
    error(api.post("/publish", "[1]"), 400, "invalid_json");
    error(api.post("/publish", "{\"topic\":\"a\",\"data\":1} 2"), 400, "invalid_json");
    error(api.post("/publish", "{\"topic\":\"a\",\"topic\":\"b\",\"data\":1}"), 400, "invalid_json");
    error(api.post("/publish", "{\"topic\":\"a\",\"data\":" + "[".repeat(101) + "]".repeat(101) + "}"), 400,
        "invalid_json");
    error(api.post("/publish", "{\"topic\":\"" + topic + "\"}"), 400, "invalid_field");
    error(api.post("/publish", "{\"data\":1}"), 400, "invalid_field");
    error(api.post("/publish", "{\"topic\":7,\"data\":1}"), 400, "invalid_field");
    error(api.post("/publish", "{\"topic\":\"" + topic + "\",\"data\":1,\"id\":\"x\"}"), 400, "invalid_field");
    error(api.post("/publish", "{\"topic\":\"news.*\",\"data\":1}"), 400, "invalid_topic");
    error(api.post("/publish", "{\"topic\":\"switchboard.events\",\"data\":1}"), 403, "forbidden");
    error(api.post("/publish", "{\"topic\":\"" + "a".repeat(256) + "\",\"data\":1}"), 400, "invalid_topic");
    error(api.post("/publish", "{\"topic\":\"a\",\"data\":\"" + "x".repeat(MAX_FRAME) + "\"}"), 413,
        "message_too_big");
    error(api.post("/broadcast", broadcast(List.of(), "1")), 400, "invalid_field");
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      many.add("t");
    }
    error(api.post("/broadcast", broadcast(many, "1")), 400, "invalid_field");
    error(api.post("/broadcast", "{\"topics\":[\"a\",1],\"data\":1}"), 400, "invalid_field");
    error(api.post("/broadcast", "{\"topics\":\"a\",\"data\":1}"), 400, "invalid_field");
    error(api.get("/history"), 400, "invalid_field");
    error(api.get("/history?topic=a..b"), 400, "invalid_topic");
    error(api.get("/history?topic=hist.*"), 400, "invalid_topic");
    error(api.get("/history?topic=" + topic), 404, "not_enabled");
    error(api.get("/history?topic=hist.a&limit=0"), 400, "invalid_field");
    error(api.get("/history?topic=hist.a&limit=1001"), 400, "invalid_field");
    error(api.get("/history?topic=hist.a&limit=x"), 400, "invalid_field");
    error(api.get("/history?topic=hist.a&since=-1"), 400, "invalid_field");
    error(api.get("/history?topic=hist.a&order=sideways"), 400, "invalid_field");
    error(api.get("/history?topic=hist.a&topic=hist.b"), 400, "invalid_field");
    error(api.post("/disconnect", "{}"), 400, "invalid_field");
    error(api.post("/disconnect", "{\"user\":\"\"}"), 400, "invalid_field");
    error(api.post("/disconnect", "{\"user\":\"u\",\"code\":3999}"), 400, "invalid_field");
    error(api.post("/disconnect", "{\"user\":\"u\",\"code\":5000}"), 400, "invalid_field");
    error(api.post("/disconnect", "{\"user\":\"u\",\"code\":4501.5}"), 400, "invalid_field");
    error(api.post("/disconnect", "{\"user\":\"u\",\"code\":\"4501\"}"), 400, "invalid_field");
    error(api.post("/unsubscribe", "{\"user\":\"u\"}"), 400, "invalid_field");
    error(api.post("/unsubscribe", "{\"user\":\"u\",\"topic\":\"a.>.b\"}"), 400, "invalid_topic");
    assertThat(cluster.node(0).stats().errors()).isEqualTo(errors + 36);
    // The connection still serves after every refusal, the too big body's included.
    ok(api.post("/publish", "{\"topic\":\"" + topic + "\",\"data\":null}"));
  }

  @Test
  void withoutAKeyFileTheServerApiIsOffAndSaysSo() {
    try (TestCluster off = TestCluster.of(1)) {
      int port = off.node(0).port();
      for (HttpResponse<String> answer : List.of(new ServerApiCalls(port, ServerApiCalls.KEY).get("/info"),
          new ServerApiCalls(port, null).post("/publish", "{\"topic\":\"a\",\"data\":1}"),
          new ServerApiCalls(port, null).get("/openapi.json"))) {
        assertThat(error(answer, 404, "not_found").getString("message")).contains("off", "--api-key-file");
      }
      assertThat(off.node(0).stats().published()).isZero();
    }
  }

  @Test
  void keysChangedInTheFileWorkWithoutARestartAndARemovedKeyStops() throws IOException {
    String before = "before-0123456789abcdef0123456789abcdef";
    String after = "after-0123456789abcdef0123456789abcdef";
    Path file = Files.createTempFile("switchboard-api-keys", ".txt");
    Files.writeString(file, before + "\n");
    try (TestCluster node = TestCluster.of(1, o -> o.security().apiKeyFile(file.toString()))) {
      int port = node.node(0).port();
      ok(new ServerApiCalls(port, before).get("/info"));
      Files.writeString(file, "# rotated\n" + after + "\n");
      await().atMost(Duration.ofSeconds(15))
          .until(() -> new ServerApiCalls(port, after).get("/info").statusCode() == 200);
      error(new ServerApiCalls(port, before).get("/info"), 403, "forbidden");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void aNodeWithoutItsQuorumPublishesNothing() {
    try (TestCluster alone = TestCluster.of(1, ServerApiCalls.on().andThen(o -> o.minMembers(2)))) {
      ServerApiCalls api = ServerApiCalls.to(alone.node(0).port());
      error(api.post("/publish", "{\"topic\":\"a\",\"data\":1}"), 503, "unavailable");
      error(api.post("/broadcast", "{\"topics\":[\"a\"],\"data\":1}"), 503, "unavailable");
      assertThat(alone.node(0).stats().published()).isZero();
    }
  }
}
