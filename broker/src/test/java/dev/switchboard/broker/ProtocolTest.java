package dev.switchboard.broker;

import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.broker.testing.VertxHttp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wire protocol against one real node, frame by frame: exchanges of one request and its reply step by step, a
 * burst's frames counted with checkpoints as they arrive.
 */
@ExtendWith(VertxExtension.class)
class ProtocolTest {
  static TestCluster cluster;
  final List<Probe> probes = new ArrayList<>();

  @BeforeAll
  static void startNode() {
    cluster = TestCluster.of(1, o -> o.maxSubscriptions(3).maxFrameBytes(4096).maxPendingBytes(64 * 1024));
  }

  @AfterAll
  static void stopNode() {
    cluster.close();
  }

  @AfterEach
  void closeProbes() {
    probes.forEach(Probe::close);
  }

  Probe probe() {
    Probe probe = Probe.connect(cluster.clients(), cluster.node(0).port());
    probes.add(probe);
    return probe;
  }

  @Test
  void welcomeDescribesNodeSessionHeartbeatAndLimits() {
    Probe a = probe();
    JsonObject welcome = a.all("welcome").get(0);
    assertThat(welcome.getString("node")).isEqualTo(cluster.node(0).nodeId());
    assertThat(welcome.getString("session")).isNotBlank();
    assertThat(welcome.getJsonObject("heartbeat").getLong("interval_ms")).isEqualTo(25_000L);
    assertThat(welcome.getJsonObject("heartbeat").getLong("timeout_ms")).isEqualTo(10_000L);
    assertThat(welcome.getJsonObject("limits").getInteger("max_frame_bytes")).isEqualTo(4096);
    assertThat(welcome.getJsonObject("limits").getInteger("max_subscriptions")).isEqualTo(3);
    assertThat(probe().all("welcome").get(0).getString("session")).isNotEqualTo(welcome.getString("session"));
  }

  @Test
  void publishReachesSubscriberAndIsAcked() {
    Probe sub = probe();
    Probe pub = probe();
    sub.send("{\"type\":\"subscribe\",\"id\":\"s1\",\"topic\":\"news.eu\"}");
    assertThat(sub.next("subscribed")).isEqualTo(new JsonObject().put("type", "subscribed").put("id", "s1")
        .put("topic", "news.eu"));
    pub.send("{\"type\":\"publish\",\"id\":\"p1\",\"topic\":\"news.eu\",\"data\":{\"n\":1}}");
    assertThat(pub.next("ack").getString("id")).isEqualTo("p1");
    JsonObject message = sub.next("message");
    assertThat(message.getString("topic")).isEqualTo("news.eu");
    assertThat(message.containsKey("pattern")).isFalse();
    assertThat(message.getJsonObject("data").getInteger("n")).isEqualTo(1);
  }

  @Test
  void dataIsForwardedByteForByte() {
    Probe sub = probe();
    sub.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"raw\"}").next("subscribed");
    String data = "{ \"big\" : 123456789012345678901234567890.000000000000000000001, \"s\":\"\\u00e9\\n\", \"a\":[1, null,true] }";
    probe().send("{\"type\":\"publish\",\"id\":\"p\",\"topic\":\"raw\",\"data\":" + data + "}").next("ack");
    long stamp = sub.next("message").getLong("published_at");
    assertThat(sub.rawFrames().get(sub.rawFrames().size() - 1))
        .isEqualTo("{\"type\":\"message\",\"topic\":\"raw\",\"data\":" + data + ",\"published_at\":" + stamp + "}");
    for (String scalar : new String[] {"null", "\"text\"", "-1.5e300", "false"}) {
      probe().send("{\"data\":" + scalar + ",\"type\":\"publish\",\"topic\":\"raw\",\"id\":\"q\"}").next("ack");
      stamp = sub.next("message").getLong("published_at");
      assertThat(sub.rawFrames().get(sub.rawFrames().size() - 1))
          .endsWith(",\"data\":" + scalar + ",\"published_at\":" + stamp + "}");
    }
  }

  @Test
  void aCompressionOfferIsDeclinedAndFramesStillFlow() {
    Probe sub = Probe.connect(cluster.clients(), cluster.node(0).port(), new WebSocketClientOptions()
        .setTryUsePerMessageCompression(true).setTryUsePerFrameCompression(true));
    probes.add(sub);
    assertThat(sub.ws.headers().get("sec-websocket-extensions")).isNull();
    sub.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"plain\"}").next("subscribed");
    probe().send("{\"type\":\"publish\",\"id\":\"p\",\"topic\":\"plain\",\"data\":\"hello\"}").next("ack");
    assertThat(sub.next("message").getString("data")).isEqualTo("hello");
  }

  @Test
  void publishWithoutIdIsNotAcked() {
    Probe sub = probe();
    sub.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"quiet\"}").next("subscribed");
    Probe pub = probe();
    pub.send("{\"type\":\"publish\",\"topic\":\"quiet\",\"data\":1}");
    pub.send("{\"type\":\"publish\",\"id\":\"after\",\"topic\":\"quiet\",\"data\":2}");
    assertThat(pub.next().getString("id")).isEqualTo("after");
    assertThat(sub.next("message").getInteger("data")).isEqualTo(1);
    assertThat(sub.next("message").getInteger("data")).isEqualTo(2);
  }

  @Test
  void unsubscribeStopsDeliveryAndBothAreIdempotent() {
    Probe sub = probe();
    Probe pub = probe();
    sub.send("{\"type\":\"subscribe\",\"id\":\"s1\",\"topic\":\"t\"}").next("subscribed");
    sub.send("{\"type\":\"subscribe\",\"id\":\"s2\",\"topic\":\"t\"}");
    assertThat(sub.next("subscribed").getString("id")).isEqualTo("s2");
    pub.send("{\"type\":\"publish\",\"id\":\"p1\",\"topic\":\"t\",\"data\":1}").next("ack");
    assertThat(sub.next("message").getInteger("data")).isEqualTo(1);
    sub.send("{\"type\":\"unsubscribe\",\"id\":\"u1\",\"topic\":\"t\"}");
    assertThat(sub.next("unsubscribed").getString("topic")).isEqualTo("t");
    sub.send("{\"type\":\"unsubscribe\",\"id\":\"u2\",\"topic\":\"t\"}");
    assertThat(sub.next("unsubscribed").getString("id")).isEqualTo("u2");
    pub.send("{\"type\":\"publish\",\"id\":\"p2\",\"topic\":\"t\",\"data\":2}").next("ack");
    // A fence: once this arrives, message 2 would have arrived before it if it were delivered.
    sub.send("{\"type\":\"subscribe\",\"id\":\"fence\",\"topic\":\"fence\"}").next("subscribed");
    pub.send("{\"type\":\"publish\",\"id\":\"p3\",\"topic\":\"fence\",\"data\":3}").next("ack");
    assertThat(sub.next("message").getString("topic")).isEqualTo("fence");
    assertThat(sub.all("message")).hasSize(2);
  }

  @Test
  void eachMatchingSubscriptionGetsItsOwnDeliveryNamingThePattern() {
    Probe sub = probe();
    sub.send("{\"type\":\"subscribe\",\"id\":\"a\",\"topic\":\"news.eu\"}").next("subscribed");
    sub.send("{\"type\":\"subscribe\",\"id\":\"b\",\"topic\":\"news.*\"}").next("subscribed");
    sub.send("{\"type\":\"subscribe\",\"id\":\"c\",\"topic\":\"news.>\"}").next("subscribed");
    probe().send("{\"type\":\"publish\",\"id\":\"p\",\"topic\":\"news.eu\",\"data\":\"x\"}").next("ack");
    List<String> via = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      JsonObject m = sub.next("message");
      assertThat(m.getString("topic")).isEqualTo("news.eu");
      via.add(m.getString("pattern", "(exact)"));
    }
    assertThat(via).containsExactlyInAnyOrder("(exact)", "news.*", "news.>");
    probe().send("{\"type\":\"publish\",\"id\":\"p\",\"topic\":\"news.eu.fr\",\"data\":\"y\"}").next("ack");
    JsonObject deep = sub.next("message");
    assertThat(deep.getString("pattern")).isEqualTo("news.>");
    assertThat(deep.getString("topic")).isEqualTo("news.eu.fr");
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aBurstOfPublishesReachesEachSubscriberWholeAndInOrder(VertxTestContext ctx) {
    // Publishes written without waiting arrive in few reads, so the node delivers many in one event-loop turn and
    // writes them to each subscriber as one batch of frames: every frame must still arrive whole, once, in order.
    Probe sub = probe();
    Probe patternSub = probe();
    sub.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"burst.t\"}").next("subscribed");
    patternSub.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"burst.*\"}").next("subscribed");
    Probe pub = probe();
    int count = 500;
    Checkpoint written = ctx.checkpoint(count);
    for (Probe p : List.of(sub, patternSub)) {
      Checkpoint arrived = ctx.checkpoint(count);
      List<Integer> data = new CopyOnWriteArrayList<>();
      p.onFrame(f -> {
        if ("message".equals(f.getString("type"))) {
          data.add(f.getInteger("data"));
          if (data.size() == count) {
            ctx.verify(() -> assertThat(data).isSorted().doesNotHaveDuplicates().hasSize(count).startsWith(0)
                .endsWith(count - 1));
          }
          arrived.flag();
        }
      });
    }
    for (int i = 0; i < count; i++) {
      pub.ws.writeTextMessage("{\"type\":\"publish\",\"topic\":\"burst.t\",\"data\":" + i + "}").onComplete(written);
    }
  }

  @Test
  void repliesComeInRequestOrder() {
    Probe a = probe();
    a.send("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"order.a\"}");
    a.send("{\"type\":\"publish\",\"id\":\"2\",\"topic\":\"order.b\",\"data\":0}");
    a.send("{\"type\":\"subscribe\",\"id\":\"3\",\"topic\":\"order.*\"}");
    a.send("{\"type\":\"publish\",\"id\":\"4\",\"topic\":\"bad topic\",\"data\":0}");
    a.send("{\"type\":\"unsubscribe\",\"id\":\"5\",\"topic\":\"order.a\"}");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(a.nextMatching(f -> f.containsKey("id")).getString("id"));
    }
    assertThat(ids).containsExactly("1", "2", "3", "4", "5");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "not json                 | {nope                                                        | invalid_json",
      "array                    | [1,2]                                                        | invalid_json",
      "trailing text            | {\"type\":\"pong\"} x                                        | invalid_json",
      "duplicate key            | {\"type\":\"publish\",\"type\":\"pong\"}                     | invalid_json",
      "missing type             | {\"id\":\"r\",\"topic\":\"a\"}                               | unknown_type",
      "unknown type             | {\"id\":\"r\",\"type\":\"shout\"}                            | unknown_type",
      "type not a string        | {\"id\":\"r\",\"type\":7}                                    | unknown_type",
      "missing topic            | {\"id\":\"r\",\"type\":\"subscribe\"}                        | invalid_field",
      "topic not a string       | {\"id\":\"r\",\"type\":\"subscribe\",\"topic\":[\"a\"]}      | invalid_field",
      "id not a string          | {\"id\":5,\"type\":\"subscribe\",\"topic\":\"a\"}            | invalid_field",
      "missing data             | {\"id\":\"r\",\"type\":\"publish\",\"topic\":\"a\"}          | invalid_field",
      "bad topic                | {\"id\":\"r\",\"type\":\"subscribe\",\"topic\":\"a..b\"}     | invalid_topic",
      "reserved character       | {\"id\":\"r\",\"type\":\"publish\",\"topic\":\"$sys\",\"data\":1} | invalid_topic",
      "publish to a pattern     | {\"id\":\"r\",\"type\":\"publish\",\"topic\":\"a.*\",\"data\":1} | invalid_topic",
      "rest not last            | {\"id\":\"r\",\"type\":\"subscribe\",\"topic\":\"a.>.b\"}    | invalid_topic",
  })
  void badFramesGetTheirCodeAndTheConnectionStaysUsable(String name, String frame, String code) {
    Probe a = probe();
    a.send(frame);
    JsonObject error = a.next("error");
    assertThat(error.getString("code")).as(name).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
    if (frame.contains("\"id\":\"r\"")) {
      assertThat(error.getString("id")).isEqualTo("r");
    }
    a.send("{\"type\":\"subscribe\",\"id\":\"ok\",\"topic\":\"still.usable\"}");
    assertThat(a.next("subscribed").getString("id")).isEqualTo("ok");
  }

  @Test
  void deeplyNestedDataIsRefused() {
    Probe a = probe();
    String deep = "[".repeat(200) + "]".repeat(200);
    a.send("{\"type\":\"publish\",\"id\":\"d\",\"topic\":\"a\",\"data\":" + deep + "}");
    assertThat(a.next("error").getString("code")).isEqualTo("invalid_json");
  }

  @Test
  void binaryFrameIsRefusedAndTheConnectionStaysUsable() {
    Probe a = probe();
    a.sendBinary(Buffer.buffer(new byte[] {1, 2, 3}));
    assertThat(a.next("error").getString("code")).isEqualTo("unsupported_frame");
    a.send("{\"type\":\"subscribe\",\"id\":\"ok\",\"topic\":\"x\"}").next("subscribed");
  }

  @Test
  void oversizedFrameClosesWithMessageTooBig() {
    Probe a = probe();
    a.ws.writeTextMessage("{\"type\":\"publish\",\"topic\":\"a\",\"data\":\"" + "x".repeat(5000) + "\"}");
    assertThat(a.awaitClose()).isEqualTo((short) 1009);
    assertThat(a.closeReason()).isEqualTo("message_too_big");
  }

  @Test
  void invalidUtf8ClosesWithInvalidPayload() {
    Probe a = probe();
    byte[] bad = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    a.ws.writeFrame(new io.vertx.core.http.impl.websocket.WebSocketFrameImpl(
        io.vertx.core.http.WebSocketFrameType.TEXT, bad, true));
    assertThat(a.awaitClose()).isEqualTo((short) 1007);
    assertThat(a.closeReason()).isEqualTo("invalid_payload");
  }

  @Test
  void aMessageSentInSeveralFramesIsReassembledAndLimitedAsAWhole() {
    Probe a = probe();
    a.ws.writeFrame(io.vertx.core.http.WebSocketFrame.textFrame("{\"type\":\"subscribe\",", false));
    a.ws.writeFrame(io.vertx.core.http.WebSocketFrame.continuationFrame(
        Buffer.buffer("\"id\":\"f\",\"topic\":\"frag\"}"), true));
    assertThat(a.next("subscribed").getString("topic")).isEqualTo("frag");
    String half = "x".repeat(3000);
    a.ws.writeFrame(io.vertx.core.http.WebSocketFrame.textFrame("{\"type\":\"publish\",\"data\":\"" + half, false));
    a.ws.writeFrame(io.vertx.core.http.WebSocketFrame.continuationFrame(Buffer.buffer(half + "\"}"), true));
    assertThat(a.awaitClose()).isEqualTo((short) 1009);
  }

  @Test
  void subscriptionsPerConnectionAreLimited() {
    Probe a = probe();
    for (int i = 0; i < 3; i++) {
      a.send("{\"type\":\"subscribe\",\"id\":\"s" + i + "\",\"topic\":\"lim." + i + "\"}").next("subscribed");
    }
    a.send("{\"type\":\"subscribe\",\"id\":\"s3\",\"topic\":\"lim.3\"}");
    assertThat(a.next("error").getString("code")).isEqualTo("too_many_subscriptions");
    a.send("{\"type\":\"subscribe\",\"id\":\"again\",\"topic\":\"lim.0\"}");
    assertThat(a.next("subscribed").getString("id")).isEqualTo("again");
    a.send("{\"type\":\"unsubscribe\",\"id\":\"u\",\"topic\":\"lim.0\"}").next("unsubscribed");
    a.send("{\"type\":\"subscribe\",\"id\":\"s4\",\"topic\":\"lim.3\"}").next("subscribed");
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void otherPathsAreNotFound(Vertx vertx, VertxTestContext ctx) {
    new VertxHttp(vertx).get(cluster.node(0).port(), "/nope").onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
      assertThat(answer.status()).isEqualTo(404);
      ctx.completeNow();
    })));
  }
}
