package dev.switchboard.broker;

import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * History topics over the wire, on three real nodes: positions assigned once for the cluster, one order for every
 * subscriber, recovery with {@code since}, the window's edge, {@code latest}. Bursts are counted with checkpoints as
 * their frames arrive; exchanges of one request and its reply go step by step.
 */
@ExtendWith(VertxExtension.class)
class HistoryTest extends ProbeTest {
  static final AtomicInteger topics = new AtomicInteger();

  @Override
  TestCluster startCluster() {
    return TestCluster.of(3, o -> o.history(HistoryRule.parseList("hist.>/1000/5m,small.>/5/5m")));
  }

  static String topic(String root) {
    return root + ".t" + topics.incrementAndGet();
  }

  static JsonObject subscribe(Probe p, String topic, String extra) {
    return p.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"" + topic + "\"" + extra + "}").next("subscribed");
  }

  static void publish(Probe p, String topic, Object data) {
    p.send("{\"type\":\"publish\",\"id\":\"p\",\"topic\":\"" + topic + "\",\"data\":" + data + "}").next("ack");
  }

  static String since(JsonObject position) {
    return ",\"since\":" + position.encode();
  }

  @Test
  void messagesCarryConsecutiveOffsetsAndSubscribedCarriesTheCurrentPosition() {
    String topic = topic("hist");
    Probe sub = probe(0);
    JsonObject subscribed = subscribe(sub, topic, "");
    assertThat(subscribed.getJsonObject("position").getLong("offset")).isEqualTo(-1L);
    assertThat(subscribed.containsKey("recovered")).isFalse();
    String epoch = subscribed.getJsonObject("position").getString("epoch");
    Probe pub = probe(1);
    for (int i = 0; i < 3; i++) {
      publish(pub, topic, i);
    }
    for (int i = 0; i < 3; i++) {
      JsonObject m = sub.next("message");
      assertThat(m.getInteger("data")).isEqualTo(i);
      assertThat(m.getJsonObject("position")).isEqualTo(new JsonObject().put("epoch", epoch).put("offset", i));
    }
    JsonObject later = subscribe(probe(2), topic, "");
    assertThat(later.getJsonObject("position")).isEqualTo(new JsonObject().put("epoch", epoch).put("offset", 2));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void everySubscriberSeesTheSameOrderWhilePublishersOnTwoNodesPublishAtOnce(VertxTestContext ctx) {
    String topic = topic("hist");
    List<Probe> subs = List.of(probe(0), probe(1), probe(2));
    subs.forEach(s -> subscribe(s, topic, ""));
    Probe a = probe(0);
    Probe b = probe(1);
    int each = 100;
    Checkpoint written = ctx.checkpoint(2 * each);
    Checkpoint delivered = ctx.checkpoint(subs.size() * 2 * each);
    Checkpoint sameOrder = ctx.checkpoint();
    List<Future<List<String>>> seen = new ArrayList<>();
    for (Probe s : subs) {
      Promise<List<String>> whole = Promise.promise();
      seen.add(whole.future());
      List<String> order = new CopyOnWriteArrayList<>();
      s.onFrame(m -> {
        if ("message".equals(m.getString("type"))) {
          ctx.verify(() -> assertThat(m.getJsonObject("position").getLong("offset")).isEqualTo((long) order.size()));
          order.add(m.getString("data"));
          if (order.size() == 2 * each) {
            whole.complete(order);
          }
          delivered.flag();
        }
      });
    }
    String publish = "{\"type\":\"publish\",\"topic\":\"" + topic + "\",\"data\":\"";
    for (int i = 0; i < each; i++) {
      a.ws.writeTextMessage(publish + "a" + i + "\"}").onComplete(written);
      b.ws.writeTextMessage(publish + "b" + i + "\"}").onComplete(written);
    }
    Future.all(seen).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      List<List<String>> orders = all.list();
      assertThat(orders.get(1)).isEqualTo(orders.get(0));
      assertThat(orders.get(2)).isEqualTo(orders.get(0));
      assertThat(orders.get(0)).filteredOn(d -> d.startsWith("a")).isSortedAccordingTo(HistoryTest::bySuffix);
      assertThat(orders.get(0)).filteredOn(d -> d.startsWith("b")).isSortedAccordingTo(HistoryTest::bySuffix);
      sameOrder.flag();
    })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void oneConnectionsMessagesGetOffsetsInPublishOrder(VertxTestContext ctx) {
    String topic = topic("hist");
    Probe sub = probe(0);
    subscribe(sub, topic, "");
    Probe pub = probe(1);
    int count = 300;
    Checkpoint written = ctx.checkpoint(count);
    Checkpoint acked = ctx.checkpoint(count);
    Checkpoint delivered = ctx.checkpoint(count);
    AtomicInteger acks = new AtomicInteger();
    pub.onFrame(f -> {
      if ("ack".equals(f.getString("type"))) {
        ctx.verify(() -> assertThat(f.getString("id")).isEqualTo("p" + acks.getAndIncrement()));
        acked.flag();
      }
    });
    AtomicInteger messages = new AtomicInteger();
    sub.onFrame(m -> {
      if ("message".equals(m.getString("type"))) {
        int i = messages.getAndIncrement();
        ctx.verify(() -> {
          assertThat(m.getInteger("data")).isEqualTo(i);
          assertThat(m.getJsonObject("position").getLong("offset")).isEqualTo((long) i);
        });
        delivered.flag();
      }
    });
    for (int i = 0; i < count; i++) {
      pub.ws.writeTextMessage("{\"type\":\"publish\",\"id\":\"p" + i + "\",\"topic\":\"" + topic + "\",\"data\":"
          + i + "}").onComplete(written);
    }
  }

  @Test
  void sinceRecoversWhatWasMissedOnAnotherNodeThenGoesLiveWithoutGapOrDuplicate() {
    String topic = topic("hist");
    Probe pub = probe(2);
    Probe first = probe(0);
    subscribe(first, topic, "");
    publish(pub, topic, 0);
    publish(pub, topic, 1);
    first.next("message");
    JsonObject seen = first.next("message").getJsonObject("position");
    first.close();
    for (int i = 2; i < 6; i++) {
      publish(pub, topic, i);
    }

    Probe again = probe(1);
    JsonObject subscribed = subscribe(again, topic, since(seen));
    assertThat(subscribed.getBoolean("recovered")).isTrue();
    assertThat(subscribed.getJsonObject("position").getLong("offset")).isEqualTo(5L);
    publish(pub, topic, 6);
    for (int i = 2; i <= 6; i++) {
      JsonObject m = again.next("message");
      assertThat(m.getInteger("data")).isEqualTo(i);
      assertThat(m.getJsonObject("position").getLong("offset")).isEqualTo((long) i);
    }
    publish(pub, topic, 7);
    assertThat(again.next("message").getInteger("data")).isEqualTo(7);
  }

  @Test
  void beyondTheWindowOrFromAnotherEpochRecoveryFails() {
    String topic = topic("small");
    Probe pub = probe(0);
    Probe sub = probe(1);
    String epoch = subscribe(sub, topic, "").getJsonObject("position").getString("epoch");
    publish(pub, topic, 0);
    JsonObject seen = sub.next("message").getJsonObject("position");
    sub.close();
    for (int i = 1; i <= 10; i++) {
      publish(pub, topic, i);
    }

    Probe late = probe(2);
    JsonObject subscribed = subscribe(late, topic, since(seen));
    assertThat(subscribed.getBoolean("recovered")).isFalse();
    assertThat(subscribed.getJsonObject("position").getLong("offset")).isEqualTo(10L);
    publish(pub, topic, 11);
    JsonObject live = late.next("message");
    assertThat(live.getInteger("data")).isEqualTo(11);
    assertThat(late.nothingNew()).isTrue();

    JsonObject otherEpoch = new JsonObject().put("epoch", epoch + "x").put("offset", 10);
    assertThat(subscribe(probe(0), topic, since(otherEpoch)).getBoolean("recovered")).isFalse();
    JsonObject ahead = new JsonObject().put("epoch", epoch).put("offset", 99);
    assertThat(subscribe(probe(0), topic, since(ahead)).getBoolean("recovered")).isFalse();
    JsonObject current = new JsonObject().put("epoch", epoch).put("offset", 11);
    assertThat(subscribe(probe(0), topic, since(current)).getBoolean("recovered")).isTrue();
  }

  @Test
  void latestDeliversTheLastStoredMessageFirst() {
    String topic = topic("hist");
    Probe pub = probe(0);
    JsonObject empty = subscribe(probe(1), topic, ",\"latest\":true");
    assertThat(empty.getJsonObject("position").getLong("offset")).isEqualTo(-1L);
    publish(pub, topic, "\"old\"");
    publish(pub, topic, "\"current\"");

    Probe sub = probe(2);
    subscribe(sub, topic, ",\"latest\":true");
    JsonObject m = sub.next("message");
    assertThat(m.getString("data")).isEqualTo("current");
    assertThat(m.getJsonObject("position").getLong("offset")).isEqualTo(1L);
    publish(pub, topic, "\"next\"");
    assertThat(sub.next("message").getString("data")).isEqualTo("next");
  }

  @Test
  void plainTopicsAndPatternsDoNotRecoverAndPatternsSeePositions() {
    Probe sub = probe(0);
    String epoch = subscribe(sub, topic("hist"), "").getJsonObject("position").getString("epoch");
    JsonObject since = new JsonObject().put("epoch", epoch).put("offset", 0);
    JsonObject plain = subscribe(sub, topic("plain"), since(since));
    assertThat(plain.getBoolean("recovered")).isFalse();
    assertThat(plain.containsKey("position")).isFalse();

    String topic = topic("hist");
    String pattern = topic.substring(0, topic.lastIndexOf('.')) + ".*";
    Probe patterned = probe(1);
    assertThat(subscribe(patterned, pattern, since(since)).getBoolean("recovered")).isFalse();
    publish(probe(2), topic, 5);
    JsonObject m = patterned.nextMatching(f -> "message".equals(f.getString("type")) && topic.equals(f.getString("topic")));
    assertThat(m.getString("pattern")).isEqualTo(pattern);
    assertThat(m.getJsonObject("position")).isEqualTo(new JsonObject().put("epoch", epoch).put("offset", 0));
  }

  @Test
  void aMalformedSinceIsRefusedAndTheConnectionStaysUsable() {
    Probe p = probe(0);
    String topic = topic("hist");
    for (String since : List.of("5", "{\"epoch\":1,\"offset\":2}", "{\"epoch\":\"e\"}", "{\"epoch\":\"e\",\"offset\":-2}",
        "{\"epoch\":\"e\",\"offset\":1.5}")) {
      JsonObject error = p.send("{\"type\":\"subscribe\",\"id\":\"x\",\"topic\":\"" + topic + "\",\"since\":" + since + "}")
          .next("error");
      assertThat(error.getString("code")).as(since).isEqualTo("invalid_field");
    }
    assertThat(p.send("{\"type\":\"subscribe\",\"id\":\"x\",\"topic\":\"" + topic + "\",\"latest\":1}").next("error")
        .getString("code")).isEqualTo("invalid_field");
    subscribe(p, topic, "");
  }

  private static int bySuffix(String a, String b) {
    return Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1)));
  }
}
