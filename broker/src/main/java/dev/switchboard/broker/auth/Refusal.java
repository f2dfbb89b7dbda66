package dev.switchboard.broker.auth;

/**
 * Why the node refused a handshake, a connection or a request for security or a limit: each is counted
 * ({@code switchboard_refusals_total{reason}}) and logged at FINE with the session (or remote address).
 */
public enum Refusal {
  /** A browser handshake from an origin not in {@code allowed-origins}: HTTP 403. */
  ORIGIN("origin"),
  /** The node holds {@code max-connections}: HTTP 503. */
  NODE_CONNECTIONS("node_connections"),
  /** The user holds {@code max-connections-per-user} on this node: close 4007. */
  USER_CONNECTIONS("user_connections"),
  /** A frame other than {@code hello} before authentication: error {@code unauthorized}. */
  UNAUTHENTICATED("unauthenticated"),
  /** A token that is not valid: HTTP 401 at the handshake, close 4500, or error {@code unauthorized} on refresh. */
  INVALID_TOKEN("invalid_token"),
  /** A token past its expiry: close 4004. */
  TOKEN_EXPIRED("token_expired"),
  /** No valid {@code hello} within {@code auth-timeout-ms}: close 4005. */
  AUTH_TIMEOUT("auth_timeout"),
  /** A publish or subscribe the token does not grant: error {@code forbidden}. */
  FORBIDDEN("forbidden"),
  /** Over a publish or subscribe rate: error {@code rate_limited}. */
  RATE_LIMITED("rate_limited"),
  /** A topic longer or deeper than the node's limits: error {@code invalid_topic}. */
  TOPIC_LIMIT("topic_limit"),
  /** A refreshed token that no longer grants a held subscription: close 4006. */
  PERMISSIONS_CHANGED("permissions_changed"),
  /** A server API request ({@code /api/v1/}) without a key (HTTP 401) or with one the node does not hold (403). */
  API_KEY("api_key");

  public final String reason;

  Refusal(String reason) {
    this.reason = reason;
  }
}
