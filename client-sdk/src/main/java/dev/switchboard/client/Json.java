package dev.switchboard.client;

import dev.switchboard.client.impl.JsonCodec;
import java.util.Objects;

/** Pre-encoded JSON, published as is: {@code client.publish("t", Json.raw("{\"a\":1}"))}. */
public final class Json {
  private final String text;

  private Json(String text) {
    this.text = text;
  }

  /**
   * Wraps JSON text after checking it is exactly one valid JSON value.
   *
   * @throws IllegalArgumentException when it is not
   */
  public static Json raw(String json) {
    JsonCodec.validate(Objects.requireNonNull(json, "json"));
    return new Json(json);
  }

  /** The JSON text. */
  public String text() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Json && ((Json) o).text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
