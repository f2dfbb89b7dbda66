package dev.switchboard.bench.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/** The result file: a whole report (a record) as JSON, records as objects by component name, NaN as null. */
public final class JsonReport {
  private JsonReport() {
  }

  public static Path write(Record report, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, toJson(report).encodePrettily() + "\n", StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public static JsonObject toJson(Record report) {
    return (JsonObject) value(report);
  }

  private static Object value(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long) {
      return v;
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return Double.isNaN(d) || Double.isInfinite(d) ? null : Math.round(d * 1000) / 1000.0;
    }
    if (v instanceof Number) {
      return v;
    }
    if (v instanceof Collection) {
      JsonArray array = new JsonArray();
      ((Collection<?>) v).forEach(e -> array.add(value(e)));
      return array;
    }
    if (v instanceof Map) {
      JsonObject object = new JsonObject();
      ((Map<?, ?>) v).forEach((k, e) -> object.put(String.valueOf(k), value(e)));
      return object;
    }
    if (v.getClass().isRecord()) {
      JsonObject object = new JsonObject();
      for (RecordComponent c : v.getClass().getRecordComponents()) {
        try {
          object.put(c.getName(), value(c.getAccessor().invoke(v)));
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IllegalStateException("cannot read " + c, e);
        }
      }
      return object;
    }
    return v.toString();
  }
}
