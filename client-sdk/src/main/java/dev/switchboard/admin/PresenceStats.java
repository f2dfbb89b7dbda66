package dev.switchboard.admin;

/**
 * A presence topic's counts.
 *
 * @param topic the topic
 * @param clients its subscriptions
 * @param users distinct users among them (an anonymous client counts as one)
 */
public record PresenceStats(String topic, int clients, int users) {
}
