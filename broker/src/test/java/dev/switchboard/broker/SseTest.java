package dev.switchboard.broker;

import dev.switchboard.broker.testing.Http;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.SseProbe;
import dev.switchboard.broker.testing.TestCluster;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Server-sent events ({@code GET /sse}) against real clustered nodes over loopback: what WebSocket and HTTP
 * publishers publish on another node arrives as events holding the WebSocket {@code message} object; keep-alive
 * comments; refused requests; a slow reader shed with memory bounded; history resumed from {@code Last-Event-ID} and
 * {@code lastEventId} with no gap and no duplicate, or a {@code gap} event past the window; the drain.
 */
class SseTest {
  static final int MAX_PENDING = 256 * 1024;
  static final int MAX_MESSAGES = 40_000;
  static final Consumer<BrokerOptions> TUNE = o -> o.history(HistoryRule.parseList("hist.>/1000/5m,small.>/5/5m"))
      .heartbeatIntervalMs(1000).maxSubscriptions(3).maxPendingBytes(MAX_PENDING);
  static final AtomicInteger names = new AtomicInteger();
  static TestCluster cluster;
  final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(2, TUNE);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @AfterEach
  void closeClients() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  SseProbe sse(int node, String uri, Map<String, String> headers) {
    SseProbe probe = SseProbe.open(cluster.clients(), cluster.node(node).port(), uri, headers);
    open.add(probe);
    return probe;
  }

  SseProbe sse(int node, String uri) {
    return sse(node, uri, Map.of());
  }

  Probe ws(int node) {
    Probe probe = Probe.connect(cluster.clients(), cluster.node(node).port()).answerPings(true);
    open.add(probe);
    return probe;
  }

  static String name(String root) {
    return root + ".t" + names.incrementAndGet();
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** An HTTP publish that must be acked; returns the ack. */
  static JsonObject publish(int node, String topic, String body) {
    HttpResponse<String> answer = Http.post(cluster.node(node).port(), "/api/topics/" + topic + "/messages", body);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return new JsonObject(answer.body());
  }

  static long offset(JsonObject messageOrAck) {
    return messageOrAck.getJsonObject("position").getLong("offset");
  }

  @Test
  void streamsWhatWebSocketAndHttpPublishersPublishOnAnotherNode() {
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

    // The subscriptions reach the other node asynchronously: publish until both deliveries arrive.
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      publish(1, topic, "\"ready\"");
      return sse.messages().stream().anyMatch(m -> m.containsKey("pattern"))
          && sse.messages().stream().anyMatch(m -> !m.containsKey("pattern"));
    });
    ws(1).send("{\"type\":\"publish\",\"id\":\"p\",\"topic\":\"" + topic + "\",\"data\":{\"from\":\"ws\"}}")
        .next("ack");
    publish(1, topic, " {\"from\":\"http\", \"n\": 2.50}\n");

    await().atMost(Duration.ofSeconds(20)).until(() -> sse.events().stream()
        .filter(e -> e.data().contains("\"from\":")).count() == 4);
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
  void publishersLineBreaksBecomeDataLinesThatJoinIntoTheSameJson() {
    String topic = name("plain");
    SseProbe sse = sse(0, "/sse?topic=" + topic);
    sse.next("subscribed");
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      publish(0, topic, "{\r\n  \"a\": 1,\n  \"b\": [2,\r3]\n}");
      return !sse.messages().isEmpty();
    });
    JsonObject message = sse.messages().get(0);
    assertThat(message.getJsonObject("data")).isEqualTo(new JsonObject("{\"a\":1,\"b\":[2,3]}"));
    assertThat(sse.events().get(1).data()).contains("\n  \"a\": 1,\n").doesNotContain("\r");
  }

  @Test
  void keepAliveCommentsComeEveryHeartbeatInterval() {
    SseProbe sse = sse(0, "/sse?topic=" + name("plain"));
    sse.next("subscribed");
    assertThat(sse.comments().get(0)).startsWith("switchboard node " + cluster.node(0).nodeId());
    long started = System.nanoTime();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> sse.comments().stream().filter("keep-alive"::equals).count() >= 3);
    // Three keep-alives at a 1 s interval (checked every 200 ms) take 2 s at least; more often would be a flood.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(1500));
    assertThat(sse.ended()).isFalse();
  }

  @Test
  void badRequestsAreRefusedWithTheirCodeBeforeAnyStreamStarts() {
    long errors = cluster.node(0).stats().errors();
    assertRefused(sse(0, "/sse"), 400, "invalid_field", "topic is missing");
    assertRefused(sse(0, "/sse?topic=a..b"), 400, "invalid_topic", "empty segment");
    assertRefused(sse(0, "/sse?topic=a&topic=b&topic=c&topic=d"), 400, "too_many_subscriptions", "3 subscriptions");
    assertRefused(sse(0, "/sse?topic=a", Map.of("Last-Event-ID", "e;a..b:3")), 400, "invalid_field",
        "Last-Event-ID");
    assertRefused(sse(0, "/sse?topic=a&lastEventId=" + encode("e;a:x")), 400, "invalid_field", "lastEventId");
    assertRefused(sse(0, "/sse?topic=a&lastEventId=" + encode(";a:1")), 400, "invalid_field", "epoch");
    assertThat(cluster.node(0).stats().errors()).isEqualTo(errors + 6);
    assertThat(cluster.node(0).stats().sseStreams()).isZero();

    // A repeated topic counts once.
    SseProbe fine = sse(0, "/sse?topic=a&topic=b&topic=a&topic=c");
    assertThat(fine.status()).isEqualTo(200);
    assertThat(List.of(fine.next("subscribed"), fine.next("subscribed"), fine.next("subscribed")))
        .extracting(e -> e.json().getString("topic")).containsExactly("a", "b", "c");

    HttpResponse<String> preflight = Http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + cluster.node(0).port() + "/sse"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("*");
    assertThat(preflight.headers().firstValue("access-control-allow-methods").orElse("")).contains("GET");
  }

  static void assertRefused(SseProbe probe, int status, String code, String text) {
    assertThat(probe.status()).isEqualTo(status);
    assertThat(probe.header("content-type")).isEqualTo("application/json");
    assertThat(probe.header("access-control-allow-origin")).isEqualTo("*");
    JsonObject error = probe.errorBody();
    assertThat(error.getString("type")).isEqualTo("error");
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("message")).contains(text);
    assertThat(error.containsKey("id")).isFalse();
  }

  @Test
  void historyResumesFromLastEventIdOnAnotherNodeWithoutGapOrDuplicate() {
    String a = name("hist");
    String b = name("hist");
    SseProbe first = sse(0, "/sse?topic=" + a + "&topic=" + b);
    JsonObject subscribedA = first.next("subscribed").json();
    String epoch = subscribedA.getJsonObject("position").getString("epoch");
    assertThat(offset(subscribedA)).isEqualTo(-1);
    assertThat(subscribedA.containsKey("recovered")).isFalse();
    SseProbe.Event subscribedB = first.next("subscribed");
    assertThat(subscribedB.id()).isEqualTo(epoch + ";" + a + ":-1;" + b + ":-1");

    for (int i = 0; i < 3; i++) {
      assertThat(offset(publish(1, a, "\"a" + i + "\""))).isEqualTo(i);
    }
    for (int i = 0; i < 2; i++) {
      assertThat(offset(publish(1, b, "\"b" + i + "\""))).isEqualTo(i);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> first.messages().size() == 5);
    assertThat(first.events()).filteredOn(e -> e.name().equals("message")).allMatch(e -> e.id() != null);
    assertThat(first.lastId()).isEqualTo(epoch + ";" + a + ":2;" + b + ":1");
    String lastId = first.lastId();
    first.close();

    for (int i = 3; i < 6; i++) {
      publish(0, a, "\"a" + i + "\"");
    }
    publish(0, b, "\"b2\"");
    SseProbe again = sse(1, "/sse?topic=" + a + "&topic=" + b, Map.of("Last-Event-ID", lastId));
    JsonObject recoveredA = again.next("subscribed").json();
    assertThat(recoveredA.getBoolean("recovered")).isTrue();
    assertThat(offset(recoveredA)).isEqualTo(5);
    assertThat(again.next("subscribed").json().getBoolean("recovered")).isTrue();
    publish(0, a, "\"a6\"");
    await().atMost(Duration.ofSeconds(20)).until(() -> again.messages().size() == 5);
    assertThat(again.messages()).filteredOn(m -> m.getString("topic").equals(a)).extracting(m -> m.getString("data"))
        .containsExactly("a3", "a4", "a5", "a6");
    assertThat(again.messages()).filteredOn(m -> m.getString("topic").equals(b)).extracting(m -> m.getString("data"))
        .containsExactly("b2");
    assertThat(again.lastId()).isEqualTo(epoch + ";" + a + ":6;" + b + ":2");
    assertThat(again.events()).noneMatch(e -> e.name().equals("gap"));
  }

  @Test
  void lastEventIdParameterResumesAndTheHeaderWinsOverIt() {
    String topic = name("hist");
    SseProbe first = sse(0, "/sse?topic=" + topic);
    String start = first.next("subscribed").id();
    publish(1, topic, "0");
    publish(1, topic, "1");
    await().atMost(Duration.ofSeconds(20)).until(() -> first.messages().size() == 2);
    String afterOne = first.events().get(1).id();
    first.close();
    publish(1, topic, "2");

    // An application that opens a new EventSource on another node passes the id it last saw.
    SseProbe byParam = sse(1, "/sse?topic=" + topic + "&lastEventId=" + encode(start));
    assertThat(byParam.next("subscribed").json().getBoolean("recovered")).isTrue();
    await().atMost(Duration.ofSeconds(20)).until(() -> byParam.messages().size() == 3);
    assertThat(byParam.messages()).extracting(m -> m.getInteger("data")).containsExactly(0, 1, 2);

    // EventSource reconnecting to the same URL sends the newer id as a header: it wins over the parameter.
    SseProbe byHeader = sse(0, "/sse?topic=" + topic + "&lastEventId=" + encode(start),
        Map.of("Last-Event-ID", afterOne));
    assertThat(byHeader.next("subscribed").json().getBoolean("recovered")).isTrue();
    await().atMost(Duration.ofSeconds(20)).until(() -> byHeader.messages().size() == 2);
    assertThat(byHeader.messages()).extracting(m -> m.getInteger("data")).containsExactly(1, 2);
  }

  @Test
  void beyondTheWindowOrInAnotherEpochTheStreamSaysGapAndGoesOnLive() {
    String topic = name("small");
    SseProbe first = sse(0, "/sse?topic=" + topic);
    String epoch = first.next("subscribed").json().getJsonObject("position").getString("epoch");
    publish(1, topic, "0");
    first.next("message");
    String seen = first.lastId();
    first.close();
    for (int i = 1; i <= 10; i++) {
      publish(1, topic, String.valueOf(i)); // the topic keeps 5: offset 1 is gone
    }

    SseProbe late = sse(1, "/sse?topic=" + topic, Map.of("Last-Event-ID", seen));
    JsonObject subscribed = late.next("subscribed").json();
    assertThat(subscribed.getBoolean("recovered")).isFalse();
    SseProbe.Event gap = late.next("gap");
    assertThat(gap.json()).isEqualTo(new JsonObject().put("type", "gap").put("topic", topic)
        .put("position", new JsonObject().put("epoch", epoch).put("offset", 10)));
    assertThat(gap.id()).isEqualTo(epoch + ";" + topic + ":10");
    publish(0, topic, "11");
    JsonObject live = late.next("message").json();
    assertThat(live.getInteger("data")).isEqualTo(11);
    assertThat(offset(live)).isEqualTo(11);

    SseProbe otherEpoch = sse(0, "/sse?topic=" + topic, Map.of("Last-Event-ID", "0ther;" + topic + ":3"));
    assertThat(otherEpoch.next("subscribed").json().getBoolean("recovered")).isFalse();
    assertThat(otherEpoch.next("gap").json().getString("topic")).isEqualTo(topic);

    // A cursor that names a plain topic (its rule is gone, say) cannot recover it either.
    String plain = name("plain");
    SseProbe plainTopic = sse(0, "/sse?topic=" + plain, Map.of("Last-Event-ID", epoch + ";" + plain + ":3"));
    assertThat(plainTopic.next("subscribed").json().getBoolean("recovered")).isFalse();
    assertThat(plainTopic.next("gap").json()).isEqualTo(new JsonObject().put("type", "gap").put("topic", plain));
  }

  @Test
  void aReaderThatStopsReadingIsClosedAndTheOthersKeepReceiving() {
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
    slow.resume();
    slow.awaitEnd();
    int total = published;
    await().atMost(Duration.ofSeconds(30)).until(() -> fast.messages().size() == total);
    // What the node held for the slow reader was bounded: it got only part, then the close event.
    assertThat(slow.messages().size()).isLessThan(total);
    SseProbe.Event last = slow.events().get(slow.events().size() - 1);
    assertThat(last.name()).isEqualTo("close");
    assertThat(last.json()).isEqualTo(new JsonObject().put("type", "close").put("code", 4001)
        .put("reason", "slow_consumer"));
    assertThat(fast.ended()).isFalse();
    await().atMost(Duration.ofSeconds(10)).until(() -> node.stats().sseStreams() == 1);
  }

  @Test
  void aDrainingNodeEndsItsStreamsAndStartsNoNewOnes() {
    SwitchboardNode draining = cluster.add(TUNE);
    cluster.awaitMembers();
    int index = cluster.nodes().indexOf(draining);
    String topic = name("plain");
    SseProbe sse = sse(index, "/sse?topic=" + topic);
    sse.next("subscribed");
    draining.drain(Duration.ofMillis(200));
    SseProbe.Event close = sse.next("close");
    assertThat(close.json()).isEqualTo(new JsonObject().put("type", "close").put("code", 4002)
        .put("reason", "node_draining"));
    sse.awaitEnd();
    assertRefused(sse(index, "/sse?topic=" + topic), 503, "unavailable", "draining");
    // Publishing over HTTP still works until the node stops: it holds no client.
    assertThat(publish(index, topic, "1").getString("type")).isEqualTo("ack");
    cluster.stop(index);
  }
}
