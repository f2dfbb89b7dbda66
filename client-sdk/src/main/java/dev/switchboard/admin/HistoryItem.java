package dev.switchboard.admin;

import dev.switchboard.client.Json;
import dev.switchboard.client.Position;
import java.time.Instant;

/**
 * A message stored in a history topic.
 *
 * @param position where it is stored
 * @param data its data, as JSON text (the same value the publisher sent)
 * @param publishedAt the publishing node's clock when it took the message; null for a message stored by a node of
 *     an earlier version
 */
public record HistoryItem(Position position, Json data, Instant publishedAt) {
}
