package dev.switchboard.bench;

/**
 * What a run measures: a Switchboard node, or the ceiling server (raw Vert.x broadcast, no protocol) that shows what
 * the same machine can do at best with the same frames. The publisher's frame for the ceiling has the shape and size
 * of the node's {@code message} frame for a plain topic, {@code published_at} included, because the ceiling forwards
 * exactly the bytes it receives.
 */
public enum Target {
  BROKER("broker"),
  CEILING("ceiling");

  /**
   * The {@code published_at} of every frame a ceiling publisher sends: fixed (nobody reads it, and the ceiling, which
   * only forwards bytes, reads no clock), with the 13 digits of the node's stamp in epoch milliseconds (2001 to 2286).
   */
  static final long CEILING_PUBLISHED_AT = 1_765_100_000_000L;

  private final String label;

  Target(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The JSON a publisher's frame starts with, up to the opening quote of its data. */
  public String publishPrefix(String topic) {
    return this == BROKER ? "{\"type\":\"publish\",\"topic\":\"" + topic + "\",\"data\":\""
        : deliveryPrefix(topic);
  }

  /**
   * The JSON a publisher's frame ends with, after the closing quote of its data. For the node, the closing brace:
   * the node stamps each message itself, and a {@code published_at} in a {@code publish} would only be skipped. For
   * the ceiling, the tail of the node's {@code message} frame, {@link #deliverySuffix}.
   */
  public String publishSuffix() {
    return this == BROKER ? "}" : deliverySuffix(CEILING_PUBLISHED_AT);
  }

  /** The JSON the node's {@code message} frame ends with, after the closing quote of its data (docs/protocol.md). */
  public static String deliverySuffix(long publishedAt) {
    return ",\"published_at\":" + publishedAt + "}";
  }

  /** The JSON a subscriber's delivery starts with, up to the opening quote of its data. */
  public static String deliveryPrefix(String topic) {
    return "{\"type\":\"message\",\"topic\":\"" + topic + "\",\"data\":\"";
  }

  /** The path a publisher connects to: the ceiling is told, so it never sends a publisher anything. */
  public String publisherPath(String path) {
    return this == CEILING ? path + "?" + CeilingServer.PUBLISHER_QUERY : path;
  }

  /** Whether subscribers must ask for their topic (the ceiling sends everything to every listener). */
  public boolean subscribes() {
    return this == BROKER;
  }

  public static Target parse(String value) {
    for (Target t : values()) {
      if (t.label.equals(value)) {
        return t;
      }
    }
    throw new IllegalArgumentException("target: '" + value + "' is not broker, ceiling or both");
  }
}
