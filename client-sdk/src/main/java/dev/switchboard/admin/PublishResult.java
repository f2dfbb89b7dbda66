package dev.switchboard.admin;

import dev.switchboard.client.Position;

/**
 * A message the node took: handed to the cluster on a plain topic, stored on a history topic.
 *
 * @param topic the topic
 * @param position where it was stored on a history topic; null on a plain topic
 */
public record PublishResult(String topic, Position position) {
}
