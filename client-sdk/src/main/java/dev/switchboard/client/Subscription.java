package dev.switchboard.client;

import java.util.concurrent.CompletionStage;

/** One local subscription, returned by {@link SwitchboardClient#subscribe}. */
public interface Subscription {

  /** The topic or pattern as given to {@code subscribe}. */
  String topic();

  /**
   * Stops this subscription. Its handler is not called for messages dispatched after this call (a call already
   * running may finish). When it was the client's last subscription on its topic, the broker is told; the stage
   * completes when it answered, at once otherwise. Idempotent; on a subscription already {@linkplain #ended() ended}
   * it does nothing and the stage completes at once.
   */
  CompletionStage<Void> unsubscribe();

  /**
   * Completes when this subscription has ended for good and its handler is called no more: normally after
   * {@link #unsubscribe()}; exceptionally with a {@link SwitchboardException} when the client ended it — the broker
   * refused it for good when it was sent again after a reconnect (the broker's code, such as
   * {@code too_many_subscriptions}; {@code internal_error} is retried instead), the server ended it
   * ({@link SwitchboardException#UNSUBSCRIBED}: the application's backend unsubscribed the user from the topic), or the
   * client was closed ({@code closed}, {@code terminal_close}). Use it to learn that a handler went quiet; the client
   * does not subscribe again by itself after such a failure, not after a reconnect either.
   */
  CompletionStage<Void> ended();

  /**
   * On a history topic, the position this subscription has reached: that of the last message or presence event it
   * handled — a message whose handler call returned (or threw), a {@code join} or {@code leave} whose listener call
   * returned (or threw), or that it passed over because it has no {@link PresenceListener} — else where it started
   * (the {@code since} it was given, or the topic's position when it was subscribed, or after a gap). On a topic that
   * is both a history and a presence topic, events take offsets of their own, so this may be an event's position.
   * {@code null} on a topic without history, on a pattern, and before anything is known. Any thread may read it; it
   * moves on the dispatcher.
   */
  Position position();
}
