package dev.switchboard.client.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.client.SwitchboardException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reference counting and routing, with the connection replaced by a recording {@link Outbox}. */
class SubscriptionsTest {

  /** Records the frames sent; ready or not as the test says. */
  static final class RecordingOutbox implements Outbox {
    final List<String> sent = new CopyOnWriteArrayList<>();
    volatile boolean ready = true;
    private long ids;

    @Override
    public boolean ready() {
      return ready;
    }

    @Override
    public String nextId(char prefix) {
      return prefix + Long.toString(++ids);
    }

    @Override
    public void send(String frame) {
      sent.add(frame);
    }
  }

  private final RecordingOutbox outbox = new RecordingOutbox();
  private final Loop loop = new Loop("test-loop", () -> { });
  private final List<String> received = new CopyOnWriteArrayList<>();
  private Subscriptions subscriptions = subscriptions(Duration.ofHours(1));

  private Subscriptions subscriptions(Duration timeout) {
    return new Subscriptions(outbox, loop, Dispatcher.create(Runnable::run, "unused"), timeout.toNanos(),
        timeout.toNanos(), new Backoff(Duration.ofMillis(1), Duration.ofMillis(1)), 1000, new Counters());
  }

  @AfterEach
  void stopLoop() {
    loop.shutdown();
  }

  private SubscriptionImpl local(String topic, String name) {
    return new SubscriptionImpl(null, topic, m -> received.add(name + " " + m.topic() + " " + m.pattern() + " " + m.json()));
  }

  private static Frame message(String topic, String pattern, String data) {
    return Frame.message(topic, pattern, null, data);
  }

  @Test
  void localSubscriptionsOnOneTopicShareOneWireSubscription() {
    SubscriptionImpl a = local("news.eu", "a");
    SubscriptionImpl b = local("news.eu", "b");
    subscriptions.add(a);
    subscriptions.add(b);
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s1", "news.eu"));
    assertThat(a.subscribed).isNotDone();

    subscriptions.subscribed("s1", null, null);
    assertThat(a.subscribed).isCompletedWithValue(a);
    assertThat(b.subscribed).isCompletedWithValue(b);

    SubscriptionImpl c = local("news.eu", "c");
    subscriptions.add(c);
    assertThat(c.subscribed).isCompletedWithValue(c);
    assertThat(outbox.sent).hasSize(1);
  }

  @Test
  void routesByPatternElseTopicToLiveHandlersOnly() {
    SubscriptionImpl exact = local("news.eu", "exact");
    SubscriptionImpl one = local("news.*", "one");
    SubscriptionImpl pending = local("news.>", "pending");
    subscriptions.add(exact);
    subscriptions.add(one);
    subscriptions.add(pending);
    subscriptions.subscribed("s1", null, null);
    subscriptions.subscribed("s2", null, null);

    subscriptions.route(message("news.eu", null, "{\"n\":1.0}"));
    subscriptions.route(message("news.eu", "news.*", "2"));
    subscriptions.route(message("news.eu", "news.>", "3"));
    subscriptions.route(message("other", null, "4"));
    subscriptions.route(message("news.eu", null, null));
    assertThat(received).containsExactly("exact news.eu null {\"n\":1.0}", "one news.eu news.* 2",
        "exact news.eu null null");
  }

  @Test
  void aThrowingHandlerDoesNotStopTheOthers() {
    SubscriptionImpl bad = new SubscriptionImpl(null, "t", m -> {
      throw new IllegalStateException("expected by the test");
    });
    SubscriptionImpl good = local("t", "good");
    subscriptions.add(bad);
    subscriptions.add(good);
    subscriptions.subscribed("s1", null, null);
    subscriptions.route(message("t", null, "1"));
    assertThat(received).containsExactly("good t null 1");
  }

  @Test
  void lastUnsubscribeWithdrawsTheWireSubscription() {
    SubscriptionImpl a = local("t", "a");
    SubscriptionImpl b = local("t", "b");
    subscriptions.add(a);
    subscriptions.add(b);
    subscriptions.subscribed("s1", null, null);

    CompletableFuture<Void> first = new CompletableFuture<>();
    subscriptions.remove(a, first);
    assertThat(first).isCompleted();
    assertThat(outbox.sent).hasSize(1);
    subscriptions.route(message("t", null, "1"));
    assertThat(received).containsExactly("b t null 1");

    CompletableFuture<Void> last = new CompletableFuture<>();
    subscriptions.remove(b, last);
    assertThat(outbox.sent).last().isEqualTo(Frames.unsubscribe("u2", "t"));
    assertThat(last).isNotDone();
    subscriptions.unsubscribed("u2", "t", null);
    assertThat(last).isCompleted();
    assertThat(a.ended).isCompletedWithValue(null);
    assertThat(b.ended).isCompletedWithValue(null);

    CompletableFuture<Void> again = new CompletableFuture<>();
    subscriptions.remove(b, again);
    assertThat(again).isCompleted();
    assertThat(outbox.sent).hasSize(2);
  }

  @Test
  void anUnsubscribedFromTheServerEndsEveryLocalSubscriptionOnItsTopicForGood() {
    SubscriptionImpl a = local("t", "a");
    SubscriptionImpl b = local("t", "b");
    SubscriptionImpl other = local("o", "o");
    subscriptions.add(a);
    subscriptions.add(b);
    subscriptions.add(other);
    subscriptions.subscribed("s1", null, null);
    subscriptions.subscribed("s2", null, null);

    subscriptions.unsubscribed(null, "t", "server");

    for (SubscriptionImpl s : List.of(a, b)) {
      assertThat(s.ended).isCompletedExceptionally();
      assertThat(s.ended.handle((v, e) -> ((SwitchboardException) e).code()))
          .isCompletedWithValue(SwitchboardException.UNSUBSCRIBED);
    }
    assertThat(other.ended).isNotDone();
    assertThat(outbox.sent).hasSize(2); // the node dropped it already: no unsubscribe
    subscriptions.route(message("t", null, "1"));
    subscriptions.route(message("o", null, "2"));
    assertThat(received).containsExactly("o o null 2");
    // Not sent again on the next connection; unsubscribing an ended subscription completes at once.
    subscriptions.connectionLost();
    subscriptions.resubscribe(() -> { });
    assertThat(outbox.sent.subList(2, outbox.sent.size())).containsExactly(Frames.subscribe("s3", "o"));
    CompletableFuture<Void> done = new CompletableFuture<>();
    subscriptions.remove(a, done);
    assertThat(done).isCompleted();
    assertThat(outbox.sent).hasSize(3);
  }

  @Test
  void anErrorFailsThePendingSubscribes() {
    SubscriptionImpl a = local("t", "a");
    subscriptions.add(a);
    assertThat(subscriptions.error("s1", "too_many_subscriptions", "limit")).isTrue();
    assertThat(a.subscribed).isCompletedExceptionally();
    assertThat(code(a.subscribed)).isEqualTo("too_many_subscriptions");
    assertThat(subscriptions.error("s1", "x", "y")).isFalse();

    subscriptions.add(local("t", "b"));
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s1", "t"), Frames.subscribe("s2", "t"));
  }

  @Test
  void subscribesWhileDisconnectedAreSentOnTheNextConnection() {
    outbox.ready = false;
    SubscriptionImpl a = local("a", "a");
    subscriptions.add(a);
    subscriptions.add(local("b", "b"));
    assertThat(outbox.sent).isEmpty();

    outbox.ready = true;
    AtomicInteger settled = new AtomicInteger();
    subscriptions.resubscribe(settled::incrementAndGet);
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s1", "a"), Frames.subscribe("s2", "b"));
    subscriptions.subscribed("s1", null, null);
    assertThat(a.subscribed).isCompleted();
    assertThat(settled).hasValue(0);
    subscriptions.subscribed("s2", null, null);
    assertThat(settled).hasValue(1);
  }

  @Test
  void aLostConnectionDeactivatesEverythingAndResubscribeSendsItAgain() {
    SubscriptionImpl a = local("a", "a");
    subscriptions.add(a);
    subscriptions.subscribed("s1", null, null);
    SubscriptionImpl gone = local("g", "g");
    subscriptions.add(gone);
    subscriptions.subscribed("s2", null, null);
    CompletableFuture<Void> unsubscribing = new CompletableFuture<>();
    subscriptions.remove(gone, unsubscribing);

    outbox.ready = false;
    subscriptions.connectionLost();
    assertThat(unsubscribing).isCompleted();
    SubscriptionImpl b = local("a", "b");
    subscriptions.add(b);
    assertThat(b.subscribed).isNotDone();

    outbox.ready = true;
    outbox.sent.clear();
    subscriptions.resubscribe(() -> { });
    assertThat(outbox.sent).containsExactly(Frames.subscribe("s4", "a"));
    subscriptions.subscribed("s4", null, null);
    assertThat(b.subscribed).isCompleted();
    subscriptions.route(message("a", null, "1"));
    assertThat(received).containsExactly("a a null 1", "b a null 1");
  }

  @Test
  void anUnansweredSubscribeTimesOut() {
    Subscriptions quick = subscriptions(Duration.ofMillis(50));
    SubscriptionImpl a = local("t", "a");
    loop.execute(() -> quick.add(a));
    await().atMost(Duration.ofSeconds(5)).until(a.subscribed::isDone);
    assertThat(code(a.subscribed)).isEqualTo(SwitchboardException.TIMEOUT);
  }

  @Test
  void closingFailsPendingSubscribesAndStopsHandlers() {
    SubscriptionImpl live = local("a", "live");
    subscriptions.add(live);
    subscriptions.subscribed("s1", null, null);
    SubscriptionImpl pending = local("b", "pending");
    subscriptions.add(pending);
    subscriptions.failAll(SwitchboardException.CLOSED, "closed");
    assertThat(code(pending.subscribed)).isEqualTo(SwitchboardException.CLOSED);
    assertThat(code(live.ended)).isEqualTo(SwitchboardException.CLOSED);
    live.deliver("a", null, "1", null, 0L);
    assertThat(received).isEmpty();
  }

  static String code(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.join();
      return null;
    } catch (java.util.concurrent.CompletionException e) {
      return ((SwitchboardException) e.getCause()).code();
    }
  }
}
