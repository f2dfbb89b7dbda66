package dev.switchboard.client.impl;

import static dev.switchboard.client.impl.SubscriptionsTest.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.client.Position;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Subscribing again after a reconnect: retryable refusals are retried with backoff, final ones end the local
 * subscriptions visibly, and the connection is announced once all are settled. Everything runs on the loop thread,
 * as in the client, since retries are timers.
 */
class ResubscribeTest {
  private static final Duration LONG = Duration.ofHours(1);

  private final SubscriptionsTest.RecordingOutbox outbox = new SubscriptionsTest.RecordingOutbox();
  private final Loop loop = new Loop("test-loop", () -> { });
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger settled = new AtomicInteger();
  /** The delay bounds asked of the backoff: the delay is the bound itself, 1 ms doubling up to 4 ms. */
  private final List<Long> delays = new CopyOnWriteArrayList<>();
  private Subscriptions subscriptions = subscriptions(LONG, Duration.ofMillis(1), Duration.ofMillis(4));

  private Subscriptions subscriptions(Duration timeout, Duration backoffMin, Duration backoffMax) {
    Backoff backoff = new Backoff(backoffMin, backoffMax, bound -> {
      delays.add(bound);
      return bound;
    });
    return new Subscriptions(outbox, loop, Dispatcher.create(Runnable::run, "unused"), timeout.toNanos(),
        timeout.toNanos(), backoff, 1000, new Counters());
  }

  @AfterEach
  void stopLoop() {
    loop.shutdown();
  }

  private void onLoop(Runnable task) {
    CompletableFuture.runAsync(task, loop::execute).join();
  }

  private SubscriptionImpl local(String topic, String name) {
    return new SubscriptionImpl(null, topic, m -> received.add(name + " " + m.json()));
  }

  /** A confirmed subscription on {@code topic} (request s1), then a lost connection and a new one: sends s2. */
  private SubscriptionImpl liveThenReconnected(String topic) {
    SubscriptionImpl s = local(topic, "a");
    onLoop(() -> {
      subscriptions.add(s);
      subscriptions.subscribed("s1", null, null);
      subscriptions.connectionLost();
      outbox.sent.clear();
      subscriptions.resubscribe(settled::incrementAndGet);
    });
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s2", topic));
    return s;
  }

  private static Frame message(String topic, String data) {
    return Frame.message(topic, null, null, data);
  }

  @ParameterizedTest
  @ValueSource(strings = {"internal_error", "unavailable", "rate_limited"})
  void aRetryableRefusalIsRetriedWithBackoffUntilSubscribed(String code) {
    SubscriptionImpl a = liveThenReconnected("news.eu");
    onLoop(() -> subscriptions.error("s2", code, "cluster hiccup"));
    await().atMost(Duration.ofSeconds(5)).until(() -> outbox.sent.size() == 2);
    onLoop(() -> subscriptions.error("s3", code, "again"));
    await().atMost(Duration.ofSeconds(5)).until(() -> outbox.sent.size() == 3);
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s2", "news.eu"), Frames.subscribe("s3", "news.eu"),
        Frames.subscribe("s4", "news.eu"));
    assertThat(delays).containsExactly(Duration.ofMillis(1).toNanos(), Duration.ofMillis(2).toNanos());
    assertThat(settled).hasValue(0);

    onLoop(() -> subscriptions.subscribed("s4", null, null));
    assertThat(settled).hasValue(1);
    assertThat(a.ended).isNotDone();
    onLoop(() -> subscriptions.route(message("news.eu", "1")));
    assertThat(received).containsExactly("a 1");
  }

  @Test
  void aRetryAsksForTheSameHistoryAgain() {
    SubscriptionImpl a = local("chat.room", "a");
    Position four = new Position("e", 4);
    onLoop(() -> {
      subscriptions.add(a);
      subscriptions.subscribed("s1", four, null);
      subscriptions.connectionLost();
      outbox.sent.clear();
      subscriptions.resubscribe(settled::incrementAndGet);
      subscriptions.error("s2", "internal_error", "hiccup");
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> outbox.sent.size() == 2);
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s2", "chat.room", four, false),
        Frames.subscribe("s3", "chat.room", four, false));
    onLoop(() -> {
      subscriptions.subscribed("s3", new Position("e", 5), true);
      subscriptions.route(Frame.message("chat.room", null, new Position("e", 5), "5"));
    });
    assertThat(received).containsExactly("a 5");
    assertThat(a.position()).isEqualTo(new Position("e", 5));
    assertThat(settled).hasValue(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"too_many_subscriptions", "invalid_topic", "forbidden"})
  void aFinalRefusalEndsTheLiveAndPendingSubscriptions(String code) {
    SubscriptionImpl a = liveThenReconnected("t");
    SubscriptionImpl pending = local("t", "pending");
    onLoop(() -> {
      subscriptions.add(pending);
      subscriptions.error("s2", code, "refused");
    });
    assertThat(code(a.ended)).isEqualTo(code);
    assertThat(code(pending.subscribed)).isEqualTo(code);
    assertThat(code(pending.ended)).isEqualTo(code);
    assertThat(settled).hasValue(1);
    onLoop(() -> subscriptions.route(message("t", "1")));
    a.deliver("t", null, "2", null, 0L);
    assertThat(received).isEmpty();
    assertThat(outbox.sent).hasSize(1);
  }

  @Test
  void internalErrorOnAFirstSubscribeFailsItsStage() {
    SubscriptionImpl a = local("t", "a");
    onLoop(() -> {
      subscriptions.add(a);
      subscriptions.error("s1", "internal_error", "try later");
    });
    assertThat(code(a.subscribed)).isEqualTo("internal_error");
    assertThat(outbox.sent).hasSize(1);
  }

  @Test
  void aRetryWaitsForItsBackoffAndStopsWithTheConnection() {
    subscriptions = subscriptions(LONG, LONG, LONG);
    SubscriptionImpl a = liveThenReconnected("t");
    SubscriptionImpl b = local("t", "b");
    onLoop(() -> {
      subscriptions.error("s2", "internal_error", "hiccup");
      subscriptions.add(b); // does not jump the backoff
    });
    assertThat(outbox.sent).hasSize(1);
    assertThat(b.subscribed).isNotDone();

    onLoop(() -> {
      subscriptions.connectionLost();
      subscriptions.resubscribe(settled::incrementAndGet);
      subscriptions.subscribed("s3", null, null);
    });
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s2", "t"), Frames.subscribe("s3", "t"));
    assertThat(b.subscribed).isCompletedWithValue(b);
    assertThat(a.ended).isNotDone();
    assertThat(settled).hasValue(1);
  }

  @Test
  void unsubscribingDuringARetryWaitSettlesAndSendsNothing() {
    subscriptions = subscriptions(LONG, LONG, LONG);
    SubscriptionImpl a = liveThenReconnected("t");
    CompletableFuture<Void> done = new CompletableFuture<>();
    onLoop(() -> {
      subscriptions.error("s2", "internal_error", "hiccup");
      subscriptions.remove(a, done);
    });
    assertThat(done).isCompleted();
    assertThat(a.ended).isCompletedWithValue(null);
    assertThat(settled).hasValue(1);
    assertThat(outbox.sent).hasSize(1);
  }

  @Test
  void theConnectionIsAnnouncedAtOnceWithoutSubscriptionsAndAfterTheTimeoutWithoutAnswers() {
    onLoop(() -> subscriptions.resubscribe(settled::incrementAndGet));
    assertThat(settled).hasValue(1);

    subscriptions = subscriptions(Duration.ofMillis(50), LONG, LONG);
    liveThenReconnected("t");
    await().atMost(Duration.ofSeconds(5)).until(() -> settled.get() == 2);
    onLoop(() -> subscriptions.subscribed("s2", null, null));
    assertThat(settled).hasValue(2);
  }
}
