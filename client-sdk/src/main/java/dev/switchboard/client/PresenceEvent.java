package dev.switchboard.client;

/**
 * A user joined or left a presence topic, as its {@code join} or {@code leave} frame told (docs/protocol.md, "Presence
 * events"): a user joins with its first subscription to the topic anywhere in the cluster and leaves with its last,
 * after the node's grace. {@link #client()}, {@link #info()} and {@link #node()} are those of the subscription that
 * joined, or that left last. Given to a {@link PresenceListener}.
 *
 * <p>On a topic that is also a history topic, the node stores each event in the topic's history, in the offsets of
 * its messages: the event has a {@link #position()}, comes in order with the messages, and is recovered after a
 * reconnect like them.
 */
public interface PresenceEvent extends PresenceMember {

  /**
   * The topic joined or left.
   *
   * @return the topic, as subscribed
   */
  String topic();

  /**
   * Where the event stands in its topic's history: on a topic that is both a presence and a history topic, events and
   * messages share one sequence of offsets, so a message's offset and the next one's differ by one for each event
   * between them (those a subscription without a listener does not see, too). A subscription's
   * {@link Subscription#position()} moves on to it once the event is handled.
   *
   * @return the event's position; {@code null} on a topic without history
   */
  Position position();
}
