package dev.switchboard.client;

/** A message received through a subscription. */
public interface Message {

  /** The concrete topic it was published to. */
  String topic();

  /** The wildcard pattern of the subscription it came through, or {@code null} for an exact subscription. */
  String pattern();

  /** The published data as JSON text, exactly as the publisher wrote it ({@code "null"} for null data). */
  String json();

  /**
   * The published data as Java values, parsed on first call: {@code LinkedHashMap<String, Object>}, {@code ArrayList},
   * {@code String}, {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double} (or {@code BigDecimal} when a
   * double would lose digits), {@code Boolean} or {@code null}.
   */
  Object data();

  /**
   * The message's place in its history topic, or {@code null} on a topic without history. Store it with what the
   * message changed to resume from it later with {@link SubscribeOptions.Builder#since(Position)}.
   */
  Position position();
}
