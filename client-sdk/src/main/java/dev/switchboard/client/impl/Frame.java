package dev.switchboard.client.impl;

import dev.switchboard.client.Position;

/**
 * One frame received from a node; fields a frame type does not have are {@code null} or {@code -1}.
 *
 * @param data the raw JSON text of {@code data}, exactly as received
 * @param position the {@code position} of a {@code message} or {@code subscribed} on a history topic
 * @param recovered the {@code recovered} of a {@code subscribed} that answers a {@code since}
 */
record Frame(String type, String id, String topic, String pattern, String data, String code, String message,
    String node, String session, long heartbeatIntervalMs, long heartbeatTimeoutMs, long maxFrameBytes,
    Position position, Boolean recovered) {

  /** A {@code message} frame. */
  static Frame message(String topic, String pattern, Position position, String data) {
    return new Frame("message", null, topic, pattern, data, null, null, null, null, -1, -1, -1, position, null);
  }

  /** A {@code subscribed} frame. */
  static Frame subscribed(String id, String topic, Position position, Boolean recovered) {
    return new Frame("subscribed", id, topic, null, null, null, null, null, null, -1, -1, -1, position, recovered);
  }
}
