package dev.switchboard.client.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.client.Position;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * History topics: positions kept per subscription, {@code since} on every later subscribe, the duplicate guard, and
 * gaps reported to the {@link dev.switchboard.client.GapListener}. The dispatcher runs tasks on the calling thread,
 * so what it records is in dispatch order.
 */
class RecoveryTest {
  private static final String E = "e1";

  private final SubscriptionsTest.RecordingOutbox outbox = new SubscriptionsTest.RecordingOutbox();
  private final Loop loop = new Loop("test-loop", () -> { });
  /** Deliveries and gaps, in the order the dispatcher ran them. */
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final Subscriptions subscriptions = new Subscriptions(outbox, loop, Dispatcher.create(Runnable::run, "unused"),
      Duration.ofHours(1).toNanos(), Duration.ofHours(1).toNanos(), new Backoff(Duration.ofMillis(1),
      Duration.ofMillis(1)), 1000, new Counters());

  @AfterEach
  void stopLoop() {
    loop.shutdown();
  }

  private static Position at(long offset) {
    return new Position(E, offset);
  }

  private SubscriptionImpl local(String topic, String name, SubscribeOptions.Builder options) {
    SubscribeOptions o = options.gapListener((s, seen, next) -> events.add(name + " gap " + describe(seen) + " -> "
        + describe(next))).build();
    return new SubscriptionImpl(null, topic, o, m -> events.add(name + " " + m.json() + " @" + describe(m.position())));
  }

  private SubscriptionImpl local(String topic, String name) {
    return local(topic, name, SubscribeOptions.builder());
  }

  private static String describe(Position p) {
    return p == null ? "null" : p.epoch() + ":" + p.offset();
  }

  private void message(String topic, long offset) {
    subscriptions.route(Frame.message(topic, null, at(offset), "\"m" + offset + "\""));
  }

  private void reconnect() {
    subscriptions.connectionLost();
    outbox.sent.clear();
    subscriptions.resubscribe(() -> { });
  }

  @Test
  void aResubscribeAsksForWhatCameAfterTheLastMessageAndRecoversItOnce() {
    SubscriptionImpl a = local("chat.room", "a");
    subscriptions.add(a);
    subscriptions.subscribed("s1", at(4), null);
    assertThat(a.position()).isEqualTo(at(4));
    message("chat.room", 5);
    message("chat.room", 6);
    assertThat(a.position()).isEqualTo(at(6));

    reconnect();
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s2", "chat.room", at(6), false));
    subscriptions.subscribed("s2", at(9), true);
    message("chat.room", 6); // a duplicate the broker should not send: dropped
    message("chat.room", 7);
    message("chat.room", 8);
    message("chat.room", 7);
    message("chat.room", 9);
    message("chat.room", 10);
    assertThat(events).containsExactly("a \"m5\" @e1:5", "a \"m6\" @e1:6", "a \"m7\" @e1:7", "a \"m8\" @e1:8",
        "a \"m9\" @e1:9", "a \"m10\" @e1:10");
    assertThat(a.position()).isEqualTo(at(10));
  }

  @Test
  void aRecoveryThatFailedIsReportedBeforeTheMessagesAfterIt() {
    SubscriptionImpl a = local("chat.room", "a");
    subscriptions.add(a);
    subscriptions.subscribed("s1", at(-1), null);
    message("chat.room", 0);

    reconnect();
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s2", "chat.room", at(0), false));
    subscriptions.subscribed("s2", at(50), false);
    message("chat.room", 51);
    assertThat(events).containsExactly("a \"m0\" @e1:0", "a gap e1:0 -> e1:50", "a \"m51\" @e1:51");
    assertThat(a.position()).isEqualTo(at(51));
  }

  @Test
  void aNewEpochIsAGapAndItsLowerOffsetsAreDelivered() {
    SubscriptionImpl a = local("chat.room", "a");
    subscriptions.add(a);
    subscriptions.subscribed("s1", at(99), null);
    message("chat.room", 100);

    reconnect();
    Position restarted = new Position("e2", 1);
    subscriptions.subscribed("s2", restarted, false);
    subscriptions.route(Frame.message("chat.room", null, new Position("e2", 2), "\"new\""));
    assertThat(events).containsExactly("a \"m100\" @e1:100", "a gap e1:100 -> e2:1", "a \"new\" @e2:2");
    assertThat(a.position()).isEqualTo(new Position("e2", 2));

    reconnect();
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s3", "chat.room", new Position("e2", 2), false));
  }

  @Test
  void aStoredPositionIsSentOnTheFirstSubscribe() {
    SubscriptionImpl a = local("chat.room", "a", SubscribeOptions.builder().since(at(41)));
    assertThat(a.position()).isEqualTo(at(41));
    subscriptions.add(a);
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s1", "chat.room", at(41), false));
    subscriptions.subscribed("s1", at(57), true);
    message("chat.room", 42);
    assertThat(events).containsExactly("a \"m42\" @e1:42");
    assertThat(a.subscribed).isCompletedWithValue(a);

    SubscriptionImpl late = local("chat.other", "late", SubscribeOptions.builder().since(at(3)));
    subscriptions.add(late);
    subscriptions.subscribed("s2", at(20), false);
    assertThat(events).endsWith("late gap e1:3 -> e1:20");
    assertThat(late.position()).isEqualTo(at(20));
  }

  @Test
  void latestDeliversTheMessageAtTheCurrentPositionOnce() {
    SubscriptionImpl a = local("ticker.eur", "a", SubscribeOptions.builder().latest(true));
    subscriptions.add(a);
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s1", "ticker.eur", null, true));
    subscriptions.subscribed("s1", at(7), null);
    message("ticker.eur", 7);
    message("ticker.eur", 7);
    message("ticker.eur", 8);
    assertThat(events).containsExactly("a \"m7\" @e1:7", "a \"m8\" @e1:8");

    reconnect(); // latest is for the start only: from now on, since
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s2", "ticker.eur", at(8), false));
  }

  @Test
  void aSecondHandlerJoiningALiveTopicStartsWhereTheTopicIs() {
    SubscriptionImpl a = local("chat.room", "a");
    subscriptions.add(a);
    subscriptions.subscribed("s1", at(0), null);
    message("chat.room", 1);

    SubscriptionImpl b = local("chat.room", "b");
    SubscriptionImpl same = local("chat.room", "same", SubscribeOptions.builder().since(at(1)));
    SubscriptionImpl behind = local("chat.room", "behind", SubscribeOptions.builder().since(at(0)));
    subscriptions.add(b);
    subscriptions.add(same);
    subscriptions.add(behind);
    message("chat.room", 2);
    assertThat(events).containsExactly("a \"m1\" @e1:1", "behind gap e1:0 -> e1:1", "a \"m2\" @e1:2",
        "b \"m2\" @e1:2", "same \"m2\" @e1:2", "behind \"m2\" @e1:2");
    assertThat(outbox.sent).hasSize(1);
  }

  @Test
  void handlersAtDifferentPlacesResumeFromTheEarliestAndEachDropsWhatItHad() {
    outbox.ready = false;
    SubscriptionImpl ahead = local("chat.room", "ahead", SubscribeOptions.builder().since(at(5)));
    SubscriptionImpl behind = local("chat.room", "behind", SubscribeOptions.builder().since(at(3)));
    subscriptions.add(ahead);
    subscriptions.add(behind);
    outbox.ready = true;
    subscriptions.resubscribe(() -> { });
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s1", "chat.room", at(3), false));
    subscriptions.subscribed("s1", at(6), true);
    for (long offset = 4; offset <= 6; offset++) {
      message("chat.room", offset);
    }
    assertThat(events).containsExactly("behind \"m4\" @e1:4", "behind \"m5\" @e1:5", "ahead \"m6\" @e1:6",
        "behind \"m6\" @e1:6");
  }

  @Test
  void patternsAndPlainTopicsKeepNoPosition() {
    SubscriptionImpl pattern = local("chat.*", "p");
    SubscriptionImpl plain = local("plain", "plain");
    subscriptions.add(pattern);
    subscriptions.add(plain);
    subscriptions.subscribed("s1", null, null);
    subscriptions.subscribed("s2", null, null);
    subscriptions.route(Frame.message("chat.a", "chat.*", at(5), "1"));
    subscriptions.route(Frame.message("chat.b", "chat.*", at(2), "2"));
    subscriptions.route(Frame.message("plain", null, null, "3"));
    assertThat(events).containsExactly("p 1 @e1:5", "p 2 @e1:2", "plain 3 @null");
    assertThat(pattern.position()).isNull();
    assertThat(plain.position()).isNull();

    reconnect();
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s3", "chat.*"), Frames.subscribe("s4", "plain"));
  }

  @Test
  void aStoredPositionOnATopicWithoutHistoryIsAGap() {
    SubscriptionImpl a = local("plain", "a", SubscribeOptions.builder().since(at(3)));
    subscriptions.add(a);
    subscriptions.subscribed("s1", null, false);
    subscriptions.route(Frame.message("plain", null, null, "1"));
    assertThat(events).containsExactly("a gap e1:3 -> null", "a 1 @null");
    assertThat(a.position()).isNull();
  }

  @Test
  void withoutAGapListenerTheGapIsLoggedAndDeliveryGoesOn() {
    SubscriptionImpl a = new SubscriptionImpl(null, "chat.room", SubscribeOptions.builder().since(at(1)).build(),
        m -> events.add(m.json()));
    subscriptions.add(a);
    subscriptions.subscribed("s1", at(9), false);
    message("chat.room", 10);
    assertThat(events).containsExactly("\"m10\"");
  }

  @Test
  void theGapListenerIsGivenTheSubscription() {
    List<Subscription> told = new CopyOnWriteArrayList<>();
    SubscriptionImpl a = new SubscriptionImpl(null, "chat.room",
        SubscribeOptions.builder().since(at(1)).gapListener((s, seen, next) -> told.add(s)).build(), m -> { });
    subscriptions.add(a);
    subscriptions.subscribed("s1", at(9), false);
    assertThat(told).containsExactly(a);
  }
}
