package dev.switchboard.protocol;

/**
 * Every WebSocket close code the broker sends, in one place.
 *
 * <p>Codes fall in two classes. A <em>reconnect</em> code means the client should connect again (with backoff,
 * possibly to another node) and resubscribe. A <em>terminal</em> code means reconnecting would fail the same way:
 * the client must not retry on its own. Application codes follow the same split by range:
 * {@value #RECONNECT_MIN}–{@value #RECONNECT_MAX} reconnect, {@value #TERMINAL_MIN}–{@value #TERMINAL_MAX} terminal.
 * Standard codes (1000–1015) are classified one by one in {@link #isTerminal(int)}.
 */
public enum CloseCode {
  /** The client asked to close, or the server answers the client's close. */
  NORMAL(1000, "normal", false),
  /** The node is shutting down. */
  GOING_AWAY(1001, "going_away", false),
  /** A frame that breaks the WebSocket protocol (RFC 6455): unmasked, reserved bits, a bad opcode or fragment order. */
  PROTOCOL_ERROR(1002, "protocol_error", true),
  /** A text frame that is not valid UTF-8. Sent by the WebSocket layer. */
  INVALID_PAYLOAD(1007, "invalid_payload", true),
  /** A frame or message larger than the node's {@code max_frame_bytes}. Sent by the WebSocket layer. */
  MESSAGE_TOO_BIG(1009, "message_too_big", true),
  /** An unexpected failure on the node; the session is gone, reconnect. */
  INTERNAL_ERROR(1011, "internal_error", false),
  /** The client did not answer a {@code ping} within the heartbeat timeout. */
  HEARTBEAT_TIMEOUT(4000, "heartbeat_timeout", false),
  /** The client read too slowly: the bytes waiting to be written to it passed the node's limit. */
  SLOW_CONSUMER(4001, "slow_consumer", false),
  /** The node is draining before it stops: connect to another node. Sent spread over the node's drain window. */
  NODE_DRAINING(4002, "node_draining", false),
  /**
   * The node could not keep delivering a history topic without a gap (it fell behind the stored window, or the store
   * was lost): reconnect and recover with {@code since}, which tells whether anything was missed.
   */
  MISSED_MESSAGES(4003, "missed_messages", false),
  /** The connection's token expired and was not refreshed in time: reconnect with a fresh token. */
  TOKEN_EXPIRED(4004, "token_expired", false),
  /** The node requires authentication and no {@code hello} with a token arrived in time. */
  AUTH_TIMEOUT(4005, "auth_timeout", false),
  /**
   * A refreshed token no longer grants one of the connection's subscriptions: reconnect, resubscribe, and learn
   * which ones are refused.
   */
  PERMISSIONS_CHANGED(4006, "permissions_changed", false),
  /** The connection's user already holds the most connections the node allows one user. */
  TOO_MANY_CONNECTIONS(4007, "too_many_connections", false),
  /**
   * The node sees fewer members than its {@code min-members} (a partition left it in a minority): connect again, through
   * a load balancer that reaches the majority, and recover with {@code since}.
   */
  NO_QUORUM(4008, "no_quorum", false),
  /** The token is not valid (bad signature, malformed, wrong issuer or audience): the same token would fail again. */
  UNAUTHORIZED(4500, "unauthorized", true),
  /**
   * The application's backend ended the user's connections through the server API ({@code POST /api/v1/disconnect}):
   * do not reconnect on its own. A backend may choose another code of either range instead; the reason is then
   * {@code disconnected} too.
   */
  DISCONNECTED(4501, "disconnected", true);

  public static final int RECONNECT_MIN = 4000;
  public static final int RECONNECT_MAX = 4499;
  public static final int TERMINAL_MIN = 4500;
  public static final int TERMINAL_MAX = 4999;

  private final int code;
  private final String reason;
  private final boolean terminal;

  CloseCode(int code, String reason, boolean terminal) {
    this.code = code;
    this.reason = reason;
    this.terminal = terminal;
  }

  /** The numeric close code on the wire. */
  public int code() {
    return code;
  }

  /** The close reason on the wire, a stable lower-case name. */
  public String reason() {
    return reason;
  }

  /** Whether a client must not reconnect after this code. */
  public boolean terminal() {
    return terminal;
  }

  /** The known code with this number, or {@code null}. */
  public static CloseCode of(int code) {
    for (CloseCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return null;
  }

  /**
   * Whether any close code, known or not, forbids an automatic reconnect: the terminal application range, and the
   * standard codes that say the client itself broke the protocol (1002, 1003, 1007, 1008, 1009, 1010). Anything else,
   * including an abnormal closure (1006, no close frame), means reconnect.
   */
  public static boolean isTerminal(int code) {
    if (code >= TERMINAL_MIN && code <= TERMINAL_MAX) {
      return true;
    }
    switch (code) {
      case 1002: case 1003: case 1007: case 1008: case 1009: case 1010:
        return true;
      default:
        return false;
    }
  }
}
