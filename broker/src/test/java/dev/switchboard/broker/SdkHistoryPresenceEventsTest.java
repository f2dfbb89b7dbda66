package dev.switchboard.broker;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.FreezableProxy;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.GapListener;
import dev.switchboard.client.Message;
import dev.switchboard.client.MessageHandler;
import dev.switchboard.client.Position;
import dev.switchboard.client.PresenceEvent;
import dev.switchboard.client.PresenceListener;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.Subscription;
import dev.switchboard.client.SwitchboardClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.broker.testing.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Java SDK on two real nodes whose topics {@code room.>} are both history and presence topics, with a 300 ms
 * grace: {@code join} and {@code leave} carry positions in the offsets of the messages, reach the listener in one
 * order with them, are recovered with them after the connection was cut, each once, and come again from the store
 * behind a blocked dispatcher; a subscription without a listener sees only the messages; {@code latest} still gives
 * the last message when events were stored after it.
 */
class SdkHistoryPresenceEventsTest {
  static TestCluster cluster;
  static Clients sdk;

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(2, o -> o.history(List.of(HistoryRule.parse("room.>/1000/5m")))
        .presence(List.of("room.>")).presenceGraceMs(300));
    sdk = new Clients();
  }

  @AfterAll
  static void stop() {
    sdk.close();
    cluster.close();
  }

  /**
   * What one subscription was given, in the order its dispatcher ran it: "msg m1", "join Ada", "leave Ada" (by the
   * name in the info; "?" without one), each with its position; and its gaps.
   */
  static final class Timeline implements PresenceListener, MessageHandler, GapListener {
    final List<String> entries = new CopyOnWriteArrayList<>();
    final List<Position> positions = new CopyOnWriteArrayList<>();
    final List<String> gaps = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(Message m) {
      add("msg " + m.data(), m.position());
    }

    @Override
    public void onJoin(PresenceEvent e) {
      add("join " + name(e), e.position());
    }

    @Override
    public void onLeave(PresenceEvent e) {
      add("leave " + name(e), e.position());
    }

    @Override
    public void onGap(Subscription s, Position lastSeen, Position resumesAfter) {
      gaps.add(lastSeen + " -> " + resumesAfter);
    }

    private void add(String entry, Position position) {
      positions.add(position);
      entries.add(entry);
    }

    private static String name(PresenceEvent e) {
      return e.info() instanceof Map<?, ?> m ? String.valueOf(m.get("name")) : "?";
    }

    /** The entries of named members and messages (the anonymous test clients' own joins left out). */
    List<String> named() {
      return entries.stream().filter(e -> !e.endsWith(" ?")).toList();
    }

    long offset(String entry) {
      return positions.get(entries.indexOf(entry)).offset();
    }

    void awaitEntry(String entry) {
      await().atMost(Duration.ofSeconds(30)).until(() -> entries.contains(entry));
    }

    /** Every entry has a position, in one epoch, each offset after the one before. */
    void assertIncreasing() {
      assertThat(positions).doesNotContainNull().extracting(Position::epoch).containsOnly(positions.get(0).epoch());
      for (int i = 1; i < positions.size(); i++) {
        assertThat(positions.get(i).offset()).as("offset of %s after %s", entries.get(i), entries.get(i - 1))
            .isGreaterThan(positions.get(i - 1).offset());
      }
    }

    SubscribeOptions listening() {
      return SubscribeOptions.builder().presenceListener(this).gapListener(this).build();
    }

    SubscribeOptions quiet() {
      return SubscribeOptions.builder().gapListener(this).build();
    }
  }

  /** A client on node 1 subscribed to {@code topic} as {@code name}: it joins, and leaves when closed. */
  private static SwitchboardClient joinAs(String topic, String name) {
    SwitchboardClient c = sdk.connect(cluster.url(1)).client;
    join(c.subscribe(topic, SubscribeOptions.builder().info(Map.of("name", name)).build(), m -> { }));
    return c;
  }

  /** A client on node 1 that listens to {@code topic}'s events: the test learns from it that one happened. */
  private static Timeline observe(String topic) {
    Timeline observer = new Timeline();
    join(sdk.connect(cluster.url(1)).client.subscribe(topic, observer.listening(), observer));
    return observer;
  }

  @Test
  void messagesAndEventsReachTheListenerInOneOrderAndSubscriptionsWithoutOneSeeOnlyMessages() {
    String topic = "room.order";
    SwitchboardClient watcher = sdk.connect(cluster.url(0)).client;
    Timeline heard = new Timeline();
    join(watcher.subscribe(topic, heard.listening(), heard));
    Timeline quiet = new Timeline(); // the same client, no listener: its wire subscription gets events, it does not
    Subscription quietSub = join(watcher.subscribe(topic, quiet.quiet(), quiet));
    Timeline other = new Timeline(); // another client, no listener: its subscribe does not ask for events
    join(sdk.connect(cluster.url(0)).client.subscribe(topic, other.quiet(), other));

    SwitchboardClient publisher = sdk.connect(cluster.url(1)).client;
    join(publisher.publish(topic, "m1"));
    SwitchboardClient ada = joinAs(topic, "Ada");
    heard.awaitEntry("join Ada");
    join(publisher.publish(topic, "m2"));
    ada.close();
    heard.awaitEntry("leave Ada");
    await().atMost(Duration.ofSeconds(10)).until(() -> quietSub.position().offset() == heard.offset("leave Ada"));
    join(publisher.publish(topic, "m3"));
    for (Timeline t : List.of(heard, quiet, other)) {
      t.awaitEntry("msg m3");
    }

    assertThat(heard.named()).containsExactly("msg m1", "join Ada", "msg m2", "leave Ada", "msg m3");
    heard.assertIncreasing();
    for (Timeline t : List.of(quiet, other)) {
      assertThat(t.entries).containsExactly("msg m1", "msg m2", "msg m3");
      t.assertIncreasing();
      assertThat(t.offset("msg m2")).as("skips the join's offset").isEqualTo(heard.offset("msg m2"))
          .isGreaterThan(t.offset("msg m1") + 1);
      assertThat(t.gaps).isEmpty();
    }
    assertThat(heard.gaps).isEmpty();
  }

  @Test
  void eventsAndMessagesOfATimeAwayAreRecoveredInOrderEachOnce() {
    String topic = "room.away";
    try (FreezableProxy proxy = FreezableProxy.start(cluster.clients(), cluster.node(0).port())) {
      Clients.Recorded watcher = sdk.connect(proxy.url());
      Timeline heard = new Timeline();
      join(watcher.client.subscribe(topic, heard.listening(), heard));
      Timeline quiet = new Timeline();
      join(watcher.client.subscribe(topic, quiet.quiet(), quiet));
      Timeline observer = observe(topic);
      SwitchboardClient publisher = sdk.connect(cluster.url(1)).client;

      join(publisher.publish(topic, "m1"));
      SwitchboardClient bob = joinAs(topic, "Bob");
      heard.awaitEntry("join Bob"); // live, before the cut: the next subscribe resumes after it
      quiet.awaitEntry("msg m1");

      proxy.cut();
      watcher.awaitEvent(ConnectionState.DISCONNECTED, 1);
      join(publisher.publish(topic, "m2"));
      SwitchboardClient cy = joinAs(topic, "Cy");
      observer.awaitEntry("join Cy");
      bob.close();
      observer.awaitEntry("leave Bob");
      join(publisher.publish(topic, "m3"));
      proxy.restore();
      watcher.awaitEvent(ConnectionState.RECONNECTED, 1);
      heard.awaitEntry("msg m3");

      cy.close(); // live again after the recovery
      heard.awaitEntry("leave Cy");
      join(publisher.publish(topic, "m4"));
      heard.awaitEntry("msg m4");
      quiet.awaitEntry("msg m4");

      assertThat(heard.named()).containsExactly("msg m1", "join Bob", "msg m2", "join Cy", "leave Bob", "msg m3",
          "leave Cy", "msg m4");
      heard.assertIncreasing();
      assertThat(quiet.entries).containsExactly("msg m1", "msg m2", "msg m3", "msg m4");
      assertThat(heard.gaps).isEmpty();
      assertThat(quiet.gaps).as("its position moved past the events too: the resubscribe is no gap").isEmpty();
    }
  }

  @Test
  void latestGivesTheLastMessageWhenEventsWereStoredAfterIt() {
    String topic = "room.latest";
    Timeline observer = observe(topic);
    SwitchboardClient publisher = sdk.connect(cluster.url(1)).client;
    join(publisher.publish(topic, "m1"));
    joinAs(topic, "Dee");
    observer.awaitEntry("join Dee"); // stored after m1

    Timeline late = new Timeline();
    SwitchboardClient client = sdk.connect(cluster.url(0)).client;
    Subscription sub = join(client.subscribe(topic, SubscribeOptions.builder().latest(true).presenceListener(late)
        .build(), late));
    late.awaitEntry("join Dee");
    assertThat(sub.position().offset()).as("on past the join (and maybe its own)")
        .isGreaterThanOrEqualTo(observer.offset("join Dee"));
    join(publisher.publish(topic, "m2"));
    late.awaitEntry("msg m2");
    // The last message first (not the later join), then what was stored after it, then live ones.
    assertThat(late.named()).containsExactly("msg m1", "join Dee", "msg m2");
  }

  @Test
  void behindABlockedDispatcherEventsComeAgainFromTheStoreInOrderWithTheMessages() {
    String topic = "room.slow";
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Timeline heard = new Timeline();
    MessageHandler blocking = m -> {
      heard.onMessage(m);
      if ("m0".equals(m.data())) {
        blocked.countDown();
        awaitQuietly(release); // the dispatcher holds everything after m0 meanwhile
      }
    };
    SwitchboardClient slow = sdk.connect(b -> b.maxDispatchBacklog(4), cluster.url(0)).client;
    join(slow.subscribe(topic, heard.listening(), blocking));
    Timeline observer = observe(topic);
    SwitchboardClient publisher = sdk.connect(cluster.url(1)).client;
    join(publisher.publish(topic, "m0"));
    awaitQuietly(blocked);

    List<String> expected = new ArrayList<>(List.of("msg m0"));
    SwitchboardClient eve = null;
    for (int i = 1; i <= 30; i++) {
      join(publisher.publish(topic, "m" + i));
      expected.add("msg m" + i);
      if (i == 10) {
        eve = joinAs(topic, "Eve");
        observer.awaitEntry("join Eve");
        expected.add("join Eve");
      } else if (i == 20) {
        eve.close();
        observer.awaitEntry("leave Eve");
        expected.add("leave Eve");
      }
    }
    release.countDown();
    heard.awaitEntry("msg m30");

    assertThat(heard.named()).isEqualTo(expected);
    heard.assertIncreasing();
    assertThat(heard.gaps).isEmpty();
    assertThat(slow.stats().messagesDropped()).isZero();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      assertThat(latch.await(60, TimeUnit.SECONDS)).as("latch within 60 s").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
