package dev.switchboard.client.impl;

import dev.switchboard.client.Position;

/**
 * One frame received from a node; fields a frame type does not have are {@code null} or {@code -1}.
 *
 * @param data the raw JSON text of {@code data}, exactly as received
 * @param position the {@code position} of a {@code message}, {@code subscribed}, {@code join} or {@code leave} on a
 *     history topic
 * @param recovered the {@code recovered} of a {@code subscribed} that answers a {@code since}
 * @param publishedAt the {@code published_at} of a {@code message}: the publishing node's wall clock when it accepted
 *     the publish, epoch milliseconds; {@code 0} when absent (a node of an earlier version, or another frame type)
 * @param members the raw JSON text of a {@code presence} answer's {@code members}
 * @param next a {@code presence} answer's {@code next}
 * @param clients a {@code presence_stats} answer's {@code clients}
 * @param users a {@code presence_stats} answer's {@code users}
 * @param user the {@code user} of a {@code join} or {@code leave}
 * @param client the {@code client} of a {@code join} or {@code leave}
 * @param info the raw JSON text of a {@code join}'s or {@code leave}'s {@code info}
 * @param reason the {@code reason} of an {@code unsubscribed} the client did not ask for ({@code server})
 */
record Frame(String type, String id, String topic, String pattern, String data, String code, String message,
    String node, String session, long heartbeatIntervalMs, long heartbeatTimeoutMs, long maxFrameBytes,
    Position position, Boolean recovered, long publishedAt, String members, String next, long clients, long users,
    String user, String client, String info, String reason) {

  /** A {@code message} frame without a publish stamp. */
  static Frame message(String topic, String pattern, Position position, String data) {
    return message(topic, pattern, position, 0, data);
  }

  /** A {@code message} frame stamped {@code publishedAt}. */
  static Frame message(String topic, String pattern, Position position, long publishedAt, String data) {
    return new Frame("message", null, topic, pattern, data, null, null, null, null, -1, -1, -1, position, null,
        publishedAt, null, null, -1, -1, null, null, null, null);
  }

  /** A {@code join} or {@code leave} frame of a topic without history. */
  static Frame presenceEvent(String type, String topic, String user, String client, String info, String node) {
    return presenceEvent(type, topic, null, user, client, info, node);
  }

  /** A {@code join} or {@code leave} frame; {@code position} on a history topic, else {@code null}. */
  static Frame presenceEvent(String type, String topic, Position position, String user, String client, String info,
      String node) {
    return new Frame(type, null, topic, null, null, null, null, node, null, -1, -1, -1, position, null, 0, null, null,
        -1, -1, user, client, info, null);
  }

  /** A {@code subscribed} frame. */
  static Frame subscribed(String id, String topic, Position position, Boolean recovered) {
    return new Frame("subscribed", id, topic, null, null, null, null, null, null, -1, -1, -1, position, recovered, 0,
        null, null, -1, -1, null, null, null, null);
  }
}
