package dev.switchboard.broker.presence;

/**
 * One subscription's entry in a topic's presence: the client (its session id), the user its token named (null:
 * anonymous), the client-supplied {@code info} (JSON text, bounded by {@link #MAX_INFO_BYTES}; null: none) and the
 * node that holds the connection.
 */
public record PresenceEntry(String client, String user, String info, String node) {
  /** The most bytes of client-supplied info, as UTF-8 JSON text. */
  public static final int MAX_INFO_BYTES = 1024;

  /** The key a user is counted under: its user id, or for an anonymous client the client itself. */
  public String userKey() {
    return user != null ? "u:" + user : "c:" + client;
  }
}
