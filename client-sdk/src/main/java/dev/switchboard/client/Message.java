package dev.switchboard.client;

import java.time.Instant;

/** A message received through a subscription. */
public interface Message {

  /**
   * The concrete topic it was published to.
   *
   * @return the topic
   */
  String topic();

  /**
   * The wildcard pattern of the subscription it came through.
   *
   * @return the pattern, or {@code null} for an exact subscription
   */
  String pattern();

  /**
   * The published data as JSON text, exactly as the publisher wrote it.
   *
   * @return the JSON text ({@code "null"} for null data)
   */
  String json();

  /**
   * The published data as Java values, parsed on first call: {@code LinkedHashMap<String, Object>}, {@code ArrayList},
   * {@code String}, {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double} (or {@code BigDecimal} when a
   * double would lose digits), {@code Boolean} or {@code null}. For a record or class of your own, use
   * {@link #as(Class)}.
   *
   * @return the parsed data
   */
  Object data();

  /**
   * Binds the published data to {@code type} — a record, a bean with a no-argument constructor or a
   * {@code @JsonCreator}, an enum, {@code UUID}, {@code Instant} (from an ISO-8601 string), {@code String}, ... —
   * with the client's Jackson {@code ObjectMapper}, parsing the JSON again on every call. Properties the type does
   * not have are ignored; properties the data does not have are left {@code null}, zero, {@code false} or empty.
   * JSON {@code null} data binds to {@code null}. On the module path, {@code type}'s package must be exported, or
   * opened to {@code com.fasterxml.jackson.databind} when the type or its members are not public (see
   * docs/client-java.md).
   *
   * <pre>{@code
   * record Order(UUID id, Instant at, List<Line> lines) {}
   * client.subscribe("orders.>", m -> handle(m.as(Order.class)));
   * }</pre>
   *
   * @param type the class to bind to; for a generic type use {@link #as(TypeRef)}
   * @param <T> the type bound to
   * @return the data as a {@code T}, or {@code null} for JSON {@code null}
   * @throws IllegalArgumentException when the data does not fit {@code type} (a value of the wrong kind, a string
   *     that is not a valid UUID or date, a constructor that refuses the values, a type Jackson cannot create);
   *     the message names the type, what did not fit and where (as {@code $.lines[2].qty}), and the cause is
   *     Jackson's exception
   */
  <T> T as(Class<T> type);

  /**
   * Binds the published data to a generic type, as {@link #as(Class)} does:
   * {@code m.as(new TypeRef<List<Order>>() {})}.
   *
   * @param type the type to bind to
   * @param <T> the type bound to
   * @return the data as a {@code T}, or {@code null} for JSON {@code null}
   * @throws IllegalArgumentException when the data does not fit {@code type}
   */
  <T> T as(TypeRef<T> type);

  /**
   * The time the node the message was published on stamped on it, by that node's clock (millisecond precision), or
   * {@code null} when the node did not send one. Clocks of different nodes may differ: compare times of messages
   * from one node only, or allow for the skew.
   *
   * @return the publishing node's timestamp, or {@code null}
   */
  Instant publishedAt();

  /**
   * The message's place in its history topic, or {@code null} on a topic without history. Store it with what the
   * message changed to resume from it later with {@link SubscribeOptions.Builder#since(Position)}.
   *
   * @return the position, or {@code null}
   */
  Position position();
}
