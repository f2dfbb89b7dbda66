package dev.switchboard.broker;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.ringbuffer.OverflowPolicy;
import dev.switchboard.broker.history.HistoryEntry;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.ServerApiCalls;
import dev.switchboard.broker.testing.SseProbe;
import dev.switchboard.broker.testing.TestCluster;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A topic that is both a history topic and a presence topic, on two real nodes: its {@code join} and {@code leave}
 * are stored among its messages, so every subscriber that asked for them gets one order of messages and events, on
 * either node, live and when recovering; the others, SSE streams and the server API's history see the messages alone,
 * at the same offsets; {@code latest} is the last message, not the last event.
 */
class PresenceHistoryTest extends ProbeTest {
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Override
  TestCluster startCluster() {
    return TestCluster.of(2, o -> {
      ServerApiCalls.on().accept(o);
      o.history(List.of(HistoryRule.parse("room.>/1000/5m"))).presence(List.of("room.>")).presenceGraceMs(300);
    });
  }

  @Test
  void everySubscriberThatAskedGetsOneOrderOfMessagesAndEventsAndTheOthersTheMessagesAlone() {
    String topic = "room.order";
    Probe w0 = probe(0);
    Probe w1 = probe(1);
    Probe quiet = probe(1);
    long start = offset(subscribe(w0, topic, ",\"presence_events\":true"));
    long start1 = offset(subscribe(w1, topic, ",\"presence_events\":true"));
    subscribe(quiet, topic, "");
    List<JsonObject> seen0 = entries(w0, topic);
    List<JsonObject> seen1 = entries(w1, topic);
    List<JsonObject> seenQuiet = entries(quiet, topic);
    SseProbe sse = SseProbe.open(cluster().clients(), cluster().node(0).port(), "/sse?topic=" + topic);
    sse.next("subscribed");

    Probe publisher = probe(0);
    publish(publisher, topic, "1");
    Probe comer = probe(1);
    subscribe(comer, topic, "");
    String comerId = comer.sessionId();
    await(seen0, event("join", comerId));
    publish(publisher, topic, "2");
    comer.close();
    await(seen0, event("leave", comerId));
    publish(publisher, topic, "3");
    await(seen0, message("3"));
    await(seen1, message("3"));
    await(seenQuiet, message("3"));

    // One order for both: the joins of those subscribed first, then 1, comer's join, 2, its leave, 3; no gap.
    List<String> before = summary(seen0); // all of it: nothing comes after 3 until the late ones below join
    assertThat(summary(seen1)).isEqualTo(before.subList((int) (start1 - start), before.size()));
    for (int i = 0; i < seen0.size(); i++) {
      assertThat(offset(seen0.get(i))).isEqualTo(start + 1 + i);
    }
    List<String> order = summary(seen0).stream().filter(s -> s.contains(" message:") || s.endsWith(comerId)).toList();
    assertThat(order).extracting(s -> s.substring(s.indexOf(' ') + 1))
        .containsExactly("message:1", "join:" + comerId, "message:2", "leave:" + comerId, "message:3");

    // The others: the messages alone, at the same offsets.
    List<Long> messageOffsets = seen0.stream().filter(f -> "message".equals(f.getString("type")))
        .map(PresenceHistoryTest::offset).toList();
    assertThat(seenQuiet).allMatch(f -> "message".equals(f.getString("type")));
    assertThat(seenQuiet.stream().map(PresenceHistoryTest::offset).toList()).isEqualTo(messageOffsets);
    List<SseProbe.Event> streamed = List.of(sse.next("message"), sse.next("message"), sse.next("message"));
    assertThat(streamed).extracting(e -> e.json().getJsonObject("position").getLong("offset"))
        .isEqualTo(messageOffsets);
    sse.close();
    JsonObject page = new JsonObject(ServerApiCalls.to(cluster().node(1).port())
        .get("/history?order=oldest&topic=" + topic).body());
    JsonArray stored = page.getJsonArray("messages");
    assertThat(stored.stream().map(m -> ((JsonObject) m).getJsonObject("position").getLong("offset")).toList())
        .isEqualTo(messageOffsets);
    assertThat(stored.stream().map(m -> ((JsonObject) m).getValue("data")).toList()).containsExactly(1, 2, 3);

    // Recovering from where the watchers started: the same order again; without events, the same messages.
    String epoch = seen0.get(0).getJsonObject("position").getString("epoch");
    String since = ",\"since\":{\"epoch\":\"" + epoch + "\",\"offset\":" + start + "}";
    Probe late = probe(1);
    Probe lateQuiet = probe(0);
    List<JsonObject> recovered = entries(late, topic);
    List<JsonObject> recoveredQuiet = entries(lateQuiet, topic);
    assertThat(subscribe(late, topic, since + ",\"presence_events\":true").getBoolean("recovered")).isTrue();
    assertThat(subscribe(lateQuiet, topic, since).getBoolean("recovered")).isTrue();
    Awaitility.await().atMost(WAIT).until(() -> recovered.size() >= before.size());
    assertThat(summary(recovered.subList(0, before.size()))).isEqualTo(before);
    await(recoveredQuiet, message("3"));
    assertThat(recoveredQuiet.stream().map(PresenceHistoryTest::offset).toList()).isEqualTo(messageOffsets);
  }

  @Test
  void latestIsTheLastMessageEvenWhenEventsCameAfterIt() {
    String topic = "room.latest";
    Probe watcher = probe(0);
    subscribe(watcher, topic, ",\"presence_events\":true");
    List<JsonObject> seen = entries(watcher, topic);
    publish(probe(1), topic, "\"last\"");
    Probe comer = probe(1);
    subscribe(comer, topic, "");
    await(seen, event("join", comer.sessionId()));

    Probe plain = probe(1);
    List<JsonObject> plainSeen = entries(plain, topic);
    JsonObject started = subscribe(plain, topic, ",\"latest\":true");
    await(plainSeen, message("\"last\""));
    assertThat(offset(started)).as("subscribed at the last message").isEqualTo(offset(plainSeen.get(0)));
    Probe withEvents = probe(0);
    List<JsonObject> withEventsSeen = entries(withEvents, topic);
    subscribe(withEvents, topic, ",\"latest\":true,\"presence_events\":true");
    await(withEventsSeen, event("join", comer.sessionId()));
    assertThat(summary(withEventsSeen).subList(0, 2)).extracting(s -> s.substring(s.indexOf(' ') + 1))
        .containsExactly("message:\"last\"", "join:" + comer.sessionId());
    assertThat(plainSeen).allMatch(f -> "message".equals(f.getString("type")));
  }

  @Test
  void aSubscriptionThatAsksAgainWithEventsGetsThemFromThenOnInOrder() {
    String topic = "room.again";
    Probe quiet = probe(0);
    List<JsonObject> seen = entries(quiet, topic);
    subscribe(quiet, topic, "");
    Probe publisher = probe(1);
    publish(publisher, topic, "\"a\"");
    await(seen, message("\"a\""));
    subscribe(quiet, topic, ",\"presence_events\":true");
    Probe comer = probe(1);
    subscribe(comer, topic, "");
    await(seen, event("join", comer.sessionId()));
    publish(publisher, topic, "\"b\"");
    await(seen, message("\"b\""));

    assertThat(summary(seen)).filteredOn(s -> s.contains(" message:") || s.endsWith(comer.sessionId()))
        .extracting(s -> s.substring(s.indexOf(' ') + 1))
        .containsExactly("message:\"a\"", "join:" + comer.sessionId(), "message:\"b\"");
    List<Long> offsets = seen.stream().map(PresenceHistoryTest::offset).toList();
    assertThat(offsets).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void anEventStoredWhoseLiveCopyNeverCameIsFilledInFromTheStore() throws Exception {
    String topic = "room.gap";
    Probe withEvents = probe(1);
    List<JsonObject> seen = entries(withEvents, topic);
    subscribe(withEvents, topic, ",\"presence_events\":true");
    Probe plain = probe(1);
    List<JsonObject> plainSeen = entries(plain, topic);
    subscribe(plain, topic, "");
    // As the oldest member leaves it if it dies between storing an event and sending it: stored, never sent.
    HazelcastInstance hazelcast = cluster().node(0).clusterManager().getHazelcastInstance();
    long stored = hazelcast.<byte[]>getRingbuffer("sbh0." + topic).addAsync(HistoryEntry.event(
        "{\"type\":\"join\",\"user\":\"ghost\",\"client\":\"ghost-1\",\"node\":\"gone\",\"info\":null}",
        System.currentTimeMillis()), OverflowPolicy.OVERWRITE).toCompletableFuture().get();
    publish(probe(0), topic, "\"after\"");
    await(seen, message("\"after\""));
    await(plainSeen, message("\"after\""));

    JsonObject ghost = seen.stream().filter(event("join", "ghost-1")).findFirst().orElseThrow();
    assertThat(offset(ghost)).isEqualTo(stored);
    assertThat(ghost.getString("topic")).isEqualTo(topic);
    assertThat(ghost.getString("user")).isEqualTo("ghost");
    assertThat(ghost.getString("node")).isEqualTo("gone");
    assertThat(seen.stream().map(PresenceHistoryTest::offset).toList()).isSorted().doesNotHaveDuplicates();
    assertThat(plainSeen).allMatch(f -> "message".equals(f.getString("type")));
  }

  private static JsonObject subscribe(Probe p, String topic, String extra) {
    String id = "s" + IDS.incrementAndGet();
    p.send("{\"type\":\"subscribe\",\"id\":\"" + id + "\",\"topic\":\"" + topic + "\"" + extra + "}");
    JsonObject answer = p.nextMatching(f -> id.equals(f.getString("id")));
    assertThat(answer.getString("type")).isEqualTo("subscribed");
    return answer;
  }

  private static void publish(Probe p, String topic, String data) {
    String id = "p" + IDS.incrementAndGet();
    p.send("{\"type\":\"publish\",\"id\":\"" + id + "\",\"topic\":\"" + topic + "\",\"data\":" + data + "}");
    assertThat(p.nextMatching(f -> id.equals(f.getString("id"))).getString("type")).isEqualTo("ack");
  }

  /** Every message, join and leave of {@code topic} that {@code p} gets, in order, as they arrive. */
  private static List<JsonObject> entries(Probe p, String topic) {
    List<JsonObject> out = new CopyOnWriteArrayList<>();
    p.onFrame(f -> {
      if (topic.equals(f.getString("topic")) && List.of("message", "join", "leave").contains(f.getString("type"))) {
        out.add(f);
      }
    });
    return out;
  }

  private static void await(List<JsonObject> frames, Predicate<JsonObject> match) {
    Awaitility.await().atMost(WAIT).until(() -> frames.stream().anyMatch(match));
  }

  private static Predicate<JsonObject> event(String type, String client) {
    return f -> type.equals(f.getString("type")) && client.equals(f.getString("client"));
  }

  private static Predicate<JsonObject> message(String data) {
    return f -> "message".equals(f.getString("type")) && data.equals(Json.encode(f.getValue("data")));
  }

  /** Each entry as {@code "<offset> <type>:<data or client>"}. */
  private static List<String> summary(List<JsonObject> frames) {
    return frames.stream().map(f -> offset(f) + " " + f.getString("type") + ":"
        + ("message".equals(f.getString("type")) ? Json.encode(f.getValue("data"))
        : f.getString("client"))).toList();
  }

  private static long offset(JsonObject frame) {
    return frame.getJsonObject("position").getLong("offset");
  }
}
