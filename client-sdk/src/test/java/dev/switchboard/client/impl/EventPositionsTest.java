package dev.switchboard.client.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.client.Position;
import dev.switchboard.client.PresenceEvent;
import dev.switchboard.client.PresenceListener;
import dev.switchboard.client.SubscribeOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Presence events on a history topic: they carry positions in the topic's offsets and are taken as messages are (the
 * wire subscription's {@code since}, every local subscription's position and duplicate guard, falling behind when the
 * dispatcher is full). The dispatcher runs tasks on the calling thread unless a test holds them.
 */
class EventPositionsTest {
  private static final String E = "e1";

  private final SubscriptionsTest.RecordingOutbox outbox = new SubscriptionsTest.RecordingOutbox();
  private final Loop loop = new Loop("test-loop", () -> { });
  /** Deliveries, events and gaps, in the order the dispatcher ran them. */
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private Subscriptions subscriptions = subscriptions(Runnable::run, 1000);

  private Subscriptions subscriptions(Executor dispatcher, int maxBacklog) {
    return new Subscriptions(outbox, loop, Dispatcher.create(dispatcher, "unused"), Duration.ofHours(1).toNanos(),
        Duration.ofHours(1).toNanos(), new Backoff(Duration.ofMillis(1), Duration.ofMillis(1)), maxBacklog,
        new Counters());
  }

  @AfterEach
  void stopLoop() {
    loop.shutdown();
  }

  private static Position at(long offset) {
    return new Position(E, offset);
  }

  private SubscriptionImpl listening(String name, SubscribeOptions.Builder options) {
    PresenceListener listener = PresenceListener.of(e -> seen.add(name + " join " + describe(e)),
        e -> seen.add(name + " leave " + describe(e)));
    return quiet(name, options.presenceListener(listener));
  }

  private SubscriptionImpl quiet(String name, SubscribeOptions.Builder options) {
    SubscribeOptions o = options.gapListener((s, last, next) -> seen.add(name + " gap " + last.offset() + " -> "
        + next.offset())).build();
    return new SubscriptionImpl(null, "room.a", o, m -> seen.add(name + " " + m.json() + " @" + m.position().offset()));
  }

  private static String describe(PresenceEvent e) {
    return e.user() + " @" + (e.position() == null ? "none" : e.position().offset());
  }

  private void message(long offset) {
    subscriptions.route(Frame.message("room.a", null, at(offset), "\"m" + offset + "\""));
  }

  private void event(String type, String user, long offset) {
    subscriptions.presenceEvent(Frame.presenceEvent(type, "room.a", offset < 0 ? null : at(offset), user, "c-" + user,
        "null", "n1"));
  }

  @Test
  void eventsAndMessagesShareOneOrderAndEverySubscriptionMovesOnWithTheEvents() {
    SubscriptionImpl l = listening("l", SubscribeOptions.builder());
    SubscriptionImpl q = quiet("q", SubscribeOptions.builder());
    subscriptions.add(l);
    subscriptions.add(q);
    subscriptions.subscribed("s1", at(4), null);
    message(5);
    event("join", "ada", 6);
    message(7);
    event("leave", "ada", 8);
    assertThat(seen).containsExactly("l \"m5\" @5", "q \"m5\" @5", "l join ada @6", "l \"m7\" @7", "q \"m7\" @7",
        "l leave ada @8");
    assertThat(l.position()).isEqualTo(at(8));
    assertThat(q.position()).isEqualTo(at(8)); // no listener, yet past the event: no gap on the next subscribe

    subscriptions.connectionLost();
    outbox.sent.clear();
    subscriptions.resubscribe(() -> { });
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s2", "room.a", at(8), false, null, true));
    subscriptions.subscribed("s2", at(11), true);
    event("join", "ada", 6); // duplicates the broker should not send: dropped
    event("leave", "ada", 8);
    message(9);
    event("join", "bob", 10);
    event("join", "bob", 10);
    message(11);
    assertThat(seen.subList(6, seen.size())).containsExactly("l \"m9\" @9", "q \"m9\" @9", "l join bob @10",
        "l \"m11\" @11", "q \"m11\" @11");
    assertThat(q.position()).isEqualTo(at(11));
  }

  @Test
  void aRecoveryFromAnEventsPositionIsNoGap() {
    SubscriptionImpl l = listening("l", SubscribeOptions.builder().since(at(6)));
    subscriptions.add(l);
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s1", "room.a", at(6), false, null, true));
    subscriptions.subscribed("s1", at(8), true);
    message(7);
    event("leave", "ada", 8);
    assertThat(seen).containsExactly("l \"m7\" @7", "l leave ada @8");

    SubscriptionImpl late = quiet("late", SubscribeOptions.builder()); // joins where the topic is: after the event
    subscriptions.add(late);
    assertThat(late.position()).isEqualTo(at(8));
  }

  @Test
  void anEventWithoutAPositionChangesNoPositionAndReachesOnlyListeners() {
    SubscriptionImpl l = listening("l", SubscribeOptions.builder());
    SubscriptionImpl q = quiet("q", SubscribeOptions.builder());
    subscriptions.add(l);
    subscriptions.add(q);
    subscriptions.subscribed("s1", at(4), null);
    event("join", "ada", -1);
    message(5);
    assertThat(seen).containsExactly("l join ada @none", "l \"m5\" @5", "q \"m5\" @5");
    assertThat(l.position()).isEqualTo(at(5));
  }

  @Test
  void latestDeliversTheLastMessageThenTheEventsStoredAfterIt() {
    SubscriptionImpl l = listening("l", SubscribeOptions.builder().latest(true));
    subscriptions.add(l);
    subscriptions.subscribed("s1", at(7), null); // latest: its last message's position, not a later event's
    message(7);
    message(7);
    event("join", "ada", 8);
    message(9);
    assertThat(seen).containsExactly("l \"m7\" @7", "l join ada @8", "l \"m9\" @9");
    assertThat(l.position()).isEqualTo(at(9));
  }

  @Test
  void anEventArrivingWhileTheDispatcherIsFullIsFetchedAgainWithTheMessages() {
    Queue<Runnable> held = new ConcurrentLinkedQueue<>();
    subscriptions = subscriptions(held::add, 2);
    SubscriptionImpl l = listening("l", SubscribeOptions.builder());
    loop.execute(() -> {
      subscriptions.add(l);
      subscriptions.subscribed("s1", at(4), null); // two callbacks: resume, and the subscribe's completion
      event("join", "ada", 5);                      // full: falls behind, not dropped
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> !held.isEmpty());
    loop.execute(() -> held.poll().run());          // the dispatcher runs what it held; then there is room
    await().atMost(Duration.ofSeconds(10)).until(() -> outbox.sent.size() == 3);
    assertThat(outbox.sent.subList(1, 3)).containsExactly(Frames.unsubscribe("u2", "room.a"),
        Frames.subscribe("s3", "room.a", at(4), false, null, true));
    assertThat(seen).isEmpty();
  }

  @Test
  void decodesAnEventsPosition() throws IOException {
    Frame f = Frames.parse("{\"type\":\"join\",\"topic\":\"room.a\",\"position\":{\"epoch\":\"k3\",\"offset\":42},"
        + "\"user\":\"ada\",\"client\":\"1x\",\"info\":{\"name\":\"Ada\"},\"node\":\"6f\"}");
    assertThat(f.position()).isEqualTo(new Position("k3", 42));
    assertThat(Frames.parse("{\"type\":\"leave\",\"topic\":\"room.a\",\"user\":\"ada\",\"client\":\"1x\","
        + "\"info\":null,\"node\":\"6f\",\"position\":{\"epoch\":\"k3\",\"offset\":43}}").position())
        .isEqualTo(new Position("k3", 43));
  }
}
