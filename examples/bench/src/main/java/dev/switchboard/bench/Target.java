package dev.switchboard.bench;

/**
 * What a run measures: a Switchboard node, or the ceiling server (raw Vert.x broadcast, no protocol) that shows what
 * the same machine can do at best with the same frames. The publisher's frame for the ceiling has the shape and size
 * of the node's {@code message} frame, because the ceiling forwards exactly the bytes it receives.
 */
public enum Target {
  BROKER("broker"),
  CEILING("ceiling");

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
