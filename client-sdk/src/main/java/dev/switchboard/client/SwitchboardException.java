package dev.switchboard.client;

import dev.switchboard.protocol.ErrorCode;

/**
 * A refused or failed operation. {@link #code()} is either a broker error code ({@link ErrorCode#wire()}, such as
 * {@code invalid_topic}) or one of the client-side codes defined here.
 */
public class SwitchboardException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The client was closed before the operation completed. */
  public static final String CLOSED = "closed";
  /** The publish buffer ({@link ClientOptions#publishBufferBytes()}) is full; the message was not queued. */
  public static final String BUFFER_FULL = "buffer_full";
  /** A publish was sent but the connection dropped before its answer: it may or may not have been published. */
  public static final String CONNECTION_LOST = "connection_lost";
  /**
   * No answer within {@link ClientOptions#requestTimeout()} once sent, or no connection within
   * {@link ClientOptions#offlineTimeout()}. A publish that fails with it before it was sent is never sent.
   */
  public static final String TIMEOUT = "timeout";
  /** The encoded frame is larger than the node's {@code limits.max_frame_bytes}; it was not sent. */
  public static final String FRAME_TOO_LARGE = "frame_too_large";
  /** The server closed the connection with a terminal close code; the client does not reconnect. */
  public static final String TERMINAL_CLOSE = "terminal_close";
  /**
   * The node answered the WebSocket handshake with an HTTP status that retrying will not change (a wrong path: 404,
   * an origin not allowed: 403, a bad request: 400 or 426); the message names the status. The client does not
   * reconnect. A status that may pass (429, 5xx: a node draining, full or without quorum) is retried instead.
   */
  public static final String HANDSHAKE_REFUSED = "handshake_refused";
  /**
   * The node requires authentication and the client has no token, or the node refused its token ({@code 401} at
   * the handshake, close code {@code 4500}). The same text as {@link ErrorCode#UNAUTHORIZED}. The client does not
   * reconnect.
   */
  public static final String UNAUTHORIZED = "unauthorized";

  /**
   * {@link Subscription#ended()} only: the server ended the subscription, the client did not ask — the application's
   * backend unsubscribed this client's user from the topic (server API, docs/operations.md; the frame's reason,
   * {@code server}, is in the message). Every local subscription on the topic ends; the client does not subscribe to
   * it again, not after a reconnect either.
   */
  public static final String UNSUBSCRIBED = "unsubscribed";

  private final String code;

  public SwitchboardException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** The broker error code or client code, see the constants of this class and {@link ErrorCode}. */
  public String code() {
    return code;
  }

  /** The broker error code, or {@code null} for a client-side code. */
  public ErrorCode errorCode() {
    return ErrorCode.of(code);
  }

  @Override
  public String toString() {
    return "SwitchboardException[" + code + "]: " + getMessage();
  }
}
