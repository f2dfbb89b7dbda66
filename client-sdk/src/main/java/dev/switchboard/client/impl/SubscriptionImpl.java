package dev.switchboard.client.impl;

import dev.switchboard.client.GapListener;
import dev.switchboard.client.MessageHandler;
import dev.switchboard.client.Position;
import dev.switchboard.client.PresenceEvent;
import dev.switchboard.client.PresenceListener;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.Subscription;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.protocol.Topics;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;

/**
 * One local subscription: a handler on a wire subscription shared with the client's other handlers on its topic.
 * On a history topic it keeps the position it has reached (its messages', and its presence events', which share the
 * topic's offsets), drops a delivery it has already handled, and reports a gap when it is (re)subscribed and cannot go
 * on where it was; all of that on the dispatcher, in the order of deliveries.
 */
final class SubscriptionImpl implements Subscription {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.client");

  private final SwitchboardClientImpl client;
  private final String topic;
  private final MessageHandler handler;
  final SubscribeOptions options;
  /** The JSON text of {@code options.info()}, encoded once when subscribing, or {@code null}. */
  final String info;
  /** Positions are kept for a topic only: a pattern's messages come from several topics, each with its offsets. */
  private final boolean tracking;
  final ClientFuture<Subscription> subscribed;
  final ClientFuture<Void> ended;
  /** Set by {@link #unsubscribe()}, from any thread: stops deliveries at once. */
  private volatile boolean cancelled;
  /** Loop thread: the broker confirmed it, messages are delivered. */
  boolean live;
  /** Loop thread: fails the subscribe when unanswered. */
  ScheduledFuture<?> timer;
  /** Loop thread: {@link #timer} counts the offline timeout (a further lost connection does not restart it). */
  boolean offline;
  /** Written on the dispatcher: the position reached (last message handled, or where it started). */
  private volatile Position last;
  /** Dispatcher: the message at {@link #last} itself is still wanted (subscribed with {@code latest}). */
  private boolean inclusive;

  SubscriptionImpl(SwitchboardClientImpl client, String topic, MessageHandler handler) {
    this(client, topic, SubscribeOptions.DEFAULTS, handler);
  }

  SubscriptionImpl(SwitchboardClientImpl client, String topic, SubscribeOptions options, MessageHandler handler) {
    this(client, topic, options, null, handler);
  }

  SubscriptionImpl(SwitchboardClientImpl client, String topic, SubscribeOptions options, String info,
      MessageHandler handler) {
    this.client = client;
    this.info = info;
    this.subscribed = ClientFuture.of(client == null ? null : client.dispatcher());
    this.ended = ClientFuture.of(client == null ? null : client.dispatcher());
    this.topic = topic;
    this.handler = handler;
    this.options = options;
    this.tracking = !Topics.isPattern(topic);
    this.last = tracking ? options.since() : null;
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public CompletionStage<Void> unsubscribe() {
    cancelled = true;
    return client.unsubscribe(this);
  }

  @Override
  public CompletionStage<Void> ended() {
    return ended.stage();
  }

  @Override
  public Position position() {
    return last;
  }

  void cancel() {
    cancelled = true;
  }

  /**
   * Loop thread: stops it for good, with {@code code} and {@code message}: an unconfirmed subscribe fails, and so does
   * {@link #ended}, on {@code dispatcher}.
   */
  void end(Dispatcher dispatcher, String code, String message) {
    cancelled = true;
    Loop.cancel(timer);
    SwitchboardException e = new SwitchboardException(code, message);
    if (!live) {
      dispatcher.execute(() -> subscribed.completeExceptionally(e));
    }
    dispatcher.execute(() -> ended.completeExceptionally(e));
  }

  /**
   * Dispatcher thread: calls the handler unless unsubscribed or already handled ({@link #handled}); the position then
   * moves on to this message's, whether the handler returned or threw.
   */
  void deliver(String topic, String pattern, String json, Position position, long publishedAt) {
    if (cancelled || handled(position)) {
      return;
    }
    try {
      handler.onMessage(new MessageImpl(topic, pattern, json, position, publishedAt));
    } catch (Throwable t) {
      LOG.log(System.Logger.Level.WARNING, "message handler of subscription " + this.topic + " threw", t);
    }
    reached(position);
  }

  /**
   * Dispatcher thread: gives a {@code join} or {@code leave} to the presence listener, unless unsubscribed. An event
   * with a position (a history topic) is taken as a message is: dropped when already handled, else the position moves
   * on to it, whether the listener returned or threw, or there is no listener.
   */
  void presence(boolean join, PresenceEvent event) {
    Position position = event.position();
    if (cancelled || handled(position)) {
      return;
    }
    PresenceListener listener = options.presenceListener();
    if (listener != null) {
      try {
        if (join) {
          listener.onJoin(event);
        } else {
          listener.onLeave(event);
        }
      } catch (Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "presence listener of subscription " + topic + " threw", t);
      }
    }
    reached(position);
  }

  /**
   * Dispatcher thread: whether the delivery at {@code position} was handled already: same epoch as the position
   * reached and not after it, unless it is the message at that position still wanted ({@link #inclusive}).
   */
  private boolean handled(Position position) {
    if (!tracking || position == null) {
      return false;
    }
    Position at = last;
    if (!position.sameEpoch(at) || position.offset() > at.offset() || (position.offset() == at.offset() && inclusive)) {
      return false;
    }
    LOG.log(System.Logger.Level.DEBUG, "subscription {0}: dropping offset {1}, already at {2}", topic,
        position.offset(), at.offset());
    return true;
  }

  /** Dispatcher thread: a delivery at {@code position} was handled; the position reached moves on to it, never back. */
  private void reached(Position position) {
    if (!tracking || position == null) {
      return;
    }
    Position at = last;
    if (!position.sameEpoch(at) || position.offset() > at.offset()) {
      last = position;
    }
    inclusive = false;
  }

  /**
   * Dispatcher thread: the wire subscription was confirmed, or this subscription joined one already confirmed.
   * Decides whether this subscription goes on without a gap from where it is, and reports the gap otherwise.
   *
   * @param since the {@code since} sent in the subscribe, or {@code null}
   * @param recovered the broker's {@code recovered}, or {@code null} (no {@code since} sent; or joined)
   * @param position the topic's position: from {@code subscribed}, or the last one delivered when joining
   * @param latestSent the subscribe asked for {@code latest}: the message at {@code position} is still to come
   */
  void resume(Position since, Boolean recovered, Position position, boolean latestSent) {
    if (cancelled || !tracking) {
      return;
    }
    Position at = last;
    if (at == null) {
      last = position;
      inclusive = position != null && latestSent && options.latest();
      return;
    }
    boolean caughtUp = position != null && position.sameEpoch(at) && position.offset() == at.offset();
    boolean recovering = Boolean.TRUE.equals(recovered) && since != null && since.sameEpoch(at)
        && since.offset() <= at.offset() && position != null && position.sameEpoch(at)
        && at.offset() < position.offset();
    if (caughtUp || recovering) {
      return;
    }
    last = position;
    inclusive = false;
    GapListener listener = options.gapListener();
    if (listener == null) {
      LOG.log(System.Logger.Level.WARNING, "subscription {0} missed messages: could not resume after {1}; going on "
          + "after {2}", topic, at, position);
      return;
    }
    LOG.log(System.Logger.Level.DEBUG, "subscription {0} missed messages after {1}; going on after {2}", topic, at,
        position);
    try {
      listener.onGap(this, at, position);
    } catch (Throwable t) {
      LOG.log(System.Logger.Level.WARNING, "gap listener of subscription " + topic + " threw", t);
    }
  }

  @Override
  public String toString() {
    return "Subscription[" + topic + "]";
  }
}
