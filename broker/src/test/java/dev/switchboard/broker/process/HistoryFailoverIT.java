package dev.switchboard.broker.process;

import dev.switchboard.broker.testing.Ports;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Position;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.Switchboard;
import dev.switchboard.client.SwitchboardClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * History topics across the death of a node, with real launcher processes: kill -9 loses no acked message and
 * every subscriber ends with the same messages in the same order; a cluster restarted from nothing has a new epoch,
 * which a recovering client is told about.
 */
@ExtendWith(ProcessReaper.class)
class HistoryFailoverIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TOPIC = "it.hist.room";
  private static final String[] HISTORY = {"--history", "it.hist.>/100000/10m"};

  /** What one subscriber received, in order, and whether it was ever told of a gap. */
  private static final class Received {
    final List<String> data = new CopyOnWriteArrayList<>();
    final List<Long> offsets = new CopyOnWriteArrayList<>();
    final List<Position> gaps = new CopyOnWriteArrayList<>();
  }

  @Test
  void killingANodeLosesNoAckedMessageAndEverySubscriberSeesOneOrder() throws Exception {
    List<SwitchboardClient> clients = new ArrayList<>();
    try (ProcessCluster cluster = ProcessCluster.start(3, HISTORY)) {
      List<String> urls = cluster.urls();
      List<Received> subscribers = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        int home = i % 3;
        SwitchboardClient c = connect(urls.get(home), urls.get((home + 1) % 3), urls.get((home + 2) % 3));
        clients.add(c);
        Received r = new Received();
        subscribers.add(r);
        c.subscribe(TOPIC, SubscribeOptions.builder().gapListener((s, seen, after) -> r.gaps.add(seen)).build(),
            m -> {
              r.data.add((String) m.data());
              r.offsets.add(m.position().offset());
            }).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      Set<String> acked = ConcurrentHashMap.newKeySet();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> publishers = new ArrayList<>();
      for (int p = 1; p <= 2; p++) {
        SwitchboardClient c = connect(urls.get(p), urls.get(3 - p));
        clients.add(c);
        String name = "p" + p;
        Thread t = new Thread(() -> publish(c, name, acked, stop), "publisher-" + name);
        t.start();
        publishers.add(t);
      }

      await().atMost(WAIT).until(() -> acked.size() >= 100);
      assertThat(cluster.node(0).kill()).isNotZero();
      int ackedAtKill = acked.size();
      await().atMost(WAIT).until(() -> acked.size() >= ackedAtKill + 100);
      stop.set(true);
      for (Thread t : publishers) {
        t.join(WAIT.toMillis());
      }

      for (Received r : subscribers) {
        await().atMost(WAIT).until(() -> r.data.containsAll(acked));
      }
      Received first = subscribers.get(0);
      await().atMost(WAIT).until(() -> subscribers.stream().allMatch(r -> r.data.size() == first.data.size()));
      for (Received r : subscribers) {
        assertThat(r.gaps).as("gaps").isEmpty();
        assertThat(Set.copyOf(r.data)).as("no duplicate").hasSize(r.data.size());
        assertThat(r.data).as("one order for all").isEqualTo(first.data);
        assertThat(r.offsets).as("consecutive offsets").isEqualTo(
            java.util.stream.LongStream.range(0, r.offsets.size()).boxed().toList());
      }
    } finally {
      clients.forEach(SwitchboardClient::close);
    }
  }

  @Test
  void aClusterStartedAgainHasANewEpochAndARecoveringClientIsToldItMissedMessages() throws Exception {
    int portA = Ports.free();
    int portB = Ports.free();
    String urlA = "ws://127.0.0.1:" + portA + "/ws";
    String urlB = "ws://127.0.0.1:" + portB + "/ws";
    NodeProcess a = NodeProcess.start("epoch-a", "epoch-" + UUID.randomUUID(), Ports.free(), List.of(),
        with(HISTORY, "--port", String.valueOf(portA)));
    Received r = new Received();
    Map<String, Position> lastPosition = new LinkedHashMap<>();
    try (SwitchboardClient c = connect(urlA, urlB)) {
      c.subscribe(TOPIC, SubscribeOptions.builder().gapListener((s, seen, after) -> r.gaps.add(seen)).build(), m -> {
        r.data.add((String) m.data());
        lastPosition.put("last", m.position());
      }).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      c.publish(TOPIC, "before").toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> r.data.contains("before"));

      a.kill();
      NodeProcess b = NodeProcess.start("epoch-b", "epoch-" + UUID.randomUUID(), Ports.free(), List.of(),
          with(HISTORY, "--port", String.valueOf(portB)));
      try {
        await().atMost(WAIT).until(() -> !r.gaps.isEmpty());
        assertThat(r.gaps.get(0)).isEqualTo(lastPosition.get("last"));
        c.publish(TOPIC, "after").toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> r.data.contains("after"));
        assertThat(lastPosition.get("last").epoch()).isNotEqualTo(r.gaps.get(0).epoch());
      } finally {
        b.stop();
      }
    }
  }

  private static void publish(SwitchboardClient c, String name, Set<String> acked, AtomicBoolean stop) {
    for (int i = 0; i < 100_000 && !stop.get(); i++) {
      String data = name + "-" + i;
      try {
        c.publish(TOPIC, data).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        acked.add(data);
      } catch (Exception e) {
        // Not acked (the node died under it, or the store was busy moving): it may or may not be stored.
      }
    }
  }

  private static SwitchboardClient connect(String... urls) {
    return Switchboard.connect(ClientOptions.builder().servers(urls).reconnectDelayMax(Duration.ofMillis(500)).build());
  }

  private static String[] with(String[] first, String... more) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }
}
