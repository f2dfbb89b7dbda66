package dev.switchboard.broker;

import dev.switchboard.broker.security.SecurityOptions;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.SseProbe;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.broker.testing.TestContexts;
import dev.switchboard.broker.testing.Tokens;
import dev.switchboard.broker.testing.VertxHttp;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP publish ({@code POST /api/topics/{topic}/messages}) against two real clustered nodes: the same {@code ack}
 * (with the position on a history topic) and {@code error} objects as over WebSocket, the data byte for byte, the
 * body bound, CORS. Requests go through Vert.x's HTTP client; each test ends when its {@link VertxTestContext} does.
 */
@ExtendWith(VertxExtension.class)
class HttpPublishTest {
  static final int MAX_FRAME = 1024;
  static final int MAX_TOPIC_LENGTH = 20;
  static final AtomicInteger names = new AtomicInteger();
  static TestCluster cluster;
  final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
  VertxHttp http;

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(2, o -> o.history(HistoryRule.parseList("hist.>/1000/5m")).maxFrameBytes(MAX_FRAME)
        .security().maxTopicLength(MAX_TOPIC_LENGTH));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @BeforeEach
  void client(Vertx vertx) {
    http = new VertxHttp(vertx);
  }

  @AfterEach
  void closeClients() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  Probe subscriber(int node, String topic) {
    Probe probe = Probe.connect(cluster.clients(), cluster.node(node).port()).answerPings(true);
    open.add(probe);
    probe.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"" + topic + "\"}").next("subscribed");
    return probe;
  }

  /** A stream opened with {@code clients} on 127.0.0.1:{@code port}; closed after the test. */
  Future<SseProbe> stream(Vertx clients, int port, String uri, Map<String, String> headers) {
    return SseProbe.openAsync(clients, port, uri, headers).onSuccess(open::add);
  }

  /** A stream that must be refused with {@code status} and the error {@code code}. */
  Future<Void> refusedStream(Vertx clients, int port, String uri, Map<String, String> headers, int status,
                             String code) {
    return stream(clients, port, uri, headers).compose(sse -> {
      assertThat(sse.status()).isEqualTo(status);
      return sse.errorBodyAsync();
    }).map(error -> {
      assertThat(error.getString("code")).isEqualTo(code);
      return null;
    });
  }

  static String name(String root) {
    return root + ".t" + names.incrementAndGet();
  }

  static String path(String topic) {
    return "/api/topics/" + topic + "/messages";
  }

  Future<VertxHttp.Answer> post(int node, String topic, String body) {
    return http.post(cluster.node(node).port(), path(topic), body);
  }

  /** An answer that must be 200. */
  static VertxHttp.Answer ok(VertxHttp.Answer answer) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer;
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aPublishIsAckedAndReachesWebSocketSubscribersOnAnotherNodeByteForByte(Vertx vertx, VertxTestContext ctx) {
    String topic = name("plain");
    Probe sub = subscriber(0, topic);
    long published = cluster.node(1).stats().published();
    Promise<Void> heard = Promise.promise();
    Promise<JsonObject> object = Promise.promise();
    sub.onFrame(f -> {
      if ("message".equals(f.getString("type"))) {
        heard.tryComplete();
        if (f.getValue("data") instanceof JsonObject) {
          object.tryComplete(f);
        }
      }
    });
    // The subscription reaches the other node asynchronously: publish until one arrives.
    long ready = vertx.setPeriodic(1, 100, id -> post(1, topic, "\"ready\"")
        .onComplete(ctx.succeeding(a -> ctx.verify(() -> assertThat(a.status()).isEqualTo(200)))));
    heard.future().compose(v -> {
      vertx.cancelTimer(ready);
      return post(1, topic, " \n{\"n\": 1.50, \"s\":\"é\"}\r\n ");
    }).compose(answer -> {
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.header("content-type")).isEqualTo("application/json");
      assertThat(answer.header("access-control-allow-origin")).isEqualTo("*");
      assertThat(answer.body()).isEqualTo("{\"type\":\"ack\"}");
      return object.future();
    }).compose(message -> {
      assertThat(message.getJsonObject("data").getString("s")).isEqualTo("é");
      assertThat(sub.rawFrames()).contains("{\"type\":\"message\",\"topic\":\"" + topic
          + "\",\"data\":{\"n\": 1.50, \"s\":\"é\"},\"published_at\":" + message.getLong("published_at") + "}");
      assertThat(cluster.node(1).stats().published()).isGreaterThanOrEqualTo(published + 2);
      List<Future<VertxHttp.Answer>> scalars = new ArrayList<>();
      for (String scalar : List.of("null", "true", "-0.5e3", "\"\"", "[]")) {
        scalars.add(post(1, topic, scalar).map(a -> {
          assertThat(a.status()).as(scalar).isEqualTo(200);
          return a;
        }));
      }
      return Future.all(scalars);
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aHistoryPublishIsAckedWithItsPositionWhichSubscribersSee(VertxTestContext ctx) {
    String topic = name("hist");
    Probe sub = subscriber(0, topic);
    List<Future<JsonObject>> messages = List.of(sub.nextAsync("message"), sub.nextAsync("message"),
        sub.nextAsync("message"));
    // One after the other, alternating nodes: the topic's offsets follow the order of the publishes.
    Future<List<JsonObject>> acks = Future.succeededFuture(new ArrayList<>());
    for (int i = 0; i < 3; i++) {
      int n = i;
      acks = acks.compose(list -> post(n % 2, topic, String.valueOf(n)).map(answer -> {
        list.add(ok(answer).json());
        return list;
      }));
    }
    Promise<JsonObject> wsAck = Promise.promise();
    sub.onFrame(f -> {
      if ("ack".equals(f.getString("type"))) {
        wsAck.tryComplete(f);
      }
    });
    acks.compose(list -> Future.all(messages).map(all -> {
      String epoch = list.get(0).getJsonObject("position").getString("epoch");
      for (int i = 0; i < 3; i++) {
        assertThat(list.get(i)).isEqualTo(new JsonObject().put("type", "ack")
            .put("position", new JsonObject().put("epoch", epoch).put("offset", i)));
        JsonObject message = messages.get(i).result();
        assertThat(message.getInteger("data")).isEqualTo(i);
        assertThat(message.getJsonObject("position")).isEqualTo(list.get(i).getJsonObject("position"));
      }
      return epoch;
    })).compose(epoch -> sub.ws.writeTextMessage(
        "{\"type\":\"publish\",\"id\":\"p\",\"topic\":\"" + topic + "\",\"data\":3}").compose(v -> wsAck.future())
        .map(ack -> {
          // The WebSocket ack of a history publish carries the same position.
          assertThat(ack).isEqualTo(new JsonObject().put("type", "ack").put("id", "p")
              .put("position", new JsonObject().put("epoch", epoch).put("offset", 3)));
          return ack;
        })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void badBodiesAndTopicsGetTheWebSocketErrorObject(VertxTestContext ctx) {
    String topic = name("plain");
    long errors = cluster.node(0).stats().errors();
    int port = cluster.node(0).port();
    Future.all(List.of(
        post(0, topic, "{").map(a -> assertError(a, 400, "invalid_json")),
        post(0, topic, "1 2").map(a -> assertError(a, 400, "invalid_json")),
        post(0, topic, "").map(a -> assertError(a, 400, "invalid_json")),
        post(0, topic, "  ").map(a -> assertError(a, 400, "invalid_json")),
        post(0, topic, "{\"a\":1,\"a\":2}").map(a -> assertError(a, 400, "invalid_json")),
        post(0, topic, "[".repeat(101) + "]".repeat(101)).map(a -> assertError(a, 400, "invalid_json")),
        http.post(port, path(topic), Buffer.buffer(new byte[] {'"', (byte) 0xC3, '"'}))
            .map(a -> assertError(a, 400, "invalid_json")),
        post(0, "a..b", "1").map(a -> assertError(a, 400, "invalid_topic")),
        post(0, "news.%2A", "1").map(a -> assertError(a, 400, "invalid_topic")),
        post(0, "news.%3E", "1").map(a -> assertError(a, 400, "invalid_topic"))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(cluster.node(0).stats().errors()).isEqualTo(errors + 10);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aBodyOverMaxFrameBytesIs413WhetherDeclaredOrStreamed(VertxTestContext ctx) {
    String topic = name("plain");
    String atLimit = "\"" + "x".repeat(MAX_FRAME - 2) + "\"";
    String over = "\"" + "x".repeat(MAX_FRAME - 1) + "\"";
    post(0, topic, atLimit).map(HttpPublishTest::ok)
        .compose(v -> post(0, topic, over)).map(a -> assertError(a, 413, "message_too_big"))
        // Without a Content-Length (chunked), the node stops reading at the bound.
        .compose(v -> http.postChunked(cluster.node(0).port(), path(topic),
            Buffer.buffer("\"" + "y".repeat(64 * 1024) + "\"")))
        .map(a -> assertError(a, 413, "message_too_big"))
        .compose(v -> post(0, topic, "1")).map(HttpPublishTest::ok)
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void theNodesSecurityLimitsHoldForHttpAsForWebSocket(VertxTestContext ctx) {
    String tooLong = "a".repeat(MAX_TOPIC_LENGTH + 1);
    Future.all(post(0, tooLong, "1").map(a -> assertError(a, 400, "invalid_topic")),
            refusedStream(cluster.clients(), cluster.node(0).port(), "/sse?topic=" + tooLong, Map.of(), 400,
                "invalid_topic"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void onANodeThatRequiresAuthenticationSseAndHttpPublishTakeTokensAndKeepToTheirGrants(VertxTestContext ctx)
      throws Throwable {
    String secret = "a-test-secret-of-more-than-32-bytes-0123456789";
    Path secretFile = Files.createTempFile("switchboard-secret", ".txt");
    Files.writeString(secretFile, secret);
    try (TestCluster secured = TestCluster.of(1, o -> o.security().auth(SecurityOptions.AUTH_REQUIRED)
        .authSecretFile(secretFile.toString()))) {
      int port = secured.node(0).port();
      Vertx clients = secured.clients();
      Tokens tokens = Tokens.hs256(clients, secret);
      String reader = tokens.token("reader", List.of(), List.of("news.>"), 300);
      String writer = tokens.token("writer", List.of("news.>"), List.of(), 300);

      Future.all(List.of(
          // No token, or a forged one: 401, nothing published, no stream.
          http.post(port, path("news.eu"), "{\"x\":1}").map(a -> assertError(a, 401, "unauthorized")),
          bearer(port, "news.eu", "not.a.token", "{\"x\":1}").map(a -> assertError(a, 401, "unauthorized")),
          refusedStream(clients, port, "/sse?topic=news.eu", Map.of(), 401, "unauthorized"),
          // Grants hold as over WebSocket: the reader may not publish, the writer may not subscribe.
          bearer(port, "news.eu", reader, "{\"x\":1}").map(a -> assertError(a, 403, "forbidden")),
          refusedStream(clients, port, "/sse?topic=news.eu&access_token=" + writer, Map.of(), 403, "forbidden")))
          .compose(refused -> {
            assertThat(secured.node(0).stats().published()).isZero();
            assertThat(secured.node(0).stats().sseStreams()).isZero();
            // With their tokens: the reader's stream (token in the query, as EventSource can send it) gets the
            // writer's publish (bearer header).
            return stream(clients, port, "/sse?topic=news.eu&access_token=" + reader, Map.of());
          }).compose(sse -> {
            assertThat(sse.status()).isEqualTo(200);
            return sse.nextAsync("subscribed")
                .compose(subscribed -> bearer(port, "news.eu", writer, "{\"x\":1}"))
                .compose(ack -> {
                  ok(ack);
                  return sse.nextAsync("message");
                })
                .map(message -> {
                  assertThat(message.json().getJsonObject("data").getInteger("x")).isEqualTo(1);
                  sse.close();
                  return message;
                });
          }).compose(v -> {
            // A stream ends when its token expires: a close event with 4004 token_expired.
            String brief = tokens.token("reader", List.of(), List.of("news.>"), 2);
            return stream(clients, port, "/sse?topic=news.eu&access_token=" + brief, Map.of());
          }).compose(sse -> {
            assertThat(sse.status()).isEqualTo(200);
            return sse.nextAsync("subscribed").compose(subscribed -> sse.nextAsync("close"));
          }).onComplete(ctx.succeeding(close -> ctx.verify(() -> {
            assertThat(close.json().getInteger("code")).isEqualTo(4004);
            ctx.completeNow();
          })));
      TestContexts.awaitCompletion(ctx); // before the node stops
    } finally {
      Files.deleteIfExists(secretFile);
    }
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void theOriginAllowListHoldsForSseAndHttpPublishAsForWebSockets(VertxTestContext ctx) throws Throwable {
    try (TestCluster guarded = TestCluster.of(1, o -> o.security()
        .allowedOrigins(List.of("https://app.example")))) {
      int port = guarded.node(0).port();
      Vertx clients = guarded.clients();
      Future.all(
          http.send(VertxHttp.request(HttpMethod.POST, port, path("news.eu"))
                  .putHeader("origin", "https://evil.example"), Buffer.buffer("1"))
              .map(a -> assertError(a, 403, "forbidden")),
          refusedStream(clients, port, "/sse?topic=news.eu", Map.of("origin", "https://evil.example"), 403,
              "forbidden"))
          .compose(refused -> {
            assertThat(guarded.node(0).stats().published()).isZero();
            // The page's own origin, and a client that is no browser (no Origin), are let in.
            return http.send(VertxHttp.request(HttpMethod.POST, port, path("news.eu"))
                .putHeader("origin", "https://app.example"), Buffer.buffer("1"));
          })
          .map(HttpPublishTest::ok)
          .compose(own -> http.post(port, path("news.eu"), "2"))
          .map(HttpPublishTest::ok)
          .compose(plain -> stream(clients, port, "/sse?topic=news.eu", Map.of("origin", "https://app.example")))
          .compose(sse -> {
            assertThat(sse.status()).isEqualTo(200);
            return sse.nextAsync("subscribed").onComplete(e -> sse.close());
          })
          .onComplete(ctx.succeedingThenComplete());
      TestContexts.awaitCompletion(ctx); // before the node stops
    }
  }

  private Future<VertxHttp.Answer> bearer(int port, String topic, String token, String body) {
    return http.send(VertxHttp.request(HttpMethod.POST, port, path(topic))
        .putHeader("content-type", "application/json").putHeader("authorization", "Bearer " + token),
        Buffer.buffer(body));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void corsPreflightIsAnsweredAndOtherMethodsAre405(VertxTestContext ctx) {
    String topic = name("plain");
    int port = cluster.node(0).port();
    Future<VertxHttp.Answer> preflight = http.send(VertxHttp.request(HttpMethod.OPTIONS, port, path(topic))
        .putHeader("Origin", "https://app.example").putHeader("Access-Control-Request-Method", "POST"), null);
    Future<VertxHttp.Answer> get = http.get(port, path(topic));
    Future.all(preflight, get).onComplete(ctx.succeeding(both -> ctx.verify(() -> {
      assertThat(preflight.result().status()).isEqualTo(204);
      assertThat(preflight.result().header("access-control-allow-origin")).isEqualTo("*");
      assertThat(preflight.result().header("access-control-allow-methods")).contains("POST");
      assertThat(preflight.result().header("access-control-allow-headers")).contains("Content-Type");
      assertThat(get.result().status()).isEqualTo(405);
      assertThat(get.result().header("allow")).isEqualTo("POST, OPTIONS");
      ctx.completeNow();
    })));
  }

  static VertxHttp.Answer assertError(VertxHttp.Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.header("content-type")).isEqualTo("application/json");
    assertThat(answer.header("access-control-allow-origin")).isEqualTo("*");
    JsonObject error = answer.json();
    assertThat(error.fieldNames()).containsExactlyInAnyOrder("type", "code", "message");
    assertThat(error.getString("type")).isEqualTo("error");
    assertThat(error.getString("code")).isEqualTo(code);
    return answer;
  }
}
