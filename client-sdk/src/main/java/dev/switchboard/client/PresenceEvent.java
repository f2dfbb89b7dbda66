package dev.switchboard.client;

/**
 * A user joined or left a presence topic, as its {@code join} or {@code leave} frame told (docs/protocol.md, "Presence
 * events"): a user joins with its first subscription to the topic anywhere in the cluster and leaves with its last,
 * after the node's grace. {@link #client()}, {@link #info()} and {@link #node()} are those of the subscription that
 * joined, or that left last. Given to a {@link PresenceListener}.
 */
public interface PresenceEvent extends PresenceMember {

  /**
   * The topic joined or left.
   *
   * @return the topic, as subscribed
   */
  String topic();
}
