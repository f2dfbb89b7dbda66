package dev.switchboard.broker.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.switchboard.protocol.ErrorCode;

import java.io.IOException;

/**
 * One frame from a client, parsed and checked for shape. {@code data} is kept as the exact JSON text the client
 * sent, so it is forwarded byte for byte and never re-encoded. Topic grammar is checked by the caller.
 */
public final class ClientFrame {
  public static final int MAX_ID_LENGTH = 128;
  public static final int MAX_DEPTH = 100;

  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .build();

  public enum Type { SUBSCRIBE, UNSUBSCRIBE, PUBLISH, PONG, HELLO, PRESENCE, PRESENCE_STATS }

  /** The most bytes of a subscription's presence {@code info} (UTF-8 JSON text). */
  public static final int MAX_INFO_BYTES = 1024;
  /** The most entries a {@code presence} page holds, and the default. */
  public static final int MAX_LIMIT = 1000;
  public static final int DEFAULT_LIMIT = 100;

  public final Type type;
  public final String id;
  public final String topic;
  public final String data;
  /** {@code subscribe} only: the position to recover from ({@code sinceEpoch} null when not asked), and latest. */
  public final String sinceEpoch;
  public final long sinceOffset;
  public final boolean latest;
  /** {@code subscribe} only: the client's presence info, as the exact JSON text it sent (null: none). */
  public final String info;
  /** {@code subscribe} only: whether the client wants the topic's join and leave events. */
  public final boolean presenceEvents;
  /** {@code presence} only: the client id to list after (null: from the first), and the most entries to list. */
  public final String after;
  public final int limit;
  /** {@code hello} only: the token. */
  public final String token;
  /** Set when the frame is refused: the code and a message for the client. */
  public final ErrorCode error;
  public final String errorMessage;

  private ClientFrame(Type type, String id, String topic, String data, Since since, boolean latest, String token,
                      ErrorCode error, String errorMessage) {
    this(type, id, topic, data, since, latest, token, error, errorMessage, null, false, null, 0);
  }

  private ClientFrame(Type type, String id, String topic, String data, Since since, boolean latest, String token,
                      ErrorCode error, String errorMessage, String info, boolean presenceEvents, String after,
                      int limit) {
    this.info = info;
    this.presenceEvents = presenceEvents;
    this.after = after;
    this.limit = limit;
    this.type = type;
    this.id = id;
    this.topic = topic;
    this.data = data;
    this.sinceEpoch = since == null ? null : since.epoch;
    this.sinceOffset = since == null ? -1 : since.offset;
    this.latest = latest;
    this.token = token;
    this.error = error;
    this.errorMessage = errorMessage;
  }

  private static ClientFrame refused(String id, ErrorCode code, String message) {
    return new ClientFrame(null, id, null, null, null, false, null, code, message);
  }

  /** A {@code since} field as read: a problem, or the position. */
  private record Since(String epoch, long offset, String problem) {
  }

  public static ClientFrame parse(String text) {
    Object type = null;
    Object id = null;
    Object topic = null;
    String data = null;
    Since since = null;
    Object latest = null;
    Object token = null;
    String info = null;
    Object after = null;
    Object limit = null;
    Object events = null;
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return refused(null, ErrorCode.INVALID_JSON, "a frame must be one JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "type":
            type = scalar(p, value);
            break;
          case "id":
            id = scalar(p, value);
            break;
          case "topic":
            topic = scalar(p, value);
            break;
          case "token":
            token = scalar(p, value);
            break;
          case "data":
            data = raw(p, value, text);
            break;
          case "info":
            info = raw(p, value, text);
            break;
          case "presence_events":
            events = value == JsonToken.VALUE_TRUE ? Boolean.TRUE : value == JsonToken.VALUE_FALSE ? Boolean.FALSE
                : scalar(p, value);
            break;
          case "after":
            after = scalar(p, value);
            break;
          case "limit":
            limit = value == JsonToken.VALUE_NUMBER_INT ? (Object) p.getLongValue() : scalar(p, value);
            break;
          case "since":
            since = since(p, value);
            break;
          case "latest":
            latest = value == JsonToken.VALUE_TRUE ? Boolean.TRUE : value == JsonToken.VALUE_FALSE ? Boolean.FALSE
                : scalar(p, value);
            break;
          default:
            p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        return refused(null, ErrorCode.INVALID_JSON, "text after the JSON object");
      }
    } catch (IOException | RuntimeException e) {
      return refused(null, ErrorCode.INVALID_JSON, "not valid JSON: " + firstLine(e.getMessage()));
    }
    ClientFrame frame = check(type, id, topic, data, since, latest, token);
    if (frame.error != null || (frame.type != Type.SUBSCRIBE && frame.type != Type.PRESENCE)) {
      return frame;
    }
    return extras(frame, info, events, after, limit);
  }

  /** A value's exact JSON text, from {@code text}. */
  private static String raw(JsonParser p, JsonToken value, String text) throws IOException {
    int start = (int) p.currentTokenLocation().getCharOffset();
    if (value.isStructStart()) {
      p.skipChildren();
    } else {
      p.finishToken();
    }
    return text.substring(start, (int) p.currentLocation().getCharOffset());
  }

  /** A subscribe's presence info, a presence request's page. */
  private static ClientFrame extras(ClientFrame f, String info, Object events, Object after, Object limit) {
    if (f.type == Type.SUBSCRIBE) {
      if (info != null && info.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_INFO_BYTES) {
        return refused(f.id, ErrorCode.INVALID_FIELD, "info is longer than " + MAX_INFO_BYTES + " bytes");
      }
      if (events != null && !(events instanceof Boolean)) {
        return refused(f.id, ErrorCode.INVALID_FIELD, "presence_events must be true or false");
      }
      return new ClientFrame(f.type, f.id, f.topic, null, f.sinceEpoch == null ? null
          : new Since(f.sinceEpoch, f.sinceOffset, null), f.latest, null, null, null,
          "null".equals(info) ? null : info, Boolean.TRUE.equals(events), null, 0);
    }
    if (after != null && !(after instanceof String && !((String) after).isEmpty()
        && ((String) after).length() <= MAX_ID_LENGTH)) {
      return refused(f.id, ErrorCode.INVALID_FIELD, "after must be a client id (a string of 1 to " + MAX_ID_LENGTH
          + " characters)");
    }
    if (limit != null && !(limit instanceof Long && (Long) limit >= 1 && (Long) limit <= MAX_LIMIT)) {
      return refused(f.id, ErrorCode.INVALID_FIELD, "limit must be an integer from 1 to " + MAX_LIMIT);
    }
    return new ClientFrame(f.type, f.id, f.topic, null, null, false, null, null, null, null, false, (String) after,
        limit == null ? DEFAULT_LIMIT : (int) (long) (Long) limit);
  }

  /** {@code {"epoch":"…","offset":N}}, N from -1 (nothing seen yet) up. */
  private static Since since(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return new Since(null, 0, "since must be an object {\"epoch\":string,\"offset\":integer}");
    }
    String epoch = null;
    Long offset = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (field.equals("epoch") && v == JsonToken.VALUE_STRING) {
        epoch = p.getText();
      } else if (field.equals("offset") && v == JsonToken.VALUE_NUMBER_INT
          && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
        offset = p.getLongValue();
      } else {
        p.skipChildren();
      }
    }
    if (epoch == null || epoch.isEmpty() || epoch.length() > MAX_ID_LENGTH || offset == null || offset < -1) {
      return new Since(null, 0, "since must be {\"epoch\":string,\"offset\":integer >= -1}");
    }
    return new Since(epoch, offset, null);
  }

  private static ClientFrame check(Object type, Object id, Object topic, String data, Since since, Object latest,
                                   Object token) {
    String goodId = id instanceof String && !((String) id).isEmpty() && ((String) id).length() <= MAX_ID_LENGTH
        ? (String) id : null;
    if (id != null && goodId == null) {
      return refused(null, ErrorCode.INVALID_FIELD, "id must be a string of 1 to " + MAX_ID_LENGTH + " characters");
    }
    Type t = type instanceof String ? typeOf((String) type) : null;
    if (t == null) {
      return refused(goodId, ErrorCode.UNKNOWN_TYPE,
          type == null ? "type is missing" : type instanceof String ? "unknown type '" + type + "'" : "type must be a string");
    }
    if (t == Type.PONG) {
      return new ClientFrame(t, goodId, null, null, null, false, null, null, null);
    }
    if (t == Type.HELLO) {
      // No token (absent, null or empty) is a hello too: the client has none, and is told at once whether it needs one.
      if (token != null && !(token instanceof String)) {
        return refused(goodId, ErrorCode.INVALID_FIELD, "token must be a string");
      }
      String given = token == null || ((String) token).isEmpty() ? null : (String) token;
      return new ClientFrame(t, goodId, null, null, null, false, given, null, null);
    }
    if (!(topic instanceof String)) {
      return refused(goodId, ErrorCode.INVALID_FIELD, topic == null ? "topic is missing" : "topic must be a string");
    }
    if (t == Type.PUBLISH && data == null) {
      return refused(goodId, ErrorCode.INVALID_FIELD, "data is missing (use null for no data)");
    }
    if (t == Type.SUBSCRIBE && since != null && since.problem != null) {
      return refused(goodId, ErrorCode.INVALID_FIELD, since.problem);
    }
    if (t == Type.SUBSCRIBE && latest != null && !(latest instanceof Boolean)) {
      return refused(goodId, ErrorCode.INVALID_FIELD, "latest must be true or false");
    }
    return new ClientFrame(t, goodId, (String) topic, data, t == Type.SUBSCRIBE ? since : null,
        t == Type.SUBSCRIBE && Boolean.TRUE.equals(latest), null, null, null);
  }

  /** A field's value: the text of a string, null for JSON null, otherwise the token (structures are skipped). */
  private static Object scalar(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    p.skipChildren();
    return value == JsonToken.VALUE_NULL ? null : value;
  }

  private static Type typeOf(String type) {
    switch (type) {
      case "subscribe":
        return Type.SUBSCRIBE;
      case "unsubscribe":
        return Type.UNSUBSCRIBE;
      case "publish":
        return Type.PUBLISH;
      case "pong":
        return Type.PONG;
      case "hello":
        return Type.HELLO;
      case "presence":
        return Type.PRESENCE;
      case "presence_stats":
        return Type.PRESENCE_STATS;
      default:
        return null;
    }
  }

  /** The first line of a parser's message, at most 200 characters: enough to say what is wrong, never the input. */
  public static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
