package dev.switchboard.client.impl;

import dev.switchboard.client.SwitchboardException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A client's wire subscriptions, reference counted: the local subscriptions on one topic or pattern share one
 * subscription on the wire, sent with the first and withdrawn with the last. Deliveries are routed by the key the
 * broker names ({@code pattern}, else {@code topic}) to the handlers of exactly that wire subscription. Confined to
 * the loop thread.
 */
final class Subscriptions {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.client");

  /** One subscription on the wire. */
  private static final class Wire {
    final String key;
    final List<SubscriptionImpl> locals = new ArrayList<>();
    /** The id of the unanswered subscribe sent on the current connection, or null. */
    String requestId;
    /** The broker answered subscribed on the current connection. */
    boolean active;

    Wire(String key) {
      this.key = key;
    }
  }

  private final Outbox outbox;
  private final Loop loop;
  private final Dispatcher dispatcher;
  private final long timeoutNanos;
  private final Map<String, Wire> byKey = new LinkedHashMap<>();
  private final Map<String, Wire> byRequest = new HashMap<>();
  private final Map<String, CompletableFuture<Void>> unsubscribing = new HashMap<>();

  Subscriptions(Outbox outbox, Loop loop, Dispatcher dispatcher, long timeoutNanos) {
    this.outbox = outbox;
    this.loop = loop;
    this.dispatcher = dispatcher;
    this.timeoutNanos = timeoutNanos;
  }

  /** Adds a local subscription; sends {@code subscribe} if it is the first on its key and a connection is ready. */
  void add(SubscriptionImpl s) {
    Wire w = byKey.computeIfAbsent(s.topic(), Wire::new);
    w.locals.add(s);
    if (w.active) {
      live(s);
      return;
    }
    s.timer = loop.schedule(() -> timedOut(s), timeoutNanos);
    if (w.requestId == null && outbox.ready()) {
      request(w);
    }
  }

  /** Removes a local subscription; {@code done} completes when the broker confirmed, if it had to be told. */
  void remove(SubscriptionImpl s, CompletableFuture<Void> done) {
    s.cancel();
    Wire w = byKey.get(s.topic());
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
    unsubscribing.put(id, done);
    loop.schedule(() -> {
      CompletableFuture<Void> f = unsubscribing.remove(id);
      if (f != null) {
        fail(f, SwitchboardException.TIMEOUT, "no answer to unsubscribe " + id + " in time");
      }
    }, timeoutNanos);
  }

  /** After {@code welcome}: sends {@code subscribe} for every wire subscription; returns the request ids. */
  List<String> resubscribe() {
    List<String> ids = new ArrayList<>();
    for (Wire w : byKey.values()) {
      request(w);
      ids.add(w.requestId);
    }
    return ids;
  }

  void subscribed(String id) {
    Wire w = id == null ? null : byRequest.remove(id);
    if (w == null) {
      return;
    }
    w.requestId = null;
    w.active = true;
    for (SubscriptionImpl s : w.locals) {
      if (!s.live) {
        live(s);
      }
    }
  }

  void unsubscribed(String id) {
    CompletableFuture<Void> f = id == null ? null : unsubscribing.remove(id);
    if (f != null) {
      dispatcher.execute(() -> f.complete(null));
    }
  }

  /** Handles an {@code error} answer; {@code false} when the id is not one of ours. */
  boolean error(String id, String code, String message) {
    if (id == null) {
      return false;
    }
    CompletableFuture<Void> f = unsubscribing.remove(id);
    if (f != null) {
      fail(f, code, message);
      return true;
    }
    Wire w = byRequest.remove(id);
    if (w == null) {
      return false;
    }
    w.requestId = null;
    boolean resubscription = false;
    for (Iterator<SubscriptionImpl> it = w.locals.iterator(); it.hasNext(); ) {
      SubscriptionImpl s = it.next();
      if (s.live) {
        resubscription = true;
      } else {
        it.remove();
        Loop.cancel(s.timer);
        fail(s.subscribed, code, message);
      }
    }
    if (resubscription) {
      LOG.log(System.Logger.Level.WARNING, "subscribing again to {0} after reconnecting failed: {1} {2}; "
          + "its handlers receive nothing until the next reconnect", w.key, code, message);
    }
    if (w.locals.isEmpty()) {
      byKey.remove(w.key);
    }
    return true;
  }

  /** Hands a {@code message} frame to the confirmed handlers of its wire subscription. */
  void route(Frame f) {
    String key = f.pattern() != null ? f.pattern() : f.topic();
    Wire w = key == null ? null : byKey.get(key);
    if (w == null) {
      LOG.log(System.Logger.Level.TRACE, "dropping a message for {0}: no subscription", key);
      return;
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
    String json = f.data() == null ? "null" : f.data();
    dispatcher.execute(() -> {
      for (SubscriptionImpl s : targets) {
        s.deliver(topic, pattern, json);
      }
    });
  }

  /** The connection dropped: nothing is active any more; pending unsubscribes are done (the connection took them). */
  void connectionLost() {
    for (Wire w : byKey.values()) {
      w.active = false;
      w.requestId = null;
    }
    byRequest.clear();
    completeUnsubscribes();
  }

  /** The client is closed: unconfirmed subscribes fail, every handler stops. */
  void failAll(String code, String message) {
    for (Wire w : byKey.values()) {
      for (SubscriptionImpl s : w.locals) {
        s.cancel();
        Loop.cancel(s.timer);
        if (!s.live) {
          fail(s.subscribed, code, message);
        }
      }
    }
    byKey.clear();
    byRequest.clear();
    completeUnsubscribes();
  }

  private void completeUnsubscribes() {
    for (CompletableFuture<Void> f : unsubscribing.values()) {
      dispatcher.execute(() -> f.complete(null));
    }
    unsubscribing.clear();
  }

  private void request(Wire w) {
    if (w.requestId != null) {
      byRequest.remove(w.requestId);
    }
    w.requestId = outbox.nextId('s');
    byRequest.put(w.requestId, w);
    outbox.send(Frames.subscribe(w.requestId, w.key));
  }

  private void live(SubscriptionImpl s) {
    s.live = true;
    Loop.cancel(s.timer);
    dispatcher.execute(() -> s.subscribed.complete(s));
  }

  private void timedOut(SubscriptionImpl s) {
    Wire w = byKey.get(s.topic());
    if (s.live || w == null || !w.locals.remove(s)) {
      return;
    }
    if (w.locals.isEmpty()) {
      drop(w);
    }
    fail(s.subscribed, SwitchboardException.TIMEOUT, "no answer to subscribe " + s.topic() + " in time");
  }

  /** Forgets a wire subscription without locals; sends {@code unsubscribe} when the broker may hold it. */
  private String drop(Wire w) {
    byKey.remove(w.key);
    boolean onWire = w.active || w.requestId != null;
    if (w.requestId != null) {
      byRequest.remove(w.requestId);
    }
    if (!onWire || !outbox.ready()) {
      return null;
    }
    String id = outbox.nextId('u');
    outbox.send(Frames.unsubscribe(id, w.key));
    return id;
  }

  private <T> void fail(CompletableFuture<T> f, String code, String message) {
    dispatcher.execute(() -> f.completeExceptionally(new SwitchboardException(code, message)));
  }
}
