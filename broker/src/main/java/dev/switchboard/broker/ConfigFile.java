package dev.switchboard.broker;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The config file: one JSON object whose keys are the settings' keys (the flags without {@code --}) and whose values
 * are strings, whole numbers or booleans; {@code join} may also be an array of strings.
 *
 * <pre>{"port": 8080, "cluster-name": "prod", "join": ["10.0.0.2:5701", "10.0.0.3:5701"]}</pre>
 */
final class ConfigFile {
  private ConfigFile() {
  }

  /** Each key of the file with its value as the text a flag would carry. Fails naming {@code config} or the key. */
  static Map<String, String> read(Path file) {
    JsonObject json;
    try {
      json = new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("config: cannot read " + file + " (" + e + ")", e);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("config: " + file + " is not a JSON object (" + e.getMessage() + ")", e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : json) {
      values.put(entry.getKey(), text(entry.getKey(), entry.getValue(), file));
    }
    return values;
  }

  private static String text(String key, Object value, Path file) {
    if (value instanceof String || value instanceof Boolean || value instanceof Integer || value instanceof Long) {
      return value.toString();
    }
    if (value instanceof JsonArray array && array.stream().allMatch(v -> v instanceof String)) {
      return array.stream().map(Object::toString).collect(Collectors.joining(","));
    }
    throw new IllegalArgumentException(key + ": " + (value == null ? "null" : "'" + value + "'")
        + " is not a string, whole number or boolean (in " + file + ")");
  }
}
