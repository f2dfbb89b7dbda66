package dev.switchboard.broker;

import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Presence across real clustered nodes: members that join on any node are listed and counted on every node, leave
 * when they unsubscribe or close, and go with their node; counts are exact after churn; bad requests get their codes.
 */
class PresenceTest extends ProbeTest {
  private static final AtomicInteger IDS = new AtomicInteger();

  @Override
  TestCluster startCluster() {
    return TestCluster.of(2, o -> o.presence(List.of("room.>")));
  }

  static JsonObject request(Probe p, String type, String topic, String extra) {
    String id = "q" + IDS.incrementAndGet();
    p.send("{\"type\":\"" + type + "\",\"id\":\"" + id + "\",\"topic\":\"" + topic + "\"" + extra + "}");
    return p.nextMatching(f -> id.equals(f.getString("id")));
  }

  static JsonObject stats(Probe p, String topic) {
    return request(p, "presence_stats", topic, "");
  }

  static Probe join(Probe p, String topic, String info) {
    String id = "s" + IDS.incrementAndGet();
    p.send("{\"type\":\"subscribe\",\"id\":\"" + id + "\",\"topic\":\"" + topic + "\""
        + (info == null ? "" : ",\"info\":" + info) + "}");
    JsonObject answer = p.nextMatching(f -> id.equals(f.getString("id")));
    assertThat(answer.getString("type")).isEqualTo("subscribed");
    return p;
  }

  /** Waits until both nodes count {@code clients} clients in {@code topic}. */
  void awaitCount(Probe[] askers, String topic, int clients) {
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
      for (Probe asker : askers) {
        assertThat(stats(asker, topic).getInteger("clients")).isEqualTo(clients);
      }
    });
  }

  @Test
  void membersJoiningOnEveryNodeAreSeenFromEveryNode() {
    Probe[] askers = {probe(0), probe(1)};
    List<String> sessions = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Probe p = join(probe(i % 2), "room.seen", "{\"name\":\"n" + i + "\"}");
      sessions.add(p.sessionId());
    }
    awaitCount(askers, "room.seen", 5);
    for (int node = 0; node < 2; node++) {
      JsonObject page = request(askers[node], "presence", "room.seen", "");
      assertThat(page.getString("type")).isEqualTo("presence");
      JsonArray members = page.getJsonArray("members");
      Set<String> clients = new HashSet<>();
      Set<String> names = new HashSet<>();
      for (int i = 0; i < members.size(); i++) {
        JsonObject m = members.getJsonObject(i);
        clients.add(m.getString("client"));
        names.add(m.getJsonObject("info").getString("name"));
        assertThat(m.getString("node")).isEqualTo(cluster().node(sessions.indexOf(m.getString("client")) % 2)
            .nodeId());
        assertThat(m.getValue("user")).isNull();
      }
      assertThat(clients).containsExactlyInAnyOrderElementsOf(sessions);
      assertThat(names).containsExactlyInAnyOrder("n0", "n1", "n2", "n3", "n4");
      assertThat(page.getValue("next")).isNull();
      assertThat(stats(askers[node], "room.seen").getInteger("users")).isEqualTo(5);
    }
  }

  @Test
  void pagesWalkEveryMemberOnce() {
    Probe asker = probe(1);
    for (int i = 0; i < 7; i++) {
      join(probe(i % 2), "room.pages", null);
    }
    awaitCount(new Probe[] {asker}, "room.pages", 7);
    List<String> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      JsonObject page = request(asker, "presence", "room.pages",
          ",\"limit\":3" + (after == null ? "" : ",\"after\":\"" + after + "\""));
      page.getJsonArray("members").forEach(m -> seen.add(((JsonObject) m).getString("client")));
      after = page.getString("next");
      pages++;
    } while (after != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(7).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void membersLeaveWhenTheyUnsubscribeOrClose() {
    Probe[] askers = {probe(0), probe(1)};
    Probe leaving = join(probe(0), "room.leave", null);
    Probe closing = join(probe(1), "room.leave", null);
    join(probe(1), "room.leave", null);
    awaitCount(askers, "room.leave", 3);
    leaving.send("{\"type\":\"unsubscribe\",\"topic\":\"room.leave\"}");
    awaitCount(askers, "room.leave", 2);
    closing.close();
    awaitCount(askers, "room.leave", 1);
  }

  @Test
  void aNodeThatLeavesTakesItsMembersWithIt() {
    Probe asker = probe(0);
    SwitchboardNode third = cluster().add(o -> o.presence(List.of("room.>")));
    cluster().awaitMembers();
    join(Probe.connect(cluster().clients(), third.port()).answerPings(true), "room.third", null);
    join(Probe.connect(cluster().clients(), third.port()).answerPings(true), "room.third", null);
    join(probe(1), "room.third", null);
    awaitCount(new Probe[] {asker}, "room.third", 3);
    cluster().stop(2);
    awaitCount(new Probe[] {asker}, "room.third", 1);
  }

  @Test
  void countsAreExactAfterChurn() {
    Probe[] askers = {probe(0), probe(1)};
    List<Probe> stay = new ArrayList<>();
    for (int round = 0; round < 10; round++) {
      List<Probe> passing = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Probe p = join(probe(i % 2), "room.churn", null);
        if (i < 4) {
          passing.add(p);
        } else {
          stay.add(p);
        }
      }
      for (int i = 0; i < passing.size(); i++) {
        if (i % 2 == 0) {
          passing.get(i).close();
        } else {
          passing.get(i).send("{\"type\":\"unsubscribe\",\"topic\":\"room.churn\"}");
        }
      }
    }
    awaitCount(askers, "room.churn", stay.size());
    for (Probe asker : askers) {
      assertThat(stats(asker, "room.churn").getInteger("users")).isEqualTo(stay.size());
    }
  }

  @Test
  void badRequestsGetTheirCodes() {
    Probe p = probe(0);
    assertThat(request(p, "presence", "plain.topic", "").getString("code")).isEqualTo("not_enabled");
    assertThat(request(p, "presence_stats", "room.>", "").getString("code")).isEqualTo("invalid_topic");
    assertThat(request(p, "presence", "room.a", ",\"limit\":0").getString("code")).isEqualTo("invalid_field");
    assertThat(request(p, "presence", "room.a", ",\"limit\":1001").getString("code")).isEqualTo("invalid_field");
    assertThat(request(p, "presence", "room.a", ",\"after\":7").getString("code")).isEqualTo("invalid_field");
    String big = "\"" + "x".repeat(1100) + "\"";
    assertThat(request(p, "subscribe", "room.a", ",\"info\":" + big).getString("code")).isEqualTo("invalid_field");
    // The connection goes on.
    assertThat(stats(p, "room.a").getInteger("clients")).isZero();
  }
}
