package dev.switchboard.broker.process;

import dev.switchboard.broker.testing.Probe;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A topic that is both a history and a presence topic, across three launcher processes, when the node that makes the
 * cluster's presence events (the oldest member) is killed with -9 while one of its clients is a member: the next
 * oldest sends that member's {@code leave}, stored among the messages, and a watcher on another node gets messages
 * and events in one order of consecutive offsets, none lost and none twice; a client that recovers from where the
 * watcher started gets the same order.
 */
@ExtendWith(ProcessReaper.class)
class PresenceHistoryFailoverIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TOPIC = "it.ph.room";
  private static final AtomicInteger IDS = new AtomicInteger();

  @Test
  void theLeaveOfAKilledLeadersMemberIsStoredInOrderAndRecovered() {
    try (Probes probes = new Probes();
        ProcessCluster cluster = ProcessCluster.start(3, "--presence", "it.ph.>", "--history", "it.ph.>/1000/5m",
            "--presence-grace-ms", "500", "--failure-detection-ms", "3000")) {
      Probe watcher = probes.connect(cluster.node(1));
      List<JsonObject> seen = entries(watcher);
      long start = request(watcher, "subscribe", ",\"presence_events\":true").getJsonObject("position")
          .getLong("offset");
      Probe member = probes.connect(cluster.node(0));
      request(member, "subscribe", "");
      String memberId = member.sessionId();
      await().atMost(WAIT).until(() -> seen.stream().anyMatch(f -> isEvent(f, "join", memberId)));
      Probe publisher = probes.connect(cluster.node(2));
      publish(publisher, "1");

      assertThat(cluster.node(0).kill()).isNotZero(); // the oldest member: it made the join
      publish(publisher, "2");
      await().atMost(WAIT).until(() -> seen.stream().anyMatch(f -> isEvent(f, "leave", memberId)));
      publish(publisher, "3");
      await().atMost(WAIT).until(() -> seen.stream().anyMatch(f -> "3".equals(Json.encode(f.getValue("data")))));

      List<String> order = summary(seen);
      for (int i = 0; i < seen.size(); i++) {
        assertThat(seen.get(i).getJsonObject("position").getLong("offset")).as(order.toString())
            .isEqualTo(start + 1 + i);
      }
      assertThat(order).filteredOn(s -> s.endsWith(memberId) || s.startsWith("message"))
          .startsWith("join:" + memberId, "message:1").endsWith("message:3")
          .contains("leave:" + memberId, "message:2").hasSize(5);

      String epoch = seen.get(0).getJsonObject("position").getString("epoch");
      Probe late = probes.connect(cluster.node(2));
      List<JsonObject> recovered = entries(late);
      JsonObject subscribed = request(late, "subscribe", ",\"presence_events\":true,\"since\":{\"epoch\":\""
          + epoch + "\",\"offset\":" + start + "}");
      assertThat(subscribed.getBoolean("recovered")).isTrue();
      await().atMost(WAIT).until(() -> recovered.size() >= order.size());
      assertThat(summary(recovered.subList(0, order.size()))).isEqualTo(order);
    }
  }

  /** Publishes {@code data} until acked: a publish during the failover may be refused as unavailable. */
  private static void publish(Probe p, String data) {
    await().atMost(WAIT).until(() -> "ack".equals(request(p, "publish", ",\"data\":" + data).getString("type")));
  }

  /** Every message, join and leave of the topic that {@code p} gets, in order, as they arrive. */
  private static List<JsonObject> entries(Probe p) {
    List<JsonObject> out = new CopyOnWriteArrayList<>();
    p.onFrame(f -> {
      if (TOPIC.equals(f.getString("topic")) && List.of("message", "join", "leave").contains(f.getString("type"))) {
        out.add(f);
      }
    });
    return out;
  }

  private static boolean isEvent(JsonObject frame, String type, String client) {
    return type.equals(frame.getString("type")) && client.equals(frame.getString("client"));
  }

  /** Each entry as {@code "<type>:<data or client>"}. */
  private static List<String> summary(List<JsonObject> frames) {
    return frames.stream().map(f -> f.getString("type") + ":" + ("message".equals(f.getString("type"))
        ? Json.encode(f.getValue("data")) : f.getString("client"))).toList();
  }

  private static JsonObject request(Probe p, String type, String extra) {
    String id = "r" + IDS.incrementAndGet();
    p.send("{\"type\":\"" + type + "\",\"id\":\"" + id + "\",\"topic\":\"" + TOPIC + "\"" + extra + "}");
    return p.nextMatching(f -> id.equals(f.getString("id")));
  }
}
