package dev.switchboard.client.impl;

import dev.switchboard.client.Position;
import dev.switchboard.client.PresenceEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The presence events of a client's wire subscriptions: asks for them when a subscription that wants them joins a
 * wire subscription already confirmed without them (a further {@code subscribe} with {@code presence_events}: the node
 * turns them on for the subscription it holds), and hands each {@code join} and {@code leave} to the presence
 * listeners of the live local subscriptions on its topic. A subscribe sent for the wire subscription itself asks for
 * them when any of its local subscriptions wants them ({@link Subscriptions}); a local subscription without a listener
 * is not told of them. On a history topic the events carry positions in the topic's offsets and are handled as its
 * messages are, positions, duplicates and all ({@link #route}); elsewhere they are dropped and counted while the
 * dispatcher is full. Loop thread only.
 */
final class JoinLeave {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.client");

  private final Outbox outbox;
  private final Dispatcher dispatcher;
  private final Overflow overflow;
  /** The unanswered subscribes sent only to turn events on, by request id. */
  private final Map<String, WireSubscription> asking = new HashMap<>();

  JoinLeave(Outbox outbox, Dispatcher dispatcher, Overflow overflow) {
    this.outbox = outbox;
    this.dispatcher = dispatcher;
    this.overflow = overflow;
  }

  /** A confirmed wire subscription whose subscribe did not ask for events asks now, if a local one wants them. */
  void ask(WireSubscription w) {
    if (!w.active || w.events || !w.wantsEvents() || !outbox.ready()) {
      return;
    }
    w.events = true;
    String id = outbox.nextId('s');
    asking.put(id, w);
    outbox.send(Frames.subscribe(id, w.key, null, false, null, true));
  }

  /** Handles {@code subscribed}; {@code false} when {@code id} is not one of the subscribes sent by {@link #ask}. */
  boolean answered(String id) {
    return id != null && asking.remove(id) != null;
  }

  /** Handles an {@code error}; {@code false} when {@code id} is not one of the subscribes sent by {@link #ask}. */
  boolean refused(String id, String code, String message) {
    WireSubscription w = id == null ? null : asking.remove(id);
    if (w == null) {
      return false;
    }
    // The subscription itself stands; the events are asked for again with the next connection's subscribe.
    LOG.log(System.Logger.Level.WARNING, "presence events on {0} were refused: {1} {2}", w.key, code, message);
    return true;
  }

  /** The connection dropped: what was asked on it is gone (each wire subscription asks again when resubscribed). */
  void connectionLost() {
    asking.clear();
  }

  /**
   * Hands a {@code join} or {@code leave} frame to {@code w}, the subscription on its topic. An event without a
   * position (a topic without history) goes to the live local subscriptions that have a presence listener, or is
   * dropped and counted while the dispatcher is full. An event with a position (a history topic: events and messages
   * share its offsets) is taken as a message is: the wire subscription's position moves on to it, and every live local
   * subscription is given it, in the order of frames, to drop it when already handled and otherwise to move its own
   * position on (and call its listener, when it has one); while the dispatcher is full, the subscription falls behind
   * and fetches it again from the store with the messages.
   */
  void route(Frame f, WireSubscription w) {
    if (w == null) {
      LOG.log(System.Logger.Level.TRACE, "dropping a {0} on {1}: no subscription", f.type(), f.topic());
      return;
    }
    Position position = f.position();
    if (position != null && w.behind) {
      return; // sent again once the subscription catches up
    }
    List<SubscriptionImpl> targets = new ArrayList<>(w.locals.size());
    for (SubscriptionImpl s : w.locals) {
      if (s.live && (position != null || s.options.presenceListener() != null)) {
        targets.add(s);
      }
    }
    if (targets.isEmpty()) {
      return;
    }
    if (overflow.full()) {
      if (position != null && w.position != null) {
        w.behind = true;
        overflow.behind(w.key);
      } else {
        overflow.drop(w.key);
      }
      return;
    }
    boolean join = f.type().equals("join");
    PresenceEvent event = new PresenceEventImpl(f.topic(), f.client(), f.user(), f.node(),
        f.info() == null ? "null" : f.info(), position);
    w.delivered(position);
    dispatcher.execute(() -> {
      for (SubscriptionImpl s : targets) {
        s.presence(join, event);
      }
    });
  }
}
