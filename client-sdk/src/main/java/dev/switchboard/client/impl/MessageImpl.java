package dev.switchboard.client.impl;

import dev.switchboard.client.Message;
import dev.switchboard.client.Position;
import dev.switchboard.client.TypeRef;
import java.time.Instant;
import java.util.Objects;

/** A received message; {@link #data()} is parsed on first use. One instance per handler, so data is not shared. */
final class MessageImpl implements Message {
  private static final Object UNPARSED = new Object();

  private final String topic;
  private final String pattern;
  private final String json;
  private final Position position;
  private final long publishedAtMillis;
  private volatile Object data = UNPARSED;

  /** A message whose publishing time is unknown. */
  MessageImpl(String topic, String pattern, String json, Position position) {
    this(topic, pattern, json, position, 0);
  }

  /** {@code publishedAtMillis}: the publishing node's time in epoch milliseconds, or 0 when it sent none. */
  MessageImpl(String topic, String pattern, String json, Position position, long publishedAtMillis) {
    this.topic = topic;
    this.pattern = pattern;
    this.json = json;
    this.position = position;
    this.publishedAtMillis = publishedAtMillis;
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
  public Instant publishedAt() {
    return publishedAtMillis == 0 ? null : Instant.ofEpochMilli(publishedAtMillis);
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
  public <T> T as(Class<T> type) {
    return DataMapper.read(json, Objects.requireNonNull(type, "type"));
  }

  @Override
  public <T> T as(TypeRef<T> type) {
    return DataMapper.read(json, Objects.requireNonNull(type, "type").type());
  }

  @Override
  public String toString() {
    return "Message[topic=" + topic + (pattern == null ? "" : ", pattern=" + pattern)
        + (position == null ? "" : ", position=" + position.epoch() + ":" + position.offset())
        + (publishedAtMillis == 0 ? "" : ", publishedAt=" + publishedAt()) + ", data=" + json + "]";
  }
}
