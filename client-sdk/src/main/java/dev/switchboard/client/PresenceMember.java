package dev.switchboard.client;

/**
 * One member of a topic's presence, from {@link SwitchboardClient#presence}: a subscription to the topic, on any node
 * of the cluster, by any client (WebSocket or server-sent events).
 */
public interface PresenceMember {

  /**
   * The member's connection: its session id, as the node sent it in {@code welcome}.
   *
   * @return the client id; pages are ordered by it
   */
  String client();

  /**
   * The user its token names.
   *
   * @return the user, or {@code null} for an anonymous connection
   */
  String user();

  /**
   * The node the member is connected to.
   *
   * @return the node id
   */
  String node();

  /**
   * The {@code info} it subscribed with, as JSON text, exactly as the node sent it.
   *
   * @return the JSON text; {@code "null"} when it gave none
   */
  String infoJson();

  /**
   * The info as Java values, parsed on every call, with the types of {@link Message#data()}.
   *
   * @return the parsed info, {@code null} when it gave none
   */
  Object info();

  /**
   * Binds the info to {@code type} with the client's Jackson {@code ObjectMapper}, as {@link Message#as(Class)} does:
   * {@code member.infoAs(Profile.class).name()}.
   *
   * @param type the class to bind to
   * @param <T> the type bound to
   * @return the info as a {@code T}, or {@code null} when it gave none
   * @throws IllegalArgumentException when the info does not fit {@code type}
   */
  <T> T infoAs(Class<T> type);
}
