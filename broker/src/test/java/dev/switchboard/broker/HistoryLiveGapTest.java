package dev.switchboard.broker;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.ringbuffer.Ringbuffer;
import dev.switchboard.broker.history.HistoryEntry;
import dev.switchboard.broker.routing.Hub;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.protocol.CloseCode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live path of history topics where it can fail, on two real nodes. A history message is stored, then its node
 * publishes a copy with its offset over the event bus; the tests store messages straight into the topic's Hazelcast
 * ringbuffer, as a publishing node that died between the two steps leaves them: stored, with no copy ever sent.
 * Every live subscriber must still get every message once, in offset order: when a later copy shows the gap, and when
 * no later message comes at all. A store lost and started again below the offsets already handed out closes the live
 * subscribers with {@code missed_messages}, and recovering from the old position says {@code recovered: false}.
 */
class HistoryLiveGapTest extends ProbeTest {
  static final AtomicInteger topics = new AtomicInteger();

  @Override
  TestCluster startCluster() {
    return TestCluster.of(2, o -> o.history(HistoryRule.parseList("gap.>/100/5m")));
  }

  static String topic() {
    return "gap.t" + topics.incrementAndGet();
  }

  /** The topic's store, as the nodes name it (the first history rule: {@code sbh0.}). */
  Ringbuffer<byte[]> store(String topic) {
    HazelcastInstance hazelcast = cluster().node(0).clusterManager().getHazelcastInstance();
    return hazelcast.getRingbuffer("sbh0." + topic);
  }

  /** Stores a message the way a node does, without its live copy. */
  long storeOnly(String topic, int data) throws Exception {
    return store(topic).addAsync(HistoryEntry.of(Integer.toString(data), System.currentTimeMillis()),
        com.hazelcast.ringbuffer.OverflowPolicy.OVERWRITE).toCompletableFuture().get();
  }

  /** Subscribes a probe on each node; returns them. */
  List<Probe> subscribers(String topic) {
    List<Probe> subs = List.of(probe(0), probe(1));
    for (Probe sub : subs) {
      HistoryTest.subscribe(sub, topic, "");
    }
    return subs;
  }

  static void expectOffsets(Probe sub, long from, long to) {
    for (long offset = from; offset <= to; offset++) {
      JsonObject message = sub.next("message");
      assertThat(message.getJsonObject("position").getLong("offset")).isEqualTo(offset);
      assertThat(message.getInteger("data")).isEqualTo((int) offset);
    }
  }

  @Test
  void aStoredMessageWhoseCopyNeverCameIsFilledInWhenALaterOneArrives() throws Exception {
    String topic = topic();
    List<Probe> subs = subscribers(topic);
    Probe pub = probe(0);
    HistoryTest.publish(pub, topic, 0);
    assertThat(storeOnly(topic, 1)).isEqualTo(1L);
    assertThat(storeOnly(topic, 2)).isEqualTo(2L);
    HistoryTest.publish(pub, topic, 3);
    for (Probe sub : subs) {
      expectOffsets(sub, 0, 3);
      assertThat(sub.nothingNew()).isTrue();
    }
  }

  @Test
  void aLastStoredMessageWhoseCopyNeverCameStillReachesEveryLiveSubscriber() throws Exception {
    String topic = topic();
    List<Probe> subs = subscribers(topic);
    HistoryTest.publish(probe(1), topic, 0);
    assertThat(storeOnly(topic, 1)).isEqualTo(1L);
    for (Probe sub : subs) {
      // No later publish shows the gap: the topic's quiet check reads the store.
      expectOffsets(sub, 0, 1);
    }
    // Quiet checks that find nothing new close no one: a live subscriber stays open through several of them.
    await().during(Duration.ofMillis(3 * Hub.FEED_TICK_MS)).atMost(Duration.ofSeconds(10))
        .until(() -> subs.stream().allMatch(sub -> sub.closeCode() == null));
    HistoryTest.publish(probe(0), topic, 2);
    for (Probe sub : subs) {
      expectOffsets(sub, 2, 2);
      assertThat(sub.nothingNew()).isTrue();
    }
  }

  @Test
  void aStoreLostAndStartedAgainClosesLiveSubscribersAndRecoveryReportsTheLoss() {
    String topic = topic();
    List<Probe> subs = subscribers(topic);
    Probe pub = probe(0);
    for (int i = 0; i < 3; i++) {
      HistoryTest.publish(pub, topic, i);
    }
    List<JsonObject> seen = new ArrayList<>();
    for (Probe sub : subs) {
      expectOffsets(sub, 0, 1);
      seen.add(sub.next("message").getJsonObject("position"));
    }
    // Every copy of the store gone at once (more members died than it has backups): it starts again from 0.
    store(topic).destroy();
    HistoryTest.publish(pub, topic, 100);
    for (Probe sub : subs) {
      assertThat(sub.awaitClose()).isEqualTo((short) CloseCode.MISSED_MESSAGES.code());
    }
    Probe back = probe(1);
    JsonObject subscribed = HistoryTest.subscribe(back, topic, HistoryTest.since(seen.get(1)));
    assertThat(subscribed.getBoolean("recovered")).isFalse();
    HistoryTest.publish(pub, topic, 101);
    JsonObject live = back.next("message");
    assertThat(live.getInteger("data")).isEqualTo(101);
    assertThat(live.getJsonObject("position").getLong("offset")).isEqualTo(1L);
  }
}
