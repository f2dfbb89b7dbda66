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
   * Wraps JSON text after checking it is exactly one valid JSON value. It may be published on its own or inside a
   * {@code Map}, a list, a record or a bean; it is written as is.
   *
   * @param json the JSON text
   * @return the text, checked
   * @throws IllegalArgumentException when it is not one JSON value, or has an unpaired surrogate
   */
  public static Json raw(String json) {
    JsonCodec.validate(Objects.requireNonNull(json, "json"));
    return new Json(json);
  }

  /**
   * The JSON text.
   *
   * @return the text as given to {@link #raw(String)}
   */
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
