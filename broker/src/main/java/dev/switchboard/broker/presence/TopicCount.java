package dev.switchboard.broker.presence;

/** A live topic (or pattern) and its subscribers, cluster-wide. */
public record TopicCount(String topic, int subscribers) {
}
