package dev.switchboard.admin;

/**
 * A live topic or pattern.
 *
 * @param topic the topic or pattern
 * @param subscribers its subscriptions, cluster-wide
 */
public record TopicInfo(String topic, int subscribers) {
}
