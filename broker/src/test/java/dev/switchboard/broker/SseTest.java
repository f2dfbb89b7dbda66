package dev.switchboard.broker;

import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.SseProbe;
import dev.switchboard.broker.testing.TestContexts;
import dev.switchboard.broker.testing.VertxHttp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Server-sent events ({@code GET /sse}) against real clustered nodes over loopback: what WebSocket and HTTP
 * publishers publish on another node arrives as events holding the WebSocket {@code message} object; keep-alive
 * comments; refused requests; a slow reader shed with memory bounded; the drain. History over SSE is
 * {@link SseHistoryTest}'s. Events are counted with checkpoints as they arrive, HTTP requests go through Vert.x's
 * client, and each test ends when its {@link VertxTestContext} does.
 */
class SseTest extends SseClusterTest {
  static final int MAX_MESSAGES = 40_000;

  Probe ws(int node) {
    Probe probe = Probe.connect(cluster.clients(), cluster.node(node).port()).answerPings(true);
    open.add(probe);
    return probe;
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void streamsWhatWebSocketAndHttpPublishersPublishOnAnotherNode(Vertx vertx, VertxTestContext ctx) throws Throwable {
    String root = "p" + names.incrementAndGet();
    String topic = root + ".news";
    String pattern = root + ".*";
    SseProbe sse = sse(0, "/sse?topic=" + topic + "&topic=" + encode(pattern));
    assertThat(sse.status()).isEqualTo(200);
    assertThat(sse.header("content-type")).isEqualTo("text/event-stream; charset=utf-8");
    assertThat(sse.header("cache-control")).isEqualTo("no-cache");
    assertThat(sse.header("x-accel-buffering")).isEqualTo("no");
    assertThat(sse.header("access-control-allow-origin")).isEqualTo("*");
    SseProbe.Event subscribed = sse.next("subscribed");
    assertThat(subscribed.json()).isEqualTo(new JsonObject().put("type", "subscribed").put("topic", topic));
    assertThat(subscribed.id()).isNull();
    assertThat(sse.next("subscribed").json().getString("topic")).isEqualTo(pattern);
    assertThat(cluster.node(0).stats().sseStreams()).isEqualTo(1);

    Checkpoint bothHeard = ctx.checkpoint(2); // one message through the topic, one through the pattern
    Checkpoint httpAcked = ctx.checkpoint();
    Checkpoint fromPublishers = ctx.checkpoint(4); // ws and http, each through the topic and the pattern
    AtomicBoolean viaTopic = new AtomicBoolean();
    AtomicBoolean viaPattern = new AtomicBoolean();
    sse.onEvent(e -> {
      if (e.data().contains("\"from\":")) {
        fromPublishers.flag();
      } else if (e.name().equals("message")
          && (e.json().containsKey("pattern") ? viaPattern : viaTopic).compareAndSet(false, true)) {
        bothHeard.flag();
      }
    });
    // The subscriptions reach the other node asynchronously: publish until both deliveries arrive.
    long ready = vertx.setPeriodic(1, 100, id -> post(1, topic, "\"ready\"").onFailure(ctx::failNow));
    TestContexts.await(ctx, bothHeard);
    vertx.cancelTimer(ready);
    ws(1).send("{\"type\":\"publish\",\"id\":\"p\",\"topic\":\"" + topic + "\",\"data\":{\"from\":\"ws\"}}")
        .next("ack");
    post(1, topic, " {\"from\":\"http\", \"n\": 2.50}\n").onComplete(httpAcked);

    TestContexts.await(ctx, httpAcked, fromPublishers);
    List<String> stamped = sse.events().stream()
        .filter(e -> e.name().equals("message") && !e.data().contains("ready")).map(SseProbe.Event::data).toList();
    assertThat(stamped).allMatch(d -> d.matches(".*,\"published_at\":\\d{13}}")); // PublishedAtTest checks its value
    List<String> data = stamped.stream().map(d -> d.replaceFirst(",\"published_at\":\\d+}$", "}")).toList();
    assertThat(data).containsExactlyInAnyOrder(
        "{\"type\":\"message\",\"topic\":\"" + topic + "\",\"data\":{\"from\":\"ws\"}}",
        "{\"type\":\"message\",\"topic\":\"" + topic + "\",\"pattern\":\"" + pattern + "\",\"data\":{\"from\":\"ws\"}}",
        // The publisher's JSON byte for byte, inside the same object a WebSocket subscriber gets.
        "{\"type\":\"message\",\"topic\":\"" + topic + "\",\"data\":{\"from\":\"http\", \"n\": 2.50}}",
        "{\"type\":\"message\",\"topic\":\"" + topic + "\",\"pattern\":\"" + pattern
            + "\",\"data\":{\"from\":\"http\", \"n\": 2.50}}");
    assertThat(sse.events()).allMatch(e -> e.id() == null);

    sse.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(0).stats().sseStreams() == 0);
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void publishersLineBreaksBecomeDataLinesThatJoinIntoTheSameJson(Vertx vertx, VertxTestContext ctx) {
    String topic = name("plain");
    SseProbe sse = sse(0, "/sse?topic=" + topic);
    sse.next("subscribed");
    AtomicBoolean first = new AtomicBoolean(true);
    long publishing = vertx.setPeriodic(1, 100, id -> post(0, topic, "{\r\n  \"a\": 1,\n  \"b\": [2,\r3]\n}")
        .onFailure(ctx::failNow));
    sse.onEvent(e -> {
      if (e.name().equals("message") && first.compareAndSet(true, false)) {
        vertx.cancelTimer(publishing);
        ctx.verify(() -> {
          assertThat(e.json().getJsonObject("data")).isEqualTo(new JsonObject("{\"a\":1,\"b\":[2,3]}"));
          assertThat(sse.events().get(1).data()).contains("\n  \"a\": 1,\n").doesNotContain("\r");
          ctx.completeNow();
        });
      }
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void keepAliveCommentsComeEveryHeartbeatInterval(VertxTestContext ctx) {
    SseProbe sse = sse(0, "/sse?topic=" + name("plain"));
    sse.next("subscribed");
    assertThat(sse.comments().get(0)).startsWith("switchboard node " + cluster.node(0).nodeId());
    long started = System.nanoTime();
    Checkpoint keepAlives = ctx.laxCheckpoint(3);
    AtomicInteger count = new AtomicInteger();
    sse.onComment(comment -> {
      if (comment.equals("keep-alive")) {
        if (count.incrementAndGet() == 3) {
          // Three keep-alives at a 1 s interval (checked every 200 ms) take 2 s at least; more often would be a flood.
          ctx.verify(() -> {
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(1500));
            assertThat(sse.ended()).isFalse();
          });
        }
        keepAlives.flag();
      }
    });
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void badRequestsAreRefusedWithTheirCodeBeforeAnyStreamStarts(VertxTestContext ctx) {
    long errors = cluster.node(0).stats().errors();
    Future.all(List.of(
        refused(sseAsync(0, "/sse", Map.of()), 400, "invalid_field", "topic is missing"),
        refused(sseAsync(0, "/sse?topic=a..b", Map.of()), 400, "invalid_topic", "empty segment"),
        refused(sseAsync(0, "/sse?topic=a&topic=b&topic=c&topic=d", Map.of()), 400, "too_many_subscriptions",
            "3 subscriptions"),
        refused(sseAsync(0, "/sse?topic=a", Map.of("Last-Event-ID", "e;a..b:3")), 400, "invalid_field",
            "Last-Event-ID"),
        refused(sseAsync(0, "/sse?topic=a&lastEventId=" + encode("e;a:x"), Map.of()), 400, "invalid_field",
            "lastEventId"),
        refused(sseAsync(0, "/sse?topic=a&lastEventId=" + encode(";a:1"), Map.of()), 400, "invalid_field", "epoch")))
        .compose(all -> {
          assertThat(cluster.node(0).stats().errors()).isEqualTo(errors + 6);
          assertThat(cluster.node(0).stats().sseStreams()).isZero();
          // A repeated topic counts once.
          return sseAsync(0, "/sse?topic=a&topic=b&topic=a&topic=c", Map.of());
        }).compose(fine -> {
          assertThat(fine.status()).isEqualTo(200);
          return Future.all(fine.nextAsync("subscribed"), fine.nextAsync("subscribed"), fine.nextAsync("subscribed"));
        }).compose(three -> {
          assertThat(three.<SseProbe.Event>list()).extracting(e -> e.json().getString("topic"))
              .containsExactly("a", "b", "c");
          return http.send(VertxHttp.request(HttpMethod.OPTIONS, cluster.node(0).port(), "/sse"), null);
        }).onComplete(ctx.succeeding(preflight -> ctx.verify(() -> {
          assertThat(preflight.status()).isEqualTo(204);
          assertThat(preflight.header("access-control-allow-origin")).isEqualTo("*");
          assertThat(preflight.header("access-control-allow-methods")).contains("GET");
          ctx.completeNow();
        })));
  }

  /** A stream that must be refused with {@code status} and the error {@code code}, its message saying {@code text}. */
  static Future<Void> refused(Future<SseProbe> stream, int status, String code, String text) {
    return stream.compose(probe -> {
      assertThat(probe.status()).isEqualTo(status);
      assertThat(probe.header("content-type")).isEqualTo("application/json");
      assertThat(probe.header("access-control-allow-origin")).isEqualTo("*");
      return probe.errorBodyAsync();
    }).map(error -> {
      assertThat(error.getString("type")).isEqualTo("error");
      assertThat(error.getString("code")).isEqualTo(code);
      assertThat(error.getString("message")).contains(text);
      assertThat(error.containsKey("id")).isFalse();
      return null;
    });
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aReaderThatStopsReadingIsClosedAndTheOthersKeepReceiving(VertxTestContext ctx) throws Throwable {
    SwitchboardNode node = cluster.node(0);
    String topic = name("firehose");
    long closes = node.stats().slowConsumerCloses();
    SseProbe slow = sse(0, "/sse?topic=" + topic);
    SseProbe fast = sse(0, "/sse?topic=" + topic);
    slow.next("subscribed");
    fast.next("subscribed");
    slow.pause(); // stops reading the socket: TCP pushes back all the way to the node
    Probe publisher = ws(0);
    String payload = "\"" + "x".repeat(2000) + "\"";
    int published = 0;
    while (node.stats().slowConsumerCloses() == closes && published < MAX_MESSAGES) {
      boolean acked = published % 100 == 99;
      publisher.send("{\"type\":\"publish\"" + (acked ? ",\"id\":\"p" + published + "\"" : "") + ",\"topic\":\""
          + topic + "\",\"data\":" + payload + "}");
      if (acked) {
        publisher.nextMatching(f -> "ack".equals(f.getString("type")));
      }
      published++;
    }
    assertThat(node.stats().slowConsumerCloses()).as("shed within %d messages", MAX_MESSAGES).isEqualTo(closes + 1);
    int total = published;
    Checkpoint fastGotAll = ctx.checkpoint(total);
    Checkpoint slowEnded = ctx.checkpoint();
    fast.onMessages(ctx, total, fastGotAll, () -> { });
    slow.endAsync().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      // What the node held for the slow reader was bounded: it got only part, then the close event.
      assertThat(slow.messages().size()).isLessThan(total);
      SseProbe.Event last = slow.events().get(slow.events().size() - 1);
      assertThat(last.name()).isEqualTo("close");
      assertThat(last.json()).isEqualTo(new JsonObject().put("type", "close").put("code", 4001)
          .put("reason", "slow_consumer"));
      slowEnded.flag();
    })));
    slow.resume();
    TestContexts.await(ctx, fastGotAll, slowEnded);
    assertThat(fast.ended()).isFalse();
    await().atMost(Duration.ofSeconds(10)).until(() -> node.stats().sseStreams() == 1);
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aDrainingNodeEndsItsStreamsAndStartsNoNewOnes(VertxTestContext ctx) throws Throwable {
    SwitchboardNode draining = cluster.add(TUNE);
    cluster.awaitMembers();
    int index = cluster.nodes().indexOf(draining);
    String topic = name("plain");
    SseProbe sse = sse(index, "/sse?topic=" + topic);
    sse.next("subscribed");
    Future<SseProbe.Event> close = sse.nextAsync("close");
    draining.drain(Duration.ofMillis(200)).onFailure(ctx::failNow);
    close.compose(e -> {
      assertThat(e.json()).isEqualTo(new JsonObject().put("type", "close").put("code", 4002)
          .put("reason", "node_draining"));
      return sse.endAsync();
    }).compose(ended -> refused(sseAsync(index, "/sse?topic=" + topic, Map.of()), 503, "unavailable", "draining"))
        // Publishing over HTTP still works until the node stops: it holds no client.
        .compose(v -> post(index, topic, "1"))
        .onComplete(ctx.succeeding(ack -> ctx.verify(() -> {
          assertThat(ack.getString("type")).isEqualTo("ack");
          ctx.completeNow();
        })));
    TestContexts.awaitCompletion(ctx);
    cluster.stop(index);
  }
}
