package dev.switchboard.client.impl;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.client.Position;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Encodes client frames and decodes server frames (docs/protocol.md). */
final class Frames {
  static final String PONG = "{\"type\":\"pong\"}";

  private Frames() {
  }

  static String subscribe(String id, String topic) {
    return subscribe(id, topic, null, false, null, false);
  }

  /**
   * A {@code subscribe}, with {@code since} when not null, else with {@code latest} when true; with {@code info}
   * (JSON text, written as is) when not null; with {@code "presence_events":true} when {@code events}.
   */
  static String subscribe(String id, String topic, Position since, boolean latest, String info, boolean events) {
    String frame = request("subscribe", id, topic, since, latest, false, null, info);
    return events ? frame.substring(0, frame.length() - 1) + ",\"presence_events\":true}" : frame;
  }

  /** A {@code subscribe}, with {@code since} when not null, else with {@code latest} when true. */
  static String subscribe(String id, String topic, Position since, boolean latest) {
    return subscribe(id, topic, since, latest, null, false);
  }

  /** A {@code presence} request: {@code after} when not null, {@code limit} when positive. */
  static String presence(String id, String topic, String after, int limit) {
    StringWriter out = new StringWriter(64);
    try (JsonGenerator g = JsonCodec.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", "presence");
      g.writeStringField("id", id);
      g.writeStringField("topic", topic);
      if (after != null) {
        g.writeStringField("after", after);
      }
      if (limit > 0) {
        g.writeNumberField("limit", limit);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  static String presenceStats(String id, String topic) {
    return request("presence_stats", id, topic, null, false, false, null, null);
  }

  /** A {@code hello} carrying the connection's token, or none ({@code null}: the client has no token). */
  static String hello(String token) {
    StringWriter out = new StringWriter(token == null ? 32 : token.length() + 32);
    try (JsonGenerator g = JsonCodec.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", "hello");
      if (token != null) {
        g.writeStringField("token", token);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  static String unsubscribe(String id, String topic) {
    return request("unsubscribe", id, topic, null, false, false, null, null);
  }

  /** @throws IllegalArgumentException when {@code data} cannot be encoded */
  static String publish(String id, String topic, Object data) {
    return request("publish", id, topic, null, false, true, data, null);
  }

  private static String request(String type, String id, String topic, Position since, boolean latest,
      boolean withData, Object data, String info) {
    StringWriter out = new StringWriter(64);
    try (JsonGenerator g = JsonCodec.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", type);
      g.writeStringField("id", id);
      g.writeStringField("topic", topic);
      if (since != null) {
        g.writeObjectFieldStart("since");
        g.writeStringField("epoch", since.epoch());
        g.writeNumberField("offset", since.offset());
        g.writeEndObject();
      } else if (latest) {
        g.writeBooleanField("latest", true);
      }
      if (withData) {
        g.writeFieldName("data");
        JsonCodec.write(g, data, 1);
      }
      if (info != null) {
        g.writeFieldName("info");
        g.writeRawValue(info);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * Decodes a server frame, skipping unknown fields.
   *
   * @throws IOException when the text is not a JSON object
   */
  static Frame parse(String text) throws IOException {
    try (JsonParser p = JsonCodec.FACTORY.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("frame is not a JSON object");
      }
      String type = null, id = null, topic = null, pattern = null, data = null, code = null, message = null;
      String node = null, session = null, members = null, next = null, user = null, client = null, info = null;
      String reason = null;
      long interval = -1, timeout = -1, maxFrame = -1, publishedAt = 0, clients = -1, users = -1;
      Position position = null;
      Boolean recovered = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "type" -> type = string(p);
          case "id" -> id = string(p);
          case "topic" -> topic = string(p);
          case "pattern" -> pattern = string(p);
          case "code" -> code = string(p);
          case "message" -> message = string(p);
          case "node" -> node = string(p);
          case "session" -> session = string(p);
          case "data" -> data = raw(p, text);
          case "members" -> members = value == JsonToken.START_ARRAY ? raw(p, text) : skip(p);
          case "next" -> next = string(p);
          case "user" -> user = string(p);
          case "client" -> client = string(p);
          case "info" -> info = raw(p, text);
          case "reason" -> reason = string(p);
          case "clients" -> clients = count(p);
          case "users" -> users = count(p);
          case "position" -> position = position(p);
          case "published_at" -> publishedAt = stamp(p);
          case "recovered" -> {
            recovered = value == JsonToken.VALUE_TRUE ? Boolean.TRUE : value == JsonToken.VALUE_FALSE ? Boolean.FALSE
                : null;
            p.skipChildren();
          }
          case "heartbeat", "limits" -> {
            if (value != JsonToken.START_OBJECT) {
              p.skipChildren();
              continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String field = p.currentName();
              p.nextToken();
              long n = p.currentToken() == JsonToken.VALUE_NUMBER_INT ? p.getValueAsLong() : -1;
              switch (field) {
                case "interval_ms" -> interval = n;
                case "timeout_ms" -> timeout = n;
                case "max_frame_bytes" -> maxFrame = n;
                default -> p.skipChildren();
              }
            }
          }
          default -> p.skipChildren();
        }
      }
      return new Frame(type, id, topic, pattern, data, code, message, node, session, interval, timeout, maxFrame,
          position, recovered, publishedAt, members, next, clients, users, user, client, info, reason);
    }
  }

  /** A {@code published_at}: an integer of epoch milliseconds, or {@code 0} (none) when it is not one. */
  private static long stamp(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return p.getLongValue();
    }
    p.skipChildren();
    return 0;
  }

  /** A {@code position} object, or {@code null} when it is not {@code {"epoch":string,"offset":integer >= -1}}. */
  private static Position position(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    String epoch = null;
    long offset = Long.MIN_VALUE;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals("epoch") && value == JsonToken.VALUE_STRING) {
        epoch = p.getText();
      } else if (field.equals("offset") && value == JsonToken.VALUE_NUMBER_INT
          && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
        offset = p.getLongValue();
      } else {
        p.skipChildren();
      }
    }
    return epoch == null || epoch.isEmpty() || offset < -1 ? null : new Position(epoch, offset);
  }

  /** A count: a non-negative integer, else {@code -1}. */
  private static long count(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return Math.max(-1, p.getLongValue());
    }
    p.skipChildren();
    return -1;
  }

  private static String skip(JsonParser p) throws IOException {
    p.skipChildren();
    return null;
  }

  static String string(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    p.skipChildren();
    return null;
  }

  /** The text of the current value, cut from the frame so that it stays byte for byte as sent. */
  static String raw(JsonParser p, String text) throws IOException {
    boolean container = p.currentToken().isStructStart();
    int start = (int) p.currentTokenLocation().getCharOffset();
    if (container) {
      p.skipChildren();
    } else {
      p.finishToken();
    }
    int end = (int) p.currentLocation().getCharOffset();
    // The parser may have looked one character past a scalar; a JSON value never ends with any of these.
    String trailing = container ? " \t\r\n," : " \t\r\n,}]";
    while (end > start && trailing.indexOf(text.charAt(end - 1)) >= 0) {
      end--;
    }
    return text.substring(start, end);
  }

  /** The number of bytes of {@code s} in UTF-8. */
  static int utf8Length(CharSequence s) {
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          bytes += 2;
          i++;
        } else {
          bytes += 2;
        }
      }
    }
    return bytes;
  }
}
