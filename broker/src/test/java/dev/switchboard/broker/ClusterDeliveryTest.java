package dev.switchboard.broker;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.client.Message;
import dev.switchboard.client.SwitchboardClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.switchboard.broker.testing.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three clustered nodes in this JVM, SDK subscribers and publishers on each: every subscriber gets every message
 * exactly once, in publish order per publisher, through exact and wildcard subscriptions.
 */
class ClusterDeliveryTest {
  static final int NODES = 3;
  static final int MESSAGES = 300;
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(NODES);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** What one subscription received: per publisher, the sequence numbers of the run, and every probe seen. */
  static final class Received {
    final String name;
    final Map<Integer, List<Integer>> runs = new ConcurrentHashMap<>();
    final Map<Integer, Boolean> probes = new ConcurrentHashMap<>();
    final List<String> patterns = new CopyOnWriteArrayList<>();
    volatile boolean fenced;

    Received(String name) {
      this.name = name;
    }

    void on(Message message) {
      Map<?, ?> data = (Map<?, ?>) message.data();
      int publisher = ((Number) data.get("p")).intValue();
      if (data.containsKey("probe")) {
        probes.put(publisher, true);
        fenced |= data.containsKey("fence");
        return;
      }
      patterns.add(String.valueOf(message.pattern()));
      runs.computeIfAbsent(publisher, p -> new CopyOnWriteArrayList<>()).add(((Number) data.get("seq")).intValue());
    }

    int total() {
      return runs.values().stream().mapToInt(List::size).sum();
    }
  }

  @Test
  void everySubscriberOnEveryNodeGetsEveryMessageExactlyOnceInPublisherOrder() {
    try (Clients clients = new Clients()) {
      List<Received> exact = new ArrayList<>();
      List<Received> star = new ArrayList<>();
      List<Received> rest = new ArrayList<>();
      List<SwitchboardClient> publishers = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        SwitchboardClient subscriber = clients.connect(cluster.url(i)).client;
        exact.add(subscribe(subscriber, "feed.a", "exact@" + i));
        star.add(subscribe(subscriber, "feed.*", "star@" + i));
        rest.add(subscribe(clients.connect(cluster.url(i)).client, "feed.>", "rest@" + i));
        publishers.add(clients.connect(cluster.url(i)).client);
      }
      List<Received> all = new ArrayList<>(exact);
      all.addAll(star);
      all.addAll(rest);

      // Registrations reach the other nodes asynchronously: probe until every subscription hears every publisher.
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
        for (int p = 0; p < NODES; p++) {
          publishers.get(p).publish("feed.a", Map.of("p", p, "probe", true));
        }
        return all.stream().allMatch(r -> r.probes.size() == NODES);
      });

      // The run: each publisher alternates feed.a and feed.b, waiting for nothing but its acks at the end.
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      for (int seq = 0; seq < MESSAGES; seq++) {
        for (int p = 0; p < NODES; p++) {
          String topic = seq % 2 == 0 ? "feed.a" : "feed.b";
          acks.add(publishers.get(p).publish(topic, Map.of("p", p, "seq", seq)).toCompletableFuture());
        }
      }
      join(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)));

      List<Integer> evens = IntStream.range(0, MESSAGES).filter(s -> s % 2 == 0).boxed().collect(Collectors.toList());
      List<Integer> everything = IntStream.range(0, MESSAGES).boxed().collect(Collectors.toList());
      await().atMost(Duration.ofSeconds(30)).until(() ->
          exact.stream().allMatch(r -> r.total() >= NODES * evens.size())
              && star.stream().allMatch(r -> r.total() >= NODES * MESSAGES)
              && rest.stream().allMatch(r -> r.total() >= NODES * MESSAGES));
      for (int p = 0; p < NODES; p++) {
        for (Received r : exact) {
          assertThat(r.runs.get(p)).as(r.name + " from publisher " + p).isEqualTo(evens);
        }
        for (Received r : star) {
          assertThat(r.runs.get(p)).as(r.name + " from publisher " + p).isEqualTo(everything);
        }
        for (Received r : rest) {
          assertThat(r.runs.get(p)).as(r.name + " from publisher " + p).isEqualTo(everything);
        }
      }
      assertThat(exact.get(0).patterns).containsOnly("null");
      assertThat(star.get(0).patterns).containsOnly("feed.*");
      assertThat(rest.get(0).patterns).containsOnly("feed.>");
      // Nothing extra trickles in after the run.
      assertThat(all.stream().mapToInt(Received::total).sum())
          .isEqualTo(NODES * (NODES * evens.size()) + 2 * NODES * (NODES * MESSAGES));
    }
  }

  @Test
  void aPatternCostsNothingWhereNobodySubscribedToIt() {
    try (Clients clients = new Clients()) {
      SwitchboardClient subscriber = clients.connect(cluster.url(0)).client;
      Received received = subscribe(subscriber, "quiet.*.x", "pattern@0");
      SwitchboardClient publisher = clients.connect(cluster.url(2)).client;
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
        publisher.publish("quiet.probe.x", Map.of("p", 2, "probe", true));
        return received.probes.size() == 1;
      });
      // A last probe, in order after all the others on the same address: once it is in, no probe is in flight.
      join(publisher.publish("quiet.probe.x", Map.of("p", 2, "probe", true, "fence", true)));
      await().atMost(Duration.ofSeconds(10)).until(() -> received.fenced);
      long received1 = cluster.node(1).stats().received();
      long received0 = cluster.node(0).stats().received();
      long consumersOn1 = cluster.node(1).stats().clusterConsumers();
      for (int seq = 0; seq < 50; seq++) {
        join(publisher.publish("quiet.n.x", Map.of("p", 2, "seq", seq)));
        join(publisher.publish("quiet.n.y", Map.of("p", 2, "seq", seq)));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> received.total() == 50);
      assertThat(received.runs.get(2)).isEqualTo(IntStream.range(0, 50).boxed().collect(Collectors.toList()));
      // Node 1 has no subscriber for the pattern: no consumer was registered there and no message went there.
      // Node 0 received exactly the 50 matching messages, not the 50 that do not match.
      assertThat(cluster.node(1).stats().clusterConsumers()).isEqualTo(consumersOn1);
      assertThat(cluster.node(1).stats().received()).isEqualTo(received1);
      assertThat(cluster.node(0).stats().received()).isEqualTo(received0 + 50);
    }
  }

  private static Received subscribe(SwitchboardClient client, String topic, String name) {
    Received received = new Received(name);
    join(client.subscribe(topic, received::on));
    return received;
  }
}
