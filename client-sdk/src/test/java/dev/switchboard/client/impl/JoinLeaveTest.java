package dev.switchboard.client.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.client.PresenceEvent;
import dev.switchboard.client.PresenceListener;
import dev.switchboard.client.SubscribeOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Presence events: which subscribes ask for them, whose listeners get them; the connection is a recording outbox. */
class JoinLeaveTest {
  private final SubscriptionsTest.RecordingOutbox outbox = new SubscriptionsTest.RecordingOutbox();
  private final Loop loop = new Loop("test-loop", () -> { });
  private final Subscriptions subscriptions = new Subscriptions(outbox, loop,
      Dispatcher.create(Runnable::run, "unused"), Duration.ofHours(1).toNanos(), Duration.ofHours(1).toNanos(),
      new Backoff(Duration.ofMillis(1), Duration.ofMillis(1)), 1000, new Counters());
  private final List<String> told = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopLoop() {
    loop.shutdown();
  }

  private SubscriptionImpl listening(String topic, String name) {
    PresenceListener listener = PresenceListener.of(e -> told.add(name + " join " + describe(e)),
        e -> told.add(name + " leave " + describe(e)));
    return new SubscriptionImpl(null, topic, SubscribeOptions.builder().presenceListener(listener).build(), m -> { });
  }

  private static String describe(PresenceEvent e) {
    return e.topic() + " " + e.user() + " " + e.client() + " " + e.node() + " " + e.infoJson();
  }

  private static Frame event(String type, String topic, String user) {
    return Frame.presenceEvent(type, topic, user, "c-" + user, "{\"name\":\"" + user + "\"}", "n1");
  }

  @Test
  void theWireSubscriptionAsksWhenOneLocalListensAndOnlyListenersAreTold() {
    SubscriptionImpl quiet = new SubscriptionImpl(null, "room.a", m -> { });
    subscriptions.add(listening("room.a", "l"));
    subscriptions.add(quiet);
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s1", "room.a", null, false, null, true));
    assertThat(outbox.sent.get(0)).endsWith(",\"presence_events\":true}");

    subscriptions.presenceEvent(event("join", "room.a", "ada"));
    assertThat(told).isEmpty(); // not live yet
    subscriptions.subscribed("s1", null, null);
    subscriptions.presenceEvent(event("join", "room.a", "ada"));
    subscriptions.presenceEvent(event("leave", "room.a", "ada"));
    subscriptions.presenceEvent(event("join", "room.b", "bob"));
    assertThat(told).containsExactly("l join room.a ada c-ada n1 {\"name\":\"ada\"}",
        "l leave room.a ada c-ada n1 {\"name\":\"ada\"}");
    assertThat(outbox.sent).hasSize(1);
  }

  @Test
  void aListenerJoiningAConfirmedSubscriptionTurnsTheEventsOnAndReconnectsKeepAsking() {
    subscriptions.add(new SubscriptionImpl(null, "room.a", m -> { }));
    subscriptions.subscribed("s1", null, null);
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s1", "room.a"));

    SubscriptionImpl l = listening("room.a", "l");
    subscriptions.add(l);
    assertThat(l.subscribed).isCompletedWithValue(l);
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s1", "room.a"),
        Frames.subscribe("s2", "room.a", null, false, null, true));
    subscriptions.subscribed("s2", null, null); // the answer to the second subscribe changes nothing else
    subscriptions.add(listening("room.a", "m"));
    assertThat(outbox.sent).hasSize(2);
    subscriptions.presenceEvent(event("join", "room.a", "ada"));
    assertThat(told).containsExactly("l join room.a ada c-ada n1 {\"name\":\"ada\"}",
        "m join room.a ada c-ada n1 {\"name\":\"ada\"}");

    subscriptions.connectionLost();
    subscriptions.resubscribe(() -> { });
    assertThat(outbox.sent.get(2)).isEqualTo(Frames.subscribe("s3", "room.a", null, false, null, true));
  }

  @Test
  void aListenerArrivingWhileTheSubscribeIsUnansweredAsksOnceAnswered() {
    subscriptions.add(new SubscriptionImpl(null, "room.a", m -> { }));
    subscriptions.add(listening("room.a", "l"));
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s1", "room.a"));
    subscriptions.subscribed("s1", null, null);
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s1", "room.a"),
        Frames.subscribe("s2", "room.a", null, false, null, true));
    assertThat(subscriptions.error("s2", "rate_limited", "slow down")).isTrue(); // logged; the subscription stands
  }

  @Test
  void decodesJoinAndLeaveFrames() throws IOException {
    Frame f = Frames.parse("{\"type\":\"leave\",\"topic\":\"room.a\",\"user\":null,\"client\":\"1x\","
        + "\"info\":{\"name\":\"Ada\",\"n\":[1, 2]},\"node\":\"6f\"}");
    assertThat(f.type()).isEqualTo("leave");
    assertThat(f.user()).isNull();
    assertThat(f.client()).isEqualTo("1x");
    assertThat(f.node()).isEqualTo("6f");
    assertThat(f.info()).isEqualTo("{\"name\":\"Ada\",\"n\":[1, 2]}");
    PresenceEvent e = new PresenceEventImpl(f.topic(), f.client(), f.user(), f.node(), f.info(), f.position());
    assertThat(e.position()).isNull();
    assertThat(e.info()).isEqualTo(Map.of("name", "Ada", "n", List.of(1, 2)));
  }
}
