package dev.switchboard.broker;

import dev.switchboard.broker.testing.Http;
import dev.switchboard.broker.testing.SseProbe;
import dev.switchboard.broker.testing.TestContexts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * History topics over server-sent events, on two real clustered nodes: a stream resumed from {@code Last-Event-ID} or
 * {@code lastEventId} on another node with no gap and no duplicate (the header winning over the parameter), or told
 * of the gap with a {@code gap} event past the window, in another epoch, or on a plain topic, then live. Split from
 * {@link SseTest} (the transport) when both moved to {@link VertxTestContext}, which made one file too long.
 */
class SseHistoryTest extends SseClusterTest {
  /** An HTTP publish that must be acked; returns the ack. */
  static JsonObject publish(int node, String topic, String body) {
    HttpResponse<String> answer = Http.post(cluster.node(node).port(), "/api/topics/" + topic + "/messages", body);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return new JsonObject(answer.body());
  }

  /** HTTP publishes one after the other (each once the one before is acked); the future holds their acks. */
  Future<List<JsonObject>> postInOrder(int node, String topic, String... bodies) {
    return http.publishInOrder(cluster.node(node).port(), topic, bodies);
  }

  static long offset(JsonObject messageOrAck) {
    return messageOrAck.getJsonObject("position").getLong("offset");
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void historyResumesFromLastEventIdOnAnotherNodeWithoutGapOrDuplicate(VertxTestContext ctx) throws Throwable {
    String a = name("hist");
    String b = name("hist");
    SseProbe first = sse(0, "/sse?topic=" + a + "&topic=" + b);
    JsonObject subscribedA = first.next("subscribed").json();
    String epoch = subscribedA.getJsonObject("position").getString("epoch");
    assertThat(offset(subscribedA)).isEqualTo(-1);
    assertThat(subscribedA.containsKey("recovered")).isFalse();
    SseProbe.Event subscribedB = first.next("subscribed");
    assertThat(subscribedB.id()).isEqualTo(epoch + ";" + a + ":-1;" + b + ":-1");

    Checkpoint published = ctx.checkpoint();
    Checkpoint firstFive = ctx.checkpoint(5);
    Checkpoint resumed = ctx.checkpoint();
    Checkpoint againFive = ctx.checkpoint(5);
    first.onMessages(ctx, 5, firstFive, () -> { });
    postInOrder(1, a, "\"a0\"", "\"a1\"", "\"a2\"").compose(acks -> {
      for (int i = 0; i < 3; i++) {
        assertThat(offset(acks.get(i))).isEqualTo(i);
      }
      return postInOrder(1, b, "\"b0\"", "\"b1\"");
    }).onComplete(ctx.succeeding(acks -> ctx.verify(() -> {
      for (int i = 0; i < 2; i++) {
        assertThat(offset(acks.get(i))).isEqualTo(i);
      }
      published.flag();
    })));
    TestContexts.await(ctx, published, firstFive);
    assertThat(first.events()).filteredOn(e -> e.name().equals("message")).allMatch(e -> e.id() != null);
    assertThat(first.lastId()).isEqualTo(epoch + ";" + a + ":2;" + b + ":1");
    String lastId = first.lastId();
    first.close();

    postInOrder(0, a, "\"a3\"", "\"a4\"", "\"a5\"")
        .compose(acks -> post(0, b, "\"b2\""))
        .compose(ack -> sseAsync(1, "/sse?topic=" + a + "&topic=" + b, Map.of("Last-Event-ID", lastId)))
        .compose(again -> again.nextAsync("subscribed").compose(recoveredA -> {
          assertThat(recoveredA.json().getBoolean("recovered")).isTrue();
          assertThat(offset(recoveredA.json())).isEqualTo(5);
          return again.nextAsync("subscribed");
        }).compose(recoveredB -> {
          assertThat(recoveredB.json().getBoolean("recovered")).isTrue();
          again.onMessages(ctx, 5, againFive, () -> {
            assertThat(again.messages()).filteredOn(m -> m.getString("topic").equals(a))
                .extracting(m -> m.getString("data")).containsExactly("a3", "a4", "a5", "a6");
            assertThat(again.messages()).filteredOn(m -> m.getString("topic").equals(b))
                .extracting(m -> m.getString("data")).containsExactly("b2");
            assertThat(again.lastId()).isEqualTo(epoch + ";" + a + ":6;" + b + ":2");
            assertThat(again.events()).noneMatch(e -> e.name().equals("gap"));
          });
          return post(0, a, "\"a6\"");
        })).onComplete(resumed);
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void lastEventIdParameterResumesAndTheHeaderWinsOverIt(VertxTestContext ctx) throws Throwable {
    String topic = name("hist");
    SseProbe first = sse(0, "/sse?topic=" + topic);
    String start = first.next("subscribed").id();
    Checkpoint published = ctx.checkpoint();
    Checkpoint firstTwo = ctx.checkpoint(2);
    Checkpoint byParamThree = ctx.checkpoint(3);
    Checkpoint byHeaderTwo = ctx.checkpoint(2);
    Checkpoint opened = ctx.checkpoint();
    first.onMessages(ctx, 2, firstTwo, () -> { });
    postInOrder(1, topic, "0", "1").onComplete(published);
    TestContexts.await(ctx, published, firstTwo);
    String afterOne = first.events().get(1).id();
    first.close();

    post(1, topic, "2").compose(ack -> {
      // An application that opens a new EventSource on another node passes the id it last saw.
      Future<SseProbe> byParam = sseAsync(1, "/sse?topic=" + topic + "&lastEventId=" + encode(start), Map.of());
      // EventSource reconnecting to the same URL sends the newer id as a header: it wins over the parameter.
      Future<SseProbe> byHeader = sseAsync(0, "/sse?topic=" + topic + "&lastEventId=" + encode(start),
          Map.of("Last-Event-ID", afterOne));
      return Future.all(resumes(ctx, byParam, byParamThree, 0, 1, 2), resumes(ctx, byHeader, byHeaderTwo, 1, 2));
    }).onComplete(opened);
  }

  /** The stream must say it recovered, then deliver exactly {@code data}, in order, flagging {@code arrived}. */
  static Future<SseProbe.Event> resumes(VertxTestContext ctx, Future<SseProbe> stream, Checkpoint arrived,
                                        Integer... data) {
    return stream.compose(sse -> sse.nextAsync("subscribed").map(subscribed -> {
      assertThat(subscribed.json().getBoolean("recovered")).isTrue();
      sse.onMessages(ctx, data.length, arrived,
          () -> assertThat(sse.messages()).extracting(m -> m.getInteger("data")).containsExactly(data));
      return subscribed;
    }));
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
}
