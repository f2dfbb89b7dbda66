package dev.switchboard.client.impl;

import dev.switchboard.client.Position;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A client's wire subscriptions, reference counted: the local subscriptions on one topic or pattern share one
 * subscription on the wire, sent with the first and withdrawn with the last. Deliveries are routed by the key the
 * broker names ({@code pattern}, else {@code topic}) to the handlers of exactly that wire subscription. A wire
 * subscription whose handlers are live is never dropped silently: a retryable refusal ({@code internal_error},
 * {@code unavailable}, {@code rate_limited}) is retried with backoff on the same connection, any other refusal ends
 * its local subscriptions.
 *
 * <p>History topics: a wire subscription keeps the position of the last message (or presence event: they share the
 * topic's offsets, {@link JoinLeave#route}) it handed to the dispatcher and asks, in every later subscribe (after a
 * reconnect, or a retry), for the messages after it ({@code since}); the dispatcher runs the messages it already has
 * before those, so none is skipped and none is handled twice. Each local subscription then checks, on the
 * dispatcher, whether it goes on where it was ({@link SubscriptionImpl#resume}). Confined to the loop thread.
 */
final class Subscriptions {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.client");
  /**
   * The refusals of a subscribe that may succeed when sent again unchanged: the node could not register it, its
   * store did not answer, or the connection sent subscribes faster than the node's rate allows (as a reconnect
   * resubscribing many topics at once can).
   */
  private static final Set<String> RETRYABLE = Set.of(ErrorCode.INTERNAL_ERROR.wire(), ErrorCode.UNAVAILABLE.wire(),
      ErrorCode.RATE_LIMITED.wire());

  private final Outbox outbox;
  private final Loop loop;
  private final Dispatcher dispatcher;
  private final long timeoutNanos;
  private final long offlineNanos;
  private final Backoff backoff;
  private final Overflow overflow;
  private final Map<String, WireSubscription> byKey = new LinkedHashMap<>();
  private final Map<String, WireSubscription> byRequest = new HashMap<>();
  private final Unsubscribes unsubscribing;
  private final Settling settling;
  private final JoinLeave joinLeave;

  /**
   * @param timeoutNanos the time allowed for an answer once a request is sent ({@code requestTimeout})
   * @param offlineNanos the time a subscribe may wait for a connection ({@code offlineTimeout})
   */
  Subscriptions(Outbox outbox, Loop loop, Dispatcher dispatcher, long timeoutNanos, long offlineNanos,
                Backoff backoff, int maxBacklog, Counters counters) {
    this.outbox = outbox;
    this.loop = loop;
    this.dispatcher = dispatcher;
    this.timeoutNanos = timeoutNanos;
    this.offlineNanos = offlineNanos;
    this.backoff = backoff;
    this.settling = new Settling(loop, timeoutNanos);
    this.overflow = new Overflow(dispatcher, loop, maxBacklog, counters, this::catchUp);
    this.unsubscribing = new Unsubscribes(loop, dispatcher, timeoutNanos);
    this.joinLeave = new JoinLeave(outbox, dispatcher, overflow);
  }

  /** Adds a local subscription; sends {@code subscribe} if it is the first on its key and a connection is ready. */
  void add(SubscriptionImpl s) {
    WireSubscription w = byKey.computeIfAbsent(s.topic(), WireSubscription::new);
    w.locals.add(s);
    if (w.active) {
      Position at = w.position;
      dispatcher.execute(() -> s.resume(null, null, at, false));
      live(s);
      joinLeave.ask(w);
      return;
    }
    arm(s, !outbox.ready());
    if (w.requestId == null && w.retryTimer == null && outbox.ready()) {
      request(w);
    }
  }

  /** A subscribe not confirmed fails with {@code timeout}: after the offline timeout, or the request timeout once sent. */
  private void arm(SubscriptionImpl s, boolean offline) {
    Loop.cancel(s.timer);
    s.offline = offline;
    long nanos = offline ? offlineNanos : timeoutNanos;
    s.timer = loop.schedule(() -> timedOut(s, nanos), nanos);
  }

  /** Removes a local subscription; {@code done} completes when the broker confirmed, if it had to be told. */
  void remove(SubscriptionImpl s, CompletableFuture<Void> done) {
    s.cancel();
    dispatcher.execute(() -> s.ended.complete(null));
    WireSubscription w = byKey.get(s.topic());
    if (w == null || !w.locals.remove(s)) {
      dispatcher.execute(() -> done.complete(null));
      return;
    }
    Loop.cancel(s.timer);
    String id = w.locals.isEmpty() ? drop(w) : null;
    if (id == null) {
      dispatcher.execute(() -> done.complete(null));
      return;
    }
    unsubscribing.await(id, done);
  }

  /**
   * After {@code welcome}: sends {@code subscribe} for every wire subscription. {@code settled} runs once each of
   * them is settled — answered {@code subscribed}, refused for good, or no longer wanted — at once when there are
   * none, and at the latest after the request timeout (those still unanswered or retrying then carry on).
   */
  void resubscribe(Runnable settled) {
    for (WireSubscription w : byKey.values()) {
      request(w);
    }
    settling.await(byKey.values(), settled);
  }

  /**
   * Handles {@code subscribed}: {@code position} and {@code recovered} as the broker sent them (null when absent).
   * Every local subscription learns where the topic goes on from before it is (again) live.
   */
  void subscribed(String id, Position position, Boolean recovered) {
    WireSubscription w = id == null || joinLeave.answered(id) ? null : byRequest.remove(id);
    if (w == null) {
      return;
    }
    w.requestId = null;
    w.active = true;
    w.behind = false;
    w.retries = 0;
    Position since = w.requestSince;
    boolean latest = w.requestLatest;
    if (position != null) {
      // Recovered: the messages after since come next. Otherwise delivery goes on after the current position.
      w.position = Boolean.TRUE.equals(recovered) && since != null ? since : position;
    }
    if (since != null && !Boolean.TRUE.equals(recovered)) {
      LOG.log(System.Logger.Level.DEBUG, "{0}: could not recover after {1}; now at {2}", w.key, since, position);
    }
    for (SubscriptionImpl s : w.locals) {
      dispatcher.execute(() -> s.resume(since, recovered, position, latest));
      if (!s.live) {
        live(s);
      }
    }
    settling.settle(w);
    joinLeave.ask(w); // a local subscription with a presence listener came while the subscribe was unanswered
  }

  /**
   * Handles {@code unsubscribed}: the answer to an {@code unsubscribe}, or, without {@code id}, the node dropped the
   * subscription to {@code topic} itself ({@code reason} {@code server}: the application's backend asked, through the
   * server API). Then every local subscription on it ends with {@link SwitchboardException#UNSUBSCRIBED}, and none is
   * sent again after a reconnect.
   */
  void unsubscribed(String id, String topic, String reason) {
    WireSubscription w = id != null || topic == null ? null : byKey.get(topic);
    if (w == null) {
      unsubscribing.answered(id);
      return;
    }
    LOG.log(System.Logger.Level.INFO, "the server ended the subscription to {0} (reason {1})", topic, reason);
    for (SubscriptionImpl s : w.locals) {
      s.end(dispatcher, SwitchboardException.UNSUBSCRIBED, "the server ended the subscription to " + topic
          + " (reason " + reason + ")");
    }
    w.locals.clear();
    w.active = false; // the node holds it no more; drop withdraws a subscribe sent since, still unanswered
    drop(w);
  }

  /**
   * Handles an {@code error} answer; {@code false} when the id is not one of ours. A subscribe refused with a
   * {@link #RETRYABLE} code while live handlers depend on it is retried; otherwise every local subscription on it
   * ends with the error.
   */
  boolean error(String id, String code, String message) {
    if (id == null || unsubscribing.refused(id, code, message) || joinLeave.refused(id, code, message)) {
      return id != null;
    }
    WireSubscription w = byRequest.remove(id);
    if (w == null) {
      return false;
    }
    w.requestId = null;
    boolean live = w.hasLive();
    if (live && RETRYABLE.contains(code)) {
      retryLater(w, code, message);
      return true;
    }
    if (live) {
      LOG.log(System.Logger.Level.WARNING, "subscribing again to {0} was refused: {1} {2}; its handlers are stopped "
          + "and Subscription.ended() fails", w.key, code, message);
    }
    for (SubscriptionImpl s : w.locals) {
      s.end(dispatcher, code, message);
    }
    w.locals.clear();
    byKey.remove(w.key);
    settling.settle(w);
    return true;
  }

  private void retryLater(WireSubscription w, String code, String message) {
    long delay = backoff.delayNanos(w.retries++);
    LOG.log(System.Logger.Level.WARNING, "subscribing again to {0} failed: {1} {2}; retry {3} in {4} ms", w.key, code,
        message, w.retries, delay / 1_000_000);
    w.retryTimer = loop.schedule(() -> {
      w.retryTimer = null;
      if (byKey.get(w.key) == w && outbox.ready()) {
        request(w);
      }
    }, delay);
  }

  /**
   * Hands a {@code message} frame to the confirmed handlers of its wire subscription, unless the dispatcher already
   * holds {@link Overflow#full() too much}: then a message of a history topic is not handed on, and its subscription
   * catches up from the store once the dispatcher has room ({@link #catchUp}); any other message is dropped and
   * counted.
   */
  void route(Frame f) {
    overflow.received();
    String key = f.pattern() != null ? f.pattern() : f.topic();
    WireSubscription w = key == null ? null : byKey.get(key);
    if (w == null) {
      LOG.log(System.Logger.Level.TRACE, "dropping a message for {0}: no subscription", key);
      return;
    }
    if (w.behind) {
      return; // sent again once the subscription catches up
    }
    List<SubscriptionImpl> targets = new ArrayList<>(w.locals.size());
    for (SubscriptionImpl s : w.locals) {
      if (s.live) {
        targets.add(s);
      }
    }
    if (targets.isEmpty()) {
      return;
    }
    String topic = f.topic();
    String pattern = f.pattern();
    Position position = f.position();
    if (overflow.full()) {
      if (pattern == null && position != null && w.position != null) {
        w.behind = true;
        overflow.behind(w.key);
      } else {
        overflow.drop(key);
      }
      return;
    }
    String json = f.data() == null ? "null" : f.data();
    long publishedAt = f.publishedAt();
    if (pattern == null) {
      w.delivered(position);
    }
    dispatcher.execute(() -> {
      for (SubscriptionImpl s : targets) {
        s.deliver(topic, pattern, json, position, publishedAt);
      }
    });
  }

  /** Hands a {@code join} or {@code leave} frame to the presence listeners on its topic. */
  void presenceEvent(Frame f) {
    joinLeave.route(f, f.topic() == null ? null : byKey.get(f.topic()));
  }

  /**
   * The dispatcher has room again: every history subscription that fell behind asks for the messages after the last
   * one it handed on, as after a reconnect ({@code unsubscribe}, then {@code subscribe} with {@code since}).
   */
  private void catchUp() {
    if (!outbox.ready()) {
      return; // the next connection's resubscribe asks for them
    }
    for (WireSubscription w : byKey.values()) {
      if (w.behind && w.requestId == null && w.retryTimer == null) {
        w.reset();
        outbox.send(Frames.unsubscribe(outbox.nextId('u'), w.key));
        request(w);
      }
    }
  }

  /** The connection dropped: nothing is active any more; pending unsubscribes are done (the connection took them). */
  void connectionLost() {
    for (WireSubscription w : byKey.values()) {
      w.reset();
      for (SubscriptionImpl s : w.locals) {
        if (!s.live && !s.offline) {
          arm(s, true); // sent on the lost connection: now it waits for the next one
        }
      }
    }
    byRequest.clear();
    joinLeave.connectionLost();
    settling.stop();
    unsubscribing.completeAll();
  }

  /** The client is closed: every local subscription ends with {@code code}; unconfirmed subscribes fail. */
  void failAll(String code, String message) {
    for (WireSubscription w : byKey.values()) {
      w.cancelRetry();
      for (SubscriptionImpl s : w.locals) {
        s.end(dispatcher, code, message);
      }
    }
    byKey.clear();
    byRequest.clear();
    joinLeave.connectionLost();
    settling.stop();
    unsubscribing.completeAll();
  }

  private void request(WireSubscription w) {
    if (w.requestId != null) {
      byRequest.remove(w.requestId);
    }
    w.requestId = outbox.nextId('s');
    byRequest.put(w.requestId, w);
    w.requestSince = w.since();
    w.requestLatest = w.requestSince == null && w.wantsLatest();
    w.events = w.wantsEvents();
    outbox.send(Frames.subscribe(w.requestId, w.key, w.requestSince, w.requestLatest, w.info(), w.events));
    for (SubscriptionImpl s : w.locals) {
      if (!s.live) {
        arm(s, false); // sent: the answer is due within the request timeout
      }
    }
  }

  private void live(SubscriptionImpl s) {
    s.live = true;
    Loop.cancel(s.timer);
    dispatcher.execute(() -> s.subscribed.complete(s));
  }

  private void timedOut(SubscriptionImpl s, long nanos) {
    WireSubscription w = byKey.get(s.topic());
    if (s.live || w == null || !w.locals.remove(s)) {
      return;
    }
    if (w.locals.isEmpty()) {
      drop(w);
    }
    s.end(dispatcher, SwitchboardException.TIMEOUT, (outbox.ready() ? "no answer to subscribe "
        : "no connection for subscribe ") + s.topic() + " within " + nanos / 1_000_000 + " ms");
  }

  /** Forgets a wire subscription without locals; sends {@code unsubscribe} when the broker may hold it. */
  private String drop(WireSubscription w) {
    byKey.remove(w.key);
    w.cancelRetry();
    boolean onWire = w.active || w.requestId != null;
    if (w.requestId != null) {
      byRequest.remove(w.requestId);
    }
    settling.settle(w);
    if (!onWire || !outbox.ready()) {
      return null;
    }
    String id = outbox.nextId('u');
    outbox.send(Frames.unsubscribe(id, w.key));
    return id;
  }

  /**
   * Ends every local subscription (for {@code drain}): each withdrawn as {@link #remove} does; the stages complete
   * when the node confirmed (or at once when it need not be told).
   */
  List<CompletableFuture<Void>> removeAll(Supplier<CompletableFuture<Void>> stages) {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (WireSubscription w : new ArrayList<>(byKey.values())) {
      for (SubscriptionImpl s : new ArrayList<>(w.locals)) {
        CompletableFuture<Void> f = stages.get();
        remove(s, f);
        done.add(f);
      }
    }
    return done;
  }
}
