package dev.switchboard.broker;

import dev.switchboard.broker.security.SecurityOptions;
import dev.switchboard.broker.testing.Http;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.SseProbe;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.broker.testing.Tokens;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTP publish ({@code POST /api/topics/{topic}/messages}) against two real clustered nodes: the same {@code ack}
 * (with the position on a history topic) and {@code error} objects as over WebSocket, the data byte for byte, the
 * body bound, CORS.
 */
class HttpPublishTest {
  static final int MAX_FRAME = 1024;
  static final int MAX_TOPIC_LENGTH = 20;
  static final AtomicInteger names = new AtomicInteger();
  static TestCluster cluster;
  final List<Probe> probes = new ArrayList<>();

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(2, o -> o.history(HistoryRule.parseList("hist.>/1000/5m")).maxFrameBytes(MAX_FRAME)
        .security().maxTopicLength(MAX_TOPIC_LENGTH));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @AfterEach
  void closeProbes() {
    probes.forEach(Probe::close);
  }

  Probe subscriber(int node, String topic) {
    Probe probe = Probe.connect(cluster.clients(), cluster.node(node).port()).answerPings(true);
    probes.add(probe);
    probe.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"" + topic + "\"}").next("subscribed");
    return probe;
  }

  static String name(String root) {
    return root + ".t" + names.incrementAndGet();
  }

  static String path(String topic) {
    return "/api/topics/" + topic + "/messages";
  }

  static HttpResponse<String> post(int node, String topic, String body) {
    return Http.post(cluster.node(node).port(), path(topic), body);
  }

  static HttpRequest.Builder request(int node, String topic) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.node(node).port() + path(topic)));
  }

  @Test
  void aPublishIsAckedAndReachesWebSocketSubscribersOnAnotherNodeByteForByte() {
    String topic = name("plain");
    Probe sub = subscriber(0, topic);
    long published = cluster.node(1).stats().published();
    // The subscription reaches the other node asynchronously: publish until one arrives.
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      assertThat(post(1, topic, "\"ready\"").statusCode()).isEqualTo(200);
      return !sub.all("message").isEmpty();
    });
    HttpResponse<String> answer = post(1, topic, " \n{\"n\": 1.50, \"s\":\"é\"}\r\n ");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(answer.headers().firstValue("access-control-allow-origin")).hasValue("*");
    assertThat(answer.body()).isEqualTo("{\"type\":\"ack\"}");
    JsonObject message = sub.nextMatching(m -> m.getValue("data") instanceof JsonObject);
    assertThat(message.getJsonObject("data").getString("s")).isEqualTo("é");
    assertThat(sub.rawFrames()).contains("{\"type\":\"message\",\"topic\":\"" + topic
        + "\",\"data\":{\"n\": 1.50, \"s\":\"é\"},\"published_at\":" + message.getLong("published_at") + "}");
    assertThat(cluster.node(1).stats().published()).isGreaterThanOrEqualTo(published + 2);

    for (String scalar : List.of("null", "true", "-0.5e3", "\"\"", "[]")) {
      assertThat(post(1, topic, scalar).statusCode()).as(scalar).isEqualTo(200);
    }
  }

  @Test
  void aHistoryPublishIsAckedWithItsPositionWhichSubscribersSee() {
    String topic = name("hist");
    Probe sub = subscriber(0, topic);
    List<JsonObject> acks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> answer = post(i % 2, topic, String.valueOf(i));
      assertThat(answer.statusCode()).isEqualTo(200);
      acks.add(new JsonObject(answer.body()));
    }
    String epoch = acks.get(0).getJsonObject("position").getString("epoch");
    for (int i = 0; i < 3; i++) {
      assertThat(acks.get(i)).isEqualTo(new JsonObject().put("type", "ack")
          .put("position", new JsonObject().put("epoch", epoch).put("offset", i)));
      JsonObject message = sub.next("message");
      assertThat(message.getInteger("data")).isEqualTo(i);
      assertThat(message.getJsonObject("position")).isEqualTo(acks.get(i).getJsonObject("position"));
    }
    // The WebSocket ack of a history publish carries the same position.
    JsonObject wsAck = sub.send("{\"type\":\"publish\",\"id\":\"p\",\"topic\":\"" + topic + "\",\"data\":3}")
        .nextMatching(f -> "ack".equals(f.getString("type")));
    assertThat(wsAck).isEqualTo(new JsonObject().put("type", "ack").put("id", "p")
        .put("position", new JsonObject().put("epoch", epoch).put("offset", 3)));
  }

  @Test
  void badBodiesAndTopicsGetTheWebSocketErrorObject() {
    String topic = name("plain");
    long errors = cluster.node(0).stats().errors();
    assertError(post(0, topic, "{"), 400, "invalid_json");
    assertError(post(0, topic, "1 2"), 400, "invalid_json");
    assertError(post(0, topic, ""), 400, "invalid_json");
    assertError(post(0, topic, "  "), 400, "invalid_json");
    assertError(post(0, topic, "{\"a\":1,\"a\":2}"), 400, "invalid_json");
    assertError(post(0, topic, "[".repeat(101) + "]".repeat(101)), 400, "invalid_json");
    assertError(Http.send(request(0, topic).POST(HttpRequest.BodyPublishers.ofByteArray(
        new byte[] {'"', (byte) 0xC3, '"'}))), 400, "invalid_json");
    assertError(post(0, "a..b", "1"), 400, "invalid_topic");
    assertError(post(0, "news.%2A", "1"), 400, "invalid_topic");
    assertError(post(0, "news.%3E", "1"), 400, "invalid_topic");
    assertThat(cluster.node(0).stats().errors()).isEqualTo(errors + 10);
  }

  @Test
  void aBodyOverMaxFrameBytesIs413WhetherDeclaredOrStreamed() {
    String topic = name("plain");
    String atLimit = "\"" + "x".repeat(MAX_FRAME - 2) + "\"";
    assertThat(post(0, topic, atLimit).statusCode()).isEqualTo(200);
    String over = "\"" + "x".repeat(MAX_FRAME - 1) + "\"";
    assertError(post(0, topic, over), 413, "message_too_big");
    // Without a Content-Length (chunked), the node stops reading at the bound.
    assertError(Http.send(request(0, topic).POST(HttpRequest.BodyPublishers.ofInputStream(
        () -> new ByteArrayInputStream(("\"" + "y".repeat(64 * 1024) + "\"").getBytes())))), 413, "message_too_big");
    assertThat(post(0, topic, "1").statusCode()).isEqualTo(200);
  }

  @Test
  void theNodesSecurityLimitsHoldForHttpAsForWebSocket() {
    String tooLong = "a".repeat(MAX_TOPIC_LENGTH + 1);
    assertError(post(0, tooLong, "1"), 400, "invalid_topic");
    try (SseProbe sse = SseProbe.open(cluster.clients(), cluster.node(0).port(), "/sse?topic=" + tooLong)) {
      assertThat(sse.status()).isEqualTo(400);
      assertThat(sse.errorBody().getString("code")).isEqualTo("invalid_topic");
    }
  }

  @Test
  void onANodeThatRequiresAuthenticationSseAndHttpPublishTakeTokensAndKeepToTheirGrants() throws IOException {
    String secret = "a-test-secret-of-more-than-32-bytes-0123456789";
    Path secretFile = Files.createTempFile("switchboard-secret", ".txt");
    Files.writeString(secretFile, secret);
    try (TestCluster secured = TestCluster.of(1, o -> o.security().auth(SecurityOptions.AUTH_REQUIRED)
        .authSecretFile(secretFile.toString()))) {
      int port = secured.node(0).port();
      Tokens tokens = Tokens.hs256(secured.clients(), secret);
      String reader = tokens.token("reader", List.of(), List.of("news.>"), 300);
      String writer = tokens.token("writer", List.of("news.>"), List.of(), 300);

      // No token, or a forged one: 401, nothing published, no stream.
      assertError(Http.post(port, path("news.eu"), "{\"x\":1}"), 401, "unauthorized");
      assertError(Http.send(bearer(port, "news.eu", "not.a.token", "{\"x\":1}")), 401, "unauthorized");
      try (SseProbe sse = SseProbe.open(secured.clients(), port, "/sse?topic=news.eu")) {
        assertThat(sse.status()).isEqualTo(401);
        assertThat(sse.errorBody().getString("code")).isEqualTo("unauthorized");
      }
      // Grants hold as over WebSocket: the reader may not publish, the writer may not subscribe.
      assertError(Http.send(bearer(port, "news.eu", reader, "{\"x\":1}")), 403, "forbidden");
      try (SseProbe sse = SseProbe.open(secured.clients(), port, "/sse?topic=news.eu&access_token=" + writer)) {
        assertThat(sse.status()).isEqualTo(403);
        assertThat(sse.errorBody().getString("code")).isEqualTo("forbidden");
      }
      assertThat(secured.node(0).stats().published()).isZero();
      assertThat(secured.node(0).stats().sseStreams()).isZero();

      // With their tokens: the reader's stream (token in the query, as EventSource can send it) gets the writer's
      // publish (bearer header).
      try (SseProbe sse = SseProbe.open(secured.clients(), port, "/sse?topic=news.eu&access_token=" + reader)) {
        assertThat(sse.status()).isEqualTo(200);
        sse.next("subscribed");
        HttpResponse<String> ack = Http.send(bearer(port, "news.eu", writer, "{\"x\":1}"));
        assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
        assertThat(sse.next("message").json().getJsonObject("data").getInteger("x")).isEqualTo(1);
      }

      // A stream ends when its token expires: a close event with 4004 token_expired.
      String brief = tokens.token("reader", List.of(), List.of("news.>"), 2);
      try (SseProbe sse = SseProbe.open(secured.clients(), port, "/sse?topic=news.eu&access_token=" + brief)) {
        assertThat(sse.status()).isEqualTo(200);
        sse.next("subscribed");
        assertThat(sse.next("close").json().getInteger("code")).isEqualTo(4004);
      }
    } finally {
      Files.deleteIfExists(secretFile);
    }
  }

  @Test
  void theOriginAllowListHoldsForSseAndHttpPublishAsForWebSockets() {
    try (TestCluster guarded = TestCluster.of(1, o -> o.security()
        .allowedOrigins(List.of("https://app.example")))) {
      int port = guarded.node(0).port();
      String uri = "http://127.0.0.1:" + port + path("news.eu");
      HttpResponse<String> foreign = Http.send(HttpRequest.newBuilder(URI.create(uri))
          .header("origin", "https://evil.example").POST(HttpRequest.BodyPublishers.ofString("1")));
      assertError(foreign, 403, "forbidden");
      try (SseProbe sse = SseProbe.open(guarded.clients(), port, "/sse?topic=news.eu",
          java.util.Map.of("origin", "https://evil.example"))) {
        assertThat(sse.status()).isEqualTo(403);
        assertThat(sse.errorBody().getString("code")).isEqualTo("forbidden");
      }
      assertThat(guarded.node(0).stats().published()).isZero();

      // The page's own origin, and a client that is no browser (no Origin), are let in.
      HttpResponse<String> own = Http.send(HttpRequest.newBuilder(URI.create(uri))
          .header("origin", "https://app.example").POST(HttpRequest.BodyPublishers.ofString("1")));
      assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
      assertThat(Http.post(port, path("news.eu"), "2").statusCode()).isEqualTo(200);
      try (SseProbe sse = SseProbe.open(guarded.clients(), port, "/sse?topic=news.eu",
          java.util.Map.of("origin", "https://app.example"))) {
        assertThat(sse.status()).isEqualTo(200);
        sse.next("subscribed");
      }
    }
  }

  private static HttpRequest.Builder bearer(int port, String topic, String token, String body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path(topic)))
        .header("content-type", "application/json").header("authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  @Test
  void corsPreflightIsAnsweredAndOtherMethodsAre405() {
    String topic = name("plain");
    HttpResponse<String> preflight = Http.send(request(0, topic)
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://app.example").header("Access-Control-Request-Method", "POST"));
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("*");
    assertThat(preflight.headers().firstValue("access-control-allow-methods").orElse("")).contains("POST");
    assertThat(preflight.headers().firstValue("access-control-allow-headers").orElse("")).contains("Content-Type");
    HttpResponse<String> get = Http.get(cluster.node(0).port(), path(topic));
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("allow")).hasValue("POST, OPTIONS");
  }

  static void assertError(HttpResponse<String> answer, int status, String code) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(answer.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(answer.headers().firstValue("access-control-allow-origin")).hasValue("*");
    JsonObject error = new JsonObject(answer.body());
    assertThat(error.fieldNames()).containsExactlyInAnyOrder("type", "code", "message");
    assertThat(error.getString("type")).isEqualTo("error");
    assertThat(error.getString("code")).isEqualTo(code);
  }
}
