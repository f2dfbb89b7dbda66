package dev.switchboard.client;

/**
 * Told that a subscription to a history topic could not resume where it left off: the messages after
 * {@code lastSeen} could not all be recovered (they left the topic's window by size or age, the cluster's history
 * was restarted under a new epoch, or the topic keeps no history), so some were missed. Delivery goes on with the
 * messages after {@code resumesAfter}. Typically the application reloads the state it builds from the topic.
 *
 * <p>Called on the client's dispatcher, after every message delivered before the gap and before any message after
 * it. Given per subscription with {@link SubscribeOptions.Builder#gapListener(GapListener)}; without one, the client
 * logs the gap at {@code WARNING}.
 */
@FunctionalInterface
public interface GapListener {

  /**
   * @param subscription the subscription that missed messages
   * @param lastSeen the position it had reached (the last message handled, or the {@code since} it was given)
   * @param resumesAfter the position after which delivery goes on: the topic's position when it was subscribed
   *     again; {@code null} for a topic without history
   */
  void onGap(Subscription subscription, Position lastSeen, Position resumesAfter);
}
