package dev.switchboard.protocol;

/**
 * Every error code the broker puts in an {@code error} frame, in one place. An error frame answers one client frame;
 * the connection stays open and usable.
 */
public enum ErrorCode {
  /** The text frame is not a JSON object: malformed JSON, another JSON type, a duplicate key, or nested too deep. */
  INVALID_JSON("invalid_json"),
  /** {@code type} is missing, not a string, or not a known frame type. */
  UNKNOWN_TYPE("unknown_type"),
  /** A field is missing or has the wrong type or size; the message names the field. */
  INVALID_FIELD("invalid_field"),
  /** The topic breaks the topic grammar, or a wildcard is used where a concrete topic is needed. */
  INVALID_TOPIC("invalid_topic"),
  /** A binary frame; the protocol uses text frames only. */
  UNSUPPORTED_FRAME("unsupported_frame"),
  /** The connection already has the maximum number of subscriptions. */
  TOO_MANY_SUBSCRIPTIONS("too_many_subscriptions"),
  /** The node failed to carry out the request; the request may be retried. */
  INTERNAL_ERROR("internal_error"),
  /**
   * The topic does not keep what was asked for: presence ({@code --presence}) or history ({@code --history}). Over
   * the server API, HTTP 404.
   */
  NOT_ENABLED("not_enabled"),
  /**
   * A publish to a history topic could not be stored in the cluster; it may or may not have been. Retry. Over HTTP
   * also: the node is draining and starts no new server-sent-events stream; connect to another node.
   */
  UNAVAILABLE("unavailable"),
  /**
   * An HTTP publish whose body is larger than the node's {@code max_frame_bytes} (HTTP 413). Over WebSocket such a
   * message closes the connection with 1009 instead.
   */
  MESSAGE_TOO_BIG("message_too_big"),
  /**
   * The node requires authentication and this connection has not authenticated (a frame other than {@code hello}
   * came first), or a {@code hello} that refreshes the token carried a token the node does not accept.
   */
  UNAUTHORIZED("unauthorized"),
  /** The connection's token does not grant this publish or subscribe. */
  FORBIDDEN("forbidden"),
  /** The connection (or its user, on this node) sent requests faster than the node's rate limit; not carried out. */
  RATE_LIMITED("rate_limited"),
  /** Server API only (HTTP 404): no such path under {@code /api/v1/}, or the node's server API is off. */
  NOT_FOUND("not_found"),
  /** Server API only (HTTP 405): the path exists, but not with this method. */
  METHOD_NOT_ALLOWED("method_not_allowed");

  private final String wire;

  ErrorCode(String wire) {
    this.wire = wire;
  }

  /** The code as written in the {@code code} field of an error frame. */
  public String wire() {
    return wire;
  }

  /** The code with this wire name, or {@code null}. */
  public static ErrorCode of(String wire) {
    for (ErrorCode c : values()) {
      if (c.wire.equals(wire)) {
        return c;
      }
    }
    return null;
  }
}
