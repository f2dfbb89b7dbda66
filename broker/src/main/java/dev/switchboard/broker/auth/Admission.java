package dev.switchboard.broker.auth;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Topics;

/**
 * The checks every subscribe and every publish passes before it reaches the {@link Hub}, whichever way it comes: a
 * WebSocket frame ({@link Session}), the topics of a server-sent-events stream or an HTTP publish
 * ({@code GET /sse}, {@code POST /api/topics/…}). One place, so that a rule added here holds for every way in.
 */
public final class Admission {
  /** Topics the node publishes on itself ({@code switchboard.events}): no client may publish there. */
  public static final String RESERVED_PREFIX = "switchboard.";

  private Admission() {
  }

  /** Why a request was refused: the code and a message for the client. */
  public record Refused(ErrorCode code, String message) {
  }

  /**
   * A subscribe to {@code topicOrPattern} by a client that holds {@code held} other subscriptions (a repeated
   * subscribe does not count itself): null when admitted.
   */
  public static Refused subscribe(String topicOrPattern, int held, int maxSubscriptions) {
    String problem = Topics.checkPattern(topicOrPattern);
    if (problem != null) {
      return new Refused(ErrorCode.INVALID_TOPIC, problem);
    }
    if (held >= maxSubscriptions) {
      return new Refused(ErrorCode.TOO_MANY_SUBSCRIPTIONS, "a connection may hold " + maxSubscriptions
          + " subscriptions");
    }
    return null;
  }

  /**
   * A subscribe by a client with {@code access} (its grants, limits and rate): the checks above, then the client's.
   * Null when admitted.
   */
  public static Refused subscribe(String topicOrPattern, int held, int maxSubscriptions, Access access) {
    Refused refused = subscribe(topicOrPattern, held, maxSubscriptions);
    return refused != null ? refused : access.subscribe(topicOrPattern);
  }

  /** A publish by a client with {@code access}: the check below, then the client's grants, limits and rates. */
  public static Refused publish(String topic, Access access) {
    Refused refused = publish(topic);
    return refused != null ? refused : access.publish(topic);
  }

  /**
   * A publish of the server API ({@code /api/v1/}), whose key is the authority: the grammar and the node's topic
   * limits hold, no client's grants or rates. Null when admitted.
   */
  public static Refused serverPublish(String topic, Security security) {
    Refused refused = publish(topic);
    if (refused != null) {
      return refused;
    }
    String limit = security.topicLimit(topic);
    return limit == null ? null : new Refused(ErrorCode.INVALID_TOPIC, limit);
  }

  /** A publish to {@code topic}: null when admitted. */
  public static Refused publish(String topic) {
    String problem = Topics.checkTopic(topic);
    if (problem != null) {
      return new Refused(ErrorCode.INVALID_TOPIC, problem);
    }
    return topic.startsWith(RESERVED_PREFIX) ? new Refused(ErrorCode.FORBIDDEN, "topics under " + RESERVED_PREFIX
        + " are the node's own") : null;
  }
}
