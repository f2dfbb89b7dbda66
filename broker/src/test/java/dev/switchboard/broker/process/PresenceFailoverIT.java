package dev.switchboard.broker.process;

import dev.switchboard.broker.testing.Probe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Presence across three launcher processes: members joining on every node are seen from every node, kill -9 of
 * a node removes its members from the others within the failure-detection time, and a node cut off (SIGSTOP) and
 * back (a split-brain merge) leaves presence whole again on every node; a leave in its grace when the oldest member
 * (the one that sends events) is killed is sent by the next one.
 */
@ExtendWith(ProcessReaper.class)
class PresenceFailoverIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final long FAILURE_DETECTION_MS = 3000;
  /** Hazelcast's member heartbeat (1 s) and scheduling on a busy 2-core machine, on top of the detection time. */
  private static final long SLACK_MS = 4000;
  private static final String TOPIC = "it.pres.room";
  private static final AtomicInteger IDS = new AtomicInteger();

  @Test
  void everyNodeSeesEveryMemberAndAKilledNodesMembersLeaveWithinTheDetectionTime() {
    try (Probes probes = new Probes();
        ProcessCluster cluster = ProcessCluster.start(3, "--presence", "it.pres.>",
            "--failure-detection-ms", String.valueOf(FAILURE_DETECTION_MS))) {
      Map<String, String> nodeOf = new HashMap<>();
      for (int i = 0; i < 6; i++) {
        NodeProcess node = cluster.node(i % 3);
        Probe p = probes.connect(node);
        request(p, "subscribe", ",\"info\":{\"i\":" + i + "}");
        nodeOf.put(p.sessionId(), node.nodeId());
      }
      List<Probe> askers = new ArrayList<>();
      for (int n = 0; n < 3; n++) {
        Probe asker = probes.connect(cluster.node(n));
        askers.add(asker);
      }
      for (Probe asker : askers) {
        await().atMost(WAIT).until(() -> clients(asker) == 6);
        JsonArray members = request(asker, "presence", "").getJsonArray("members");
        for (int i = 0; i < members.size(); i++) {
          JsonObject m = members.getJsonObject(i);
          assertThat(m.getString("node")).isEqualTo(nodeOf.get(m.getString("client")));
        }
        assertThat(members).hasSize(6);
      }

      long killedAt = System.nanoTime();
      assertThat(cluster.node(0).kill()).isNotZero();
      for (Probe asker : askers.subList(1, 3)) {
        await().atMost(WAIT).until(() -> clients(asker) == 4);
      }
      long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
      assertThat(tookMs).as("members of the killed node gone within the detection time")
          .isLessThan(FAILURE_DETECTION_MS + SLACK_MS);
      JsonArray left = request(askers.get(1), "presence", "").getJsonArray("members");
      for (int i = 0; i < left.size(); i++) {
        assertThat(left.getJsonObject(i).getString("node")).isNotEqualTo(cluster.node(0).nodeId());
      }
    }
  }

  @Test
  void aFrozenNodesMembersLeaveAndAreBackOnEveryNodeOnceItRejoins() {
    try (Probes probes = new Probes();
        ProcessCluster cluster = ProcessCluster.start(3, "--presence", "it.pres.>",
            "--failure-detection-ms", String.valueOf(FAILURE_DETECTION_MS))) {
      List<Probe> askers = new ArrayList<>();
      for (int n = 0; n < 3; n++) {
        for (int i = 0; i < 2; i++) {
          Probe p = probes.connect(cluster.node(n));
          request(p, "subscribe", "");
        }
        Probe asker = probes.connect(cluster.node(n));
        askers.add(asker);
      }
      for (Probe asker : askers) {
        await().atMost(WAIT).until(() -> clients(asker) == 6);
      }
      NodeProcess frozen = cluster.node(2);
      frozen.freeze();
      for (Probe asker : askers.subList(0, 2)) {
        await().atMost(WAIT).until(() -> clients(asker) == 4);
      }
      frozen.thaw();
      // The split-brain merge brings it back; each side then takes a copy of the other's presence.
      for (Probe asker : askers) {
        await().atMost(WAIT).until(() -> clients(asker) == 6);
      }
      JsonArray members = request(askers.get(2), "presence", "").getJsonArray("members");
      assertThat(members.stream().map(m -> ((JsonObject) m).getString("node")).distinct().count()).isEqualTo(3);
    }
  }

  @Test
  void aLeaveInItsGraceWhenTheOldestMemberIsKilledIsSentByTheNextOne() {
    try (Probes probes = new Probes();
        ProcessCluster cluster = ProcessCluster.start(3, "--presence", "it.pres.>", "--presence-grace-ms", "1000",
            "--failure-detection-ms", String.valueOf(FAILURE_DETECTION_MS))) {
      Probe watcher = probes.connect(cluster.node(1));
      request(watcher, "subscribe", ",\"presence_events\":true");
      Probe member = probes.connect(cluster.node(2));
      request(member, "subscribe", "");
      String memberId = member.sessionId();
      watcher.nextMatching(f -> "join".equals(f.getString("type")) && memberId.equals(f.getString("client")));
      member.close();
      // Its leave waits out the grace on every node; the oldest member, which alone sends, dies meanwhile. The leave
      // falls due before the cluster has noticed: the next oldest sends it once it is the oldest.
      assertThat(cluster.node(0).kill()).isNotZero();
      JsonObject leave = watcher.nextMatching(f -> "leave".equals(f.getString("type"))
          && memberId.equals(f.getString("client")));
      assertThat(leave.getString("topic")).isEqualTo(TOPIC);
    }
  }

  private static int clients(Probe asker) {
    return request(asker, "presence_stats", "").getInteger("clients");
  }

  private static JsonObject request(Probe p, String type, String extra) {
    String id = "r" + IDS.incrementAndGet();
    p.send("{\"type\":\"" + type + "\",\"id\":\"" + id + "\",\"topic\":\"" + TOPIC + "\"" + extra + "}");
    JsonObject answer = p.nextMatching(f -> id.equals(f.getString("id")));
    assertThat(answer.getString("type")).isNotEqualTo("error");
    return answer;
  }
}
