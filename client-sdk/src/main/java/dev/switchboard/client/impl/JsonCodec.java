package dev.switchboard.client.impl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.client.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts published data between Java values and JSON text: jackson-core's streaming API for plain values (maps,
 * lists, strings, numbers, ...), {@link DataMapper} for the rest. Internal: public only so that
 * {@link Json#raw(String)} and the admin client can use it.
 */
public final class JsonCodec {
  static final JsonFactory FACTORY = JsonFactory.builder().build();
  /** The broker refuses frames nested deeper than 100; the frame object itself is one level. */
  static final int MAX_DEPTH = 99;

  private JsonCodec() {
  }

  /** The JSON text of a Java value; see {@link #write}. */
  static String encode(Object value) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, value, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * Writes null, String, Number, Boolean, Map with String keys, Iterable, array and {@link Json} with the streaming
   * API, and anything else (records, beans, {@code java.time}, {@code Optional}, enums, UUIDs, maps with other keys,
   * ...) with {@link DataMapper}'s ObjectMapper, held to the same refusals.
   *
   * @throws IllegalArgumentException for a value that cannot be written as JSON (naming its type and why), NaN or
   *     infinite numbers, nesting deeper than 99 levels, or text (a string, map key or property name) that is not
   *     well-formed UTF-16 (an unpaired surrogate cannot be sent as UTF-8: the JDK's WebSocket would refuse the
   *     whole frame)
   */
  static void write(JsonGenerator g, Object value, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("data is nested more than " + MAX_DEPTH + " levels deep (a cycle?)");
    }
    if (value == null) {
      g.writeNull();
    } else if (value instanceof String) {
      g.writeString(checkText((String) value, "string"));
    } else if (value instanceof Boolean) {
      g.writeBoolean((Boolean) value);
    } else if (value instanceof Number) {
      writeNumber(g, (Number) value);
    } else if (value instanceof Json) {
      g.writeRawValue(((Json) value).text());
    } else if (value instanceof Map && stringKeys((Map<?, ?>) value)) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        g.writeFieldName(checkText((String) e.getKey(), "map key"));
        write(g, e.getValue(), depth + 1);
      }
      g.writeEndObject();
    } else if (value instanceof Iterable && !(value instanceof Path)) {
      g.writeStartArray();
      for (Object item : (Iterable<?>) value) {
        write(g, item, depth + 1);
      }
      g.writeEndArray();
    } else if (value.getClass().isArray()) {
      g.writeStartArray();
      int n = Array.getLength(value);
      for (int i = 0; i < n; i++) {
        write(g, Array.get(value, i), depth + 1);
      }
      g.writeEndArray();
    } else {
      // A Path is an Iterable of Paths, each of itself: the mapper writes it as a URI string.
      DataMapper.write(g, value, depth);
    }
  }

  private static boolean stringKeys(Map<?, ?> map) {
    for (Object key : map.keySet()) {
      if (!(key instanceof String)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns {@code s} when it is well-formed UTF-16.
   *
   * @throws IllegalArgumentException naming {@code what} and the index of the first unpaired surrogate
   */
  static String checkText(String s, String what) {
    int i = unpairedSurrogate(s);
    if (i >= 0) {
      throw new IllegalArgumentException("data: " + surrogateMessage(what, s.charAt(i), i));
    }
    return s;
  }

  /** Why text with the unpaired surrogate {@code c} at {@code index} is refused. */
  static String surrogateMessage(String what, char c, int index) {
    return String.format("%s has an unpaired surrogate U+%04X at index %d; it is not valid Unicode and cannot be "
        + "sent as UTF-8", what, (int) c, index);
  }

  /** The index of the first surrogate in {@code s} that is not part of a high-low pair, or {@code -1}. */
  static int unpairedSurrogate(CharSequence s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  private static void writeNumber(JsonGenerator g, Number n) throws IOException {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      g.writeNumber(n.longValue());
    } else if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("data: " + d + " is not a valid JSON number");
      }
      if (n instanceof Float) {
        g.writeNumber(n.floatValue());
      } else {
        g.writeNumber(d);
      }
    } else if (n instanceof BigInteger) {
      g.writeNumber((BigInteger) n);
    } else if (n instanceof BigDecimal) {
      g.writeNumber((BigDecimal) n);
    } else {
      try {
        g.writeNumber(new BigDecimal(n.toString()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("data: " + n + " is not a valid JSON number");
      }
    }
  }

  /** Parses one JSON value; see {@link dev.switchboard.client.Message#data()} for the Java types. */
  static Object parse(String json) {
    try (JsonParser p = FACTORY.createParser(json)) {
      if (p.nextToken() == null) {
        throw new IllegalArgumentException("empty JSON text");
      }
      return read(p);
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid JSON: " + describe(e), e);
    }
  }

  private static Object read(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case START_OBJECT: {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          map.put(name, read(p));
        }
        return map;
      }
      case START_ARRAY: {
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(read(p));
        }
        return list;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
            return p.getIntValue();
          case LONG:
            return p.getLongValue();
          default:
            return p.getBigIntegerValue();
        }
      case VALUE_NUMBER_FLOAT: {
        BigDecimal exact = p.getDecimalValue();
        double d = p.getDoubleValue();
        boolean lossless = Double.isFinite(d) && new BigDecimal(Double.toString(d)).compareTo(exact) == 0;
        return lossless ? (Object) d : exact;
      }
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IllegalArgumentException("unexpected JSON token " + p.currentToken());
    }
  }

  private static String describe(IOException e) {
    return e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
  }

  /**
   * The JSON text of a published value, as {@link dev.switchboard.client.SwitchboardClient#publish} writes it; for
   * the admin client ({@code dev.switchboard.admin}), which publishes the same values over HTTP.
   *
   * @throws IllegalArgumentException for a value that cannot be written as JSON (see {@link #write})
   */
  public static String toJson(Object value) {
    return encode(value);
  }

  /**
   * Checks that {@code json} is exactly one JSON value, nothing before or after, and well-formed UTF-16.
   *
   * @throws IllegalArgumentException when it is not
   */
  public static void validate(String json) {
    int bad = unpairedSurrogate(json);
    if (bad >= 0) {
      throw new IllegalArgumentException(String.format("invalid JSON: unpaired surrogate U+%04X at index %d; "
          + "it cannot be sent as UTF-8", (int) json.charAt(bad), bad));
    }
    try (JsonParser p = FACTORY.createParser(json)) {
      if (p.nextToken() == null) {
        throw new IllegalArgumentException("invalid JSON: empty text");
      }
      p.skipChildren();
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("invalid JSON: more than one value");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid JSON: " + describe(e), e);
    }
  }
}
