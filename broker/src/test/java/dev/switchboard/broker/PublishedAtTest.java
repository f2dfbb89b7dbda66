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

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * {@code published_at} on two real nodes: the publishing node's wall clock, read once when it accepted the publish
 * (WebSocket or HTTP), is the same in every delivery on the other node (WebSocket and SSE, exact and through a
 * pattern) and lies between the test's clock before the publish and after its ack; on a history topic it is stored
 * with the message, so recovering it later (subscribe with {@code since}, {@code latest}, SSE resume with
 * {@code Last-Event-ID} or {@code lastEventId}) gives the original stamp, not a new one.
 */
class PublishedAtTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final AtomicInteger names = new AtomicInteger();
  static TestCluster cluster;
  final List<AutoCloseable> open = new ArrayList<>();

  /** The test's wall clock just before a publish and just after its ack. */
  record Window(long before, long after) {
  }

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(2, o -> o.history(HistoryRule.parseList("hist.>/100/5m")));
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

  Probe ws(int node) {
    Probe probe = Probe.connect(cluster.clients(), cluster.node(node).port()).answerPings(true);
    open.add(probe);
    return probe;
  }

  SseProbe sse(int node, String uri, Map<String, String> headers) {
    SseProbe probe = SseProbe.open(cluster.clients(), cluster.node(node).port(), uri, headers);
    open.add(probe);
    return probe;
  }

  static JsonObject subscribe(Probe p, String topic, String extra) {
    return p.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"" + topic + "\"" + extra + "}").next("subscribed");
  }

  static HttpResponse<String> post(int node, String topic, String body) {
    return Http.post(cluster.node(node).port(), "/api/topics/" + topic + "/messages", body);
  }

  /** Publishes the string {@code data} over WebSocket from {@code pub} and waits for its ack. */
  static Window publishWs(Probe pub, String topic, String data) {
    long before = System.currentTimeMillis();
    pub.send("{\"type\":\"publish\",\"id\":\"p\",\"topic\":\"" + topic + "\",\"data\":\"" + data + "\"}")
        .nextMatching(f -> "ack".equals(f.getString("type")));
    return new Window(before, System.currentTimeMillis());
  }

  /** Publishes the string {@code data} over HTTP to node {@code node} and waits for its answer. */
  static Window publishHttp(int node, String topic, String data) {
    long before = System.currentTimeMillis();
    assertThat(post(node, topic, "\"" + data + "\"").statusCode()).isEqualTo(200);
    return new Window(before, System.currentTimeMillis());
  }

  static List<JsonObject> carrying(List<JsonObject> messages, String data) {
    return messages.stream().filter(m -> data.equals(m.getValue("data"))).toList();
  }

  /**
   * Waits until {@code ws} and {@code sse} each have {@code each} deliveries of {@code data}; checks they all carry
   * one stamp, within {@code window}, and returns it.
   */
  static long oneStamp(Probe ws, SseProbe sse, String data, int each, Window window) {
    await().atMost(WAIT).until(() -> carrying(ws.all("message"), data).size() == each
        && carrying(sse.messages(), data).size() == each);
    List<Object> stamps = Stream.concat(carrying(ws.all("message"), data).stream(),
        carrying(sse.messages(), data).stream()).map(m -> m.getValue("published_at")).toList();
    assertThat(stamps).as(data).hasSize(2 * each).allMatch(s -> s instanceof Long || s instanceof Integer)
        .containsOnly(stamps.get(0));
    long stamp = ((Number) stamps.get(0)).longValue();
    assertThat(stamp).as(data).isBetween(window.before(), window.after());
    return stamp;
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void everySubscriberOnAnotherNodeGetsTheStampThePublishingNodeTookOnce() {
    String root = "plain" + names.incrementAndGet();
    String topic = root + ".news";
    String pattern = root + ".*";
    Probe ws = ws(0);
    subscribe(ws, topic, "");
    subscribe(ws, pattern, "");
    SseProbe sse = sse(0, "/sse?topic=" + topic + "&topic=" + encode(pattern), Map.of());
    sse.next("subscribed");
    sse.next("subscribed");
    // The subscriptions reach the publishing node asynchronously: publish until every delivery arrives.
    await().atMost(WAIT).until(() -> {
      post(1, topic, "\"ready\"");
      return carrying(ws.all("message"), "ready").stream().map(m -> m.containsKey("pattern")).distinct().count() == 2
          && carrying(sse.messages(), "ready").stream().map(m -> m.containsKey("pattern")).distinct().count() == 2;
    });

    Window viaWs = publishWs(ws(1), topic, "ws");
    Window viaHttp = publishHttp(1, topic, "http");
    long wsStamp = oneStamp(ws, sse, "ws", 2, viaWs);
    long httpStamp = oneStamp(ws, sse, "http", 2, viaHttp);
    assertThat(httpStamp).isGreaterThanOrEqualTo(wsStamp);
  }

  @Test
  void aHistoryMessageKeepsItsStampLiveAndWhenRecoveredLater() {
    String root = "hist.r" + names.incrementAndGet();
    String topic = root + ".room";
    String pattern = root + ".*";
    Probe ws = ws(0);
    JsonObject start = subscribe(ws, topic, "").getJsonObject("position");
    subscribe(ws, pattern, "");
    SseProbe sse = sse(0, "/sse?topic=" + topic + "&topic=" + encode(pattern), Map.of());
    String cursor = sse.next("subscribed").id();
    sse.next("subscribed");
    // The pattern reaches the publishing node asynchronously: publish on a sibling topic until it is delivered.
    await().atMost(WAIT).until(() -> {
      post(1, root + ".warm", "\"ready\"");
      return !carrying(ws.all("message"), "ready").isEmpty() && !carrying(sse.messages(), "ready").isEmpty();
    });

    Window viaWs = publishWs(ws(1), topic, "ws");
    Window viaHttp = publishHttp(1, topic, "http");
    // Live: from the store (the topic's own subscription) and from the publishing node (the pattern's).
    long wsStamp = oneStamp(ws, sse, "ws", 2, viaWs);
    long httpStamp = oneStamp(ws, sse, "http", 2, viaHttp);
    // A stamp taken again at a read would be later than this.
    await().atMost(WAIT).until(() -> System.currentTimeMillis() > viaHttp.after());

    Probe since = ws(1);
    assertThat(subscribe(since, topic, ",\"since\":" + start.encode()).getBoolean("recovered")).isTrue();
    assertThat(List.of(since.next("message"), since.next("message")))
        .extracting(m -> m.getString("data"), m -> m.getLong("published_at"))
        .containsExactly(tuple("ws", wsStamp), tuple("http", httpStamp));
    Probe latest = ws(0);
    subscribe(latest, topic, ",\"latest\":true");
    assertThat(latest.next("message").getLong("published_at")).isEqualTo(httpStamp);

    SseProbe byHeader = sse(1, "/sse?topic=" + topic, Map.of("Last-Event-ID", cursor));
    SseProbe byParam = sse(0, "/sse?topic=" + topic + "&lastEventId=" + encode(cursor), Map.of());
    for (SseProbe resumed : List.of(byHeader, byParam)) {
      assertThat(resumed.next("subscribed").json().getBoolean("recovered")).isTrue();
      await().atMost(WAIT).until(() -> resumed.messages().size() == 2);
      assertThat(resumed.messages()).extracting(m -> m.getString("data"), m -> m.getLong("published_at"))
          .containsExactly(tuple("ws", wsStamp), tuple("http", httpStamp));
    }
  }
}
