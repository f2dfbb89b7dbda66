package dev.switchboard.client;

/**
 * How many are present in a topic, cluster-wide, from {@link SwitchboardClient#presenceStats(String)}.
 *
 * @param topic the topic asked about
 * @param clients the subscriptions to the topic (a client subscribed on two connections counts twice)
 * @param users the distinct users among them; an anonymous client counts as a user of its own
 */
public record PresenceStats(String topic, long clients, long users) {
}
