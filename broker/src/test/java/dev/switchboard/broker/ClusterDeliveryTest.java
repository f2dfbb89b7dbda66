package dev.switchboard.broker;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.broker.testing.TestContexts;
import dev.switchboard.client.Message;
import dev.switchboard.client.SwitchboardClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.switchboard.broker.testing.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three clustered nodes in this JVM, SDK subscribers and publishers on each: every subscriber gets every message
 * exactly once, in publish order per publisher, through exact and wildcard subscriptions. Deliveries are counted with
 * checkpoints as they arrive; acks are Vert.x futures of the SDK's stages.
 */
@ExtendWith(VertxExtension.class)
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

  /**
   * What one subscription received: per publisher, the sequence numbers of the run, and every probe seen. It flags
   * {@code heard} on the first probe from each publisher and {@code delivered} on each message of a run.
   */
  static final class Received {
    final String name;
    final Checkpoint heard;
    final Checkpoint delivered;
    final Map<Integer, List<Integer>> runs = new ConcurrentHashMap<>();
    final Map<Integer, Boolean> probes = new ConcurrentHashMap<>();
    final List<String> patterns = new CopyOnWriteArrayList<>();
    final Promise<Void> fenced = Promise.promise();

    Received(String name, Checkpoint heard, Checkpoint delivered) {
      this.name = name;
      this.heard = heard;
      this.delivered = delivered;
    }

    void on(Message message) {
      Map<?, ?> data = (Map<?, ?>) message.data();
      int publisher = ((Number) data.get("p")).intValue();
      if (data.containsKey("probe")) {
        if (probes.put(publisher, true) == null) {
          heard.flag();
        }
        if (data.containsKey("fence")) {
          fenced.tryComplete();
        }
        return;
      }
      patterns.add(String.valueOf(message.pattern()));
      runs.computeIfAbsent(publisher, p -> new CopyOnWriteArrayList<>()).add(((Number) data.get("seq")).intValue());
      delivered.flag();
    }

    int total() {
      return runs.values().stream().mapToInt(List::size).sum();
    }
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void everySubscriberOnEveryNodeGetsEveryMessageExactlyOnceInPublisherOrder(Vertx vertx, VertxTestContext ctx)
      throws Throwable {
    List<Integer> evens = IntStream.range(0, MESSAGES).filter(s -> s % 2 == 0).boxed().collect(Collectors.toList());
    List<Integer> everything = IntStream.range(0, MESSAGES).boxed().collect(Collectors.toList());
    Checkpoint heard = ctx.checkpoint(3 * NODES * NODES); // three subscriptions per node, each from every publisher
    Checkpoint exactDelivered = ctx.checkpoint(NODES * NODES * evens.size());
    Checkpoint wildcardDelivered = ctx.checkpoint(2 * NODES * NODES * MESSAGES);
    Checkpoint acked = ctx.checkpoint();
    try (Clients clients = new Clients()) {
      List<Received> exact = new ArrayList<>();
      List<Received> star = new ArrayList<>();
      List<Received> rest = new ArrayList<>();
      List<SwitchboardClient> publishers = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        SwitchboardClient subscriber = clients.connect(cluster.url(i)).client;
        exact.add(subscribe(subscriber, "feed.a", new Received("exact@" + i, heard, exactDelivered)));
        star.add(subscribe(subscriber, "feed.*", new Received("star@" + i, heard, wildcardDelivered)));
        rest.add(subscribe(clients.connect(cluster.url(i)).client, "feed.>",
            new Received("rest@" + i, heard, wildcardDelivered)));
        publishers.add(clients.connect(cluster.url(i)).client);
      }
      List<Received> all = new ArrayList<>(exact);
      all.addAll(star);
      all.addAll(rest);

      // Registrations reach the other nodes asynchronously: probe until every subscription hears every publisher.
      long probing = vertx.setPeriodic(1, 100, id -> {
        for (int p = 0; p < NODES; p++) {
          Future.fromCompletionStage(publishers.get(p).publish("feed.a", Map.of("p", p, "probe", true)))
              .onFailure(ctx::failNow);
        }
      });
      TestContexts.await(ctx, heard);
      vertx.cancelTimer(probing);

      // The run: each publisher alternates feed.a and feed.b, waiting for nothing but its acks at the end.
      List<Future<Void>> acks = new ArrayList<>();
      for (int seq = 0; seq < MESSAGES; seq++) {
        for (int p = 0; p < NODES; p++) {
          String topic = seq % 2 == 0 ? "feed.a" : "feed.b";
          acks.add(Future.fromCompletionStage(publishers.get(p).publish(topic, Map.of("p", p, "seq", seq))));
        }
      }
      Future.all(acks).onComplete(acked);
      TestContexts.await(ctx, acked, exactDelivered, wildcardDelivered);

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
      // Nothing extra trickles in after the run (the checkpoints fail the test on one delivery too many).
      assertThat(all.stream().mapToInt(Received::total).sum())
          .isEqualTo(NODES * (NODES * evens.size()) + 2 * NODES * (NODES * MESSAGES));
    }
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aPatternCostsNothingWhereNobodySubscribedToIt(Vertx vertx, VertxTestContext ctx) throws Throwable {
    Checkpoint heard = ctx.checkpoint();
    Checkpoint fenced = ctx.checkpoint();
    Checkpoint published = ctx.checkpoint();
    Checkpoint delivered = ctx.checkpoint(50);
    try (Clients clients = new Clients()) {
      SwitchboardClient subscriber = clients.connect(cluster.url(0)).client;
      Received received = subscribe(subscriber, "quiet.*.x", new Received("pattern@0", heard, delivered));
      received.fenced.future().onComplete(fenced);
      SwitchboardClient publisher = clients.connect(cluster.url(2)).client;
      vertx.setPeriodic(1, 100, id -> {
        if (received.probes.isEmpty()) {
          Future.fromCompletionStage(publisher.publish("quiet.probe.x", Map.of("p", 2, "probe", true)))
              .onFailure(ctx::failNow);
        } else {
          // A last probe, in order after all the others on the same address: once it is in, no probe is in flight.
          vertx.cancelTimer(id);
          Future.fromCompletionStage(publisher.publish("quiet.probe.x", Map.of("p", 2, "probe", true, "fence", true)))
              .onFailure(ctx::failNow);
        }
      });
      TestContexts.await(ctx, heard, fenced);
      long received1 = cluster.node(1).stats().received();
      long received0 = cluster.node(0).stats().received();
      long consumersOn1 = cluster.node(1).stats().clusterConsumers();
      Future<Void> run = Future.succeededFuture();
      for (int seq = 0; seq < 50; seq++) {
        Map<String, Integer> data = Map.of("p", 2, "seq", seq);
        run = run.compose(v -> Future.fromCompletionStage(publisher.publish("quiet.n.x", data)))
            .compose(v -> Future.fromCompletionStage(publisher.publish("quiet.n.y", data)));
      }
      run.onComplete(published);
      TestContexts.await(ctx, published, delivered);
      assertThat(received.total()).isEqualTo(50);
      assertThat(received.runs.get(2)).isEqualTo(IntStream.range(0, 50).boxed().collect(Collectors.toList()));
      // Node 1 has no subscriber for the pattern: no consumer was registered there and no message went there.
      // Node 0 received exactly the 50 matching messages, not the 50 that do not match.
      assertThat(cluster.node(1).stats().clusterConsumers()).isEqualTo(consumersOn1);
      assertThat(cluster.node(1).stats().received()).isEqualTo(received1);
      assertThat(cluster.node(0).stats().received()).isEqualTo(received0 + 50);
    }
  }

  private static Received subscribe(SwitchboardClient client, String topic, Received received) {
    join(client.subscribe(topic, received::on));
    return received;
  }
}
