package dev.switchboard.broker;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.Gate;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.broker.testing.TestContexts;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Message;
import dev.switchboard.client.Position;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.Subscription;
import dev.switchboard.client.SwitchboardClient;
import io.vertx.core.Future;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static dev.switchboard.broker.testing.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * History topics through the SDK: a subscriber whose node stops recovers, on another node, every message published
 * while it was away, exactly once and in offset order; one that was away for longer than the topic's window is told
 * of the gap through its {@link dev.switchboard.client.GapListener}; a new client resumes from a stored position.
 * Publishes are pipelined on one connection; what is checked is the topic's one order (offsets), not the order of
 * the publish calls.
 *
 * <p>To be sure messages are published while the subscriber is away, its server list is: the node it starts on, then
 * a {@link Gate} (a socket that accepts connections and never answers, so the client's attempt hangs), then the other
 * node. Once the publishes are acknowledged the gate closes, the hanging attempt fails, and the client moves on.
 *
 * <p>Where a test waits for counted deliveries in one node's life, it counts them with checkpoints; the tests that
 * stop a node go step by step, waiting on the client's connection states and the cluster's membership.
 */
@ExtendWith(VertxExtension.class)
class HistoryRecoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * What a subscription saw, in dispatch order: {@code @offset} per message, {@code gap a->b} per gap. Where given,
   * {@code arrived} is flagged per message and {@code gapped} per gap.
   */
  static final class Seen {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Integer> numbers = new CopyOnWriteArrayList<>();
    final List<Position> positions = new CopyOnWriteArrayList<>();
    final List<Position[]> gaps = new CopyOnWriteArrayList<>();
    final Checkpoint arrived;
    final Checkpoint gapped;

    Seen() {
      this(null, null);
    }

    Seen(Checkpoint arrived, Checkpoint gapped) {
      this.arrived = arrived;
      this.gapped = gapped;
    }

    void message(Message m) {
      numbers.add(((Number) ((Map<?, ?>) m.data()).get("n")).intValue());
      positions.add(m.position());
      events.add("@" + (m.position() == null ? "none" : m.position().offset()));
      if (arrived != null) {
        arrived.flag();
      }
    }

    List<Long> offsets() {
      return positions.stream().map(Position::offset).collect(Collectors.toList());
    }

    List<Integer> sortedNumbers() {
      return numbers.stream().sorted().collect(Collectors.toList());
    }

    SubscribeOptions.Builder options() {
      return SubscribeOptions.builder().gapListener((s, lastSeen, resumesAfter) -> {
        gaps.add(new Position[] {lastSeen, resumesAfter});
        events.add("gap " + lastSeen.offset() + "->" + (resumesAfter == null ? "none" : resumesAfter.offset()));
        if (gapped != null) {
          gapped.flag();
        }
      });
    }

    Subscription subscribe(SwitchboardClient client, String topic, SubscribeOptions.Builder options) {
      return join(client.subscribe(topic, options.build(), this::message));
    }

    void awaitNumbers(int count) {
      await().atMost(WAIT).until(() -> numbers.size() >= count);
    }
  }

  private static TestCluster cluster(int nodes, String rule) {
    return TestCluster.of(nodes, o -> o.history(List.of(HistoryRule.parse(rule))));
  }

  /** Publishes {@code n} for each number in {@code [from, to)}, in order on one connection; waits for every ack. */
  private static void publish(SwitchboardClient publisher, String topic, int from, int to) {
    join(publishing(publisher, topic, from, to).toCompletionStage());
  }

  /** {@link #publish}, as a future completed once every ack is in. */
  private static Future<Void> publishing(SwitchboardClient publisher, String topic, int from, int to) {
    List<Future<Void>> acks = new ArrayList<>();
    for (int n = from; n < to; n++) {
      acks.add(Future.fromCompletionStage(publisher.publish(topic, Map.of("n", n))));
    }
    return Future.all(acks).mapEmpty();
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().collect(Collectors.toList());
  }

  private static List<Long> offsets(long from, long to) {
    return LongStream.range(from, to).boxed().collect(Collectors.toList());
  }

  /** A subscriber that was away while messages were published, back on node 1; see {@link #awayWhilePublishing}. */
  record Away(Seen seen, Subscription room, SwitchboardClient publisher) {
  }

  /**
   * Subscribes to {@code topic} on node 0 (next servers: {@code gate}, then node 1) and publishes {@code [0, before)}
   * from node 1; then stops node 0 and publishes {@code [before, until)} while the subscriber cannot reach any node;
   * then lets it through to node 1 and waits until it has subscribed again.
   */
  private static Away awayWhilePublishing(TestCluster cluster, Clients sdk, Gate gate, String topic, int before,
      int until) {
    Clients.Recorded subscriber = sdk.connect(b -> b.connectTimeout(Duration.ofSeconds(60)),
        cluster.url(0), gate.url(), cluster.url(1));
    assertThat(subscriber.client.nodeId()).isEqualTo(cluster.node(0).nodeId());
    Seen seen = new Seen();
    Subscription room = seen.subscribe(subscriber.client, topic, seen.options());
    SwitchboardClient publisher = sdk.connect(cluster.url(1)).client;
    publish(publisher, topic, 0, before);
    seen.awaitNumbers(before);

    cluster.stop(0);
    subscriber.awaitEvent(ConnectionState.DISCONNECTED, 1);
    await().atMost(WAIT).until(() -> cluster.node(1).clusterManager().getNodes().size() == 1);
    publish(publisher, topic, before, until); // stored while the subscriber is away
    assertThat(subscriber.client.state()).isEqualTo(ConnectionState.DISCONNECTED);
    gate.close();
    subscriber.awaitEvent(ConnectionState.RECONNECTED, 1);
    assertThat(subscriber.client.nodeId()).isEqualTo(cluster.node(1).nodeId());
    return new Away(seen, room, publisher);
  }

  @Test
  void aSubscriberWhoseNodeStopsGetsEveryMessagePublishedMeanwhileOnceAndInOrder() {
    try (TestCluster cluster = cluster(2, "hr.>/1000/5m"); Clients sdk = new Clients(); Gate gate = new Gate()) {
      Away away = awayWhilePublishing(cluster, sdk, gate, "hr.room", 20, 60);
      Seen seen = away.seen();
      SwitchboardClient publisher = away.publisher();

      publish(publisher, "hr.room", 60, 80);
      seen.awaitNumbers(80);
      await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> seen.numbers.size() == 80);
      assertThat(seen.offsets()).isEqualTo(offsets(0, 80));
      assertThat(seen.sortedNumbers()).isEqualTo(range(0, 80));
      assertThat(seen.gaps).isEmpty();
      String epoch = seen.positions.get(0).epoch();
      assertThat(seen.positions).extracting(Position::epoch).containsOnly(epoch);
      await().atMost(WAIT).until(() -> new Position(epoch, 79).equals(away.room().position()));
    }
  }

  @Test
  void aSubscriberAwayForLongerThanTheWindowIsToldOfTheGap() {
    try (TestCluster cluster = cluster(2, "hw.>/10/5m"); Clients sdk = new Clients(); Gate gate = new Gate()) {
      // Offsets 5..29 are published while it is away; the topic keeps the last 10: 5 is gone.
      Away away = awayWhilePublishing(cluster, sdk, gate, "hw.room", 5, 30);
      Seen seen = away.seen();
      await().atMost(WAIT).until(() -> seen.gaps.size() == 1);

      publish(away.publisher(), "hw.room", 30, 31);
      seen.awaitNumbers(6);
      assertThat(seen.events).containsExactly("@0", "@1", "@2", "@3", "@4", "gap 4->29", "@30");
      assertThat(seen.numbers.get(5)).isEqualTo(30);
      Position[] gap = seen.gaps.get(0);
      assertThat(gap[0].epoch()).isEqualTo(gap[1].epoch()).isEqualTo(seen.positions.get(0).epoch());
      await().atMost(WAIT).until(() -> away.room().position() != null && away.room().position().offset() == 30);
    }
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aNewClientResumesFromAStoredPositionAndLatestStartsWithTheLastMessage(VertxTestContext ctx) throws Throwable {
    Checkpoint published = ctx.checkpoint(2);
    Checkpoint firstTen = ctx.checkpoint(10);
    Checkpoint resumedSeven = ctx.checkpoint(7);
    Checkpoint latestThree = ctx.checkpoint(3);
    Checkpoint staleGap = ctx.checkpoint();
    try (TestCluster cluster = cluster(1, "hs.>/1000/5m"); Clients sdk = new Clients()) {
      SwitchboardClient publisher = sdk.connect(cluster.url(0)).client;
      Seen first = new Seen(firstTen, null);
      SwitchboardClient before = sdk.connect(cluster.url(0)).client;
      first.subscribe(before, "hs.room", first.options());
      publishing(publisher, "hs.room", 0, 10).onComplete(published);
      TestContexts.await(ctx, firstTen);
      Position stored = first.positions.get(4); // the application had processed 0..4 when it stopped
      before.close();

      Seen resumed = new Seen(resumedSeven, null);
      Seen latest = new Seen(latestThree, null);
      SwitchboardClient after = sdk.connect(cluster.url(0)).client;
      resumed.subscribe(after, "hs.room", resumed.options().since(stored));
      SwitchboardClient ticker = sdk.connect(cluster.url(0)).client;
      latest.subscribe(ticker, "hs.room", latest.options().latest(true));
      publishing(publisher, "hs.room", 10, 12).onComplete(published);

      TestContexts.await(ctx, published, resumedSeven, latestThree);
      assertThat(resumed.offsets()).isEqualTo(offsets(5, 12));
      assertThat(resumed.numbers.subList(0, 5)).isEqualTo(first.numbers.subList(5, 10));
      assertThat(resumed.numbers.subList(5, 7)).containsExactlyInAnyOrder(10, 11);
      assertThat(latest.offsets()).isEqualTo(offsets(9, 12));
      assertThat(resumed.gaps).isEmpty();
      assertThat(latest.gaps).isEmpty();

      Seen stale = new Seen(null, staleGap);
      stale.subscribe(after, "hs.other", stale.options().since(new Position("not-this-epoch", 3)));
      TestContexts.await(ctx, staleGap);
      assertThat(stale.gaps.get(0)[1].offset()).isEqualTo(-1);
    }
  }
}
