package dev.switchboard.client.impl;

import dev.switchboard.client.Message;
import dev.switchboard.client.Position;

/** A received message; {@link #data()} is parsed on first use. One instance per handler, so data is not shared. */
final class MessageImpl implements Message {
  private static final Object UNPARSED = new Object();

  private final String topic;
  private final String pattern;
  private final String json;
  private final Position position;
  private volatile Object data = UNPARSED;

  MessageImpl(String topic, String pattern, String json, Position position) {
    this.topic = topic;
    this.pattern = pattern;
    this.json = json;
    this.position = position;
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public String pattern() {
    return pattern;
  }

  @Override
  public String json() {
    return json;
  }

  @Override
  public Position position() {
    return position;
  }

  @Override
  public Object data() {
    Object d = data;
    if (d == UNPARSED) {
      d = JsonCodec.parse(json);
      data = d;
    }
    return d;
  }

  @Override
  public String toString() {
    return "Message[topic=" + topic + (pattern == null ? "" : ", pattern=" + pattern)
        + (position == null ? "" : ", position=" + position.epoch() + ":" + position.offset()) + ", data=" + json + "]";
  }
}
