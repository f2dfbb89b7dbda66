package dev.switchboard.broker.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.switchboard.broker.wire.ClientFrame;
import dev.switchboard.protocol.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON body of a server API request: one object in UTF-8, as strict as a WebSocket frame (no duplicate key, at most
 * {@link ClientFrame#MAX_DEPTH} levels), with only the fields its endpoint knows. {@code data} is kept as the exact
 * text the caller sent, to be forwarded byte for byte as over WebSocket. Every problem is an {@link ApiRefusal}:
 * {@code invalid_json} for the body, {@code invalid_field} naming the field.
 */
final class ApiBody {
  static final String DATA = "data";
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(ClientFrame.MAX_DEPTH).build())
      .build();

  private final JsonObject fields;
  private final String data;

  private ApiBody(JsonObject fields, String data) {
    this.fields = fields;
    this.data = data;
  }

  /** {@code body} as an object whose fields are all among {@code known}. */
  static ApiBody parse(Buffer body, List<String> known) {
    String text = utf8(body);
    String data = null;
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new ApiRefusal(ErrorCode.INVALID_JSON, "the body must be a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        if (!known.contains(name)) {
          throw ApiRefusal.field(name, "is not a field of this request (fields: " + String.join(", ", known) + ")");
        }
        JsonToken value = p.nextToken();
        int start = (int) p.currentTokenLocation().getCharOffset();
        if (value.isStructStart()) {
          p.skipChildren();
        } else {
          p.finishToken();
        }
        if (DATA.equals(name)) {
          data = text.substring(start, (int) p.currentLocation().getCharOffset());
        }
      }
      if (p.nextToken() != null) {
        throw new ApiRefusal(ErrorCode.INVALID_JSON, "text after the JSON object");
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ApiRefusal refusal) {
        throw refusal;
      }
      throw new ApiRefusal(ErrorCode.INVALID_JSON, "not valid JSON: " + ClientFrame.firstLine(e.getMessage()));
    }
    return new ApiBody(new JsonObject(text), data);
  }

  /** The text of the field {@code name}: a string of 1 to {@code max} characters; null when absent and optional. */
  String string(String name, boolean required, int max) {
    Object value = fields.getValue(name);
    if (value == null) {
      if (required || fields.containsKey(name)) {
        throw ApiRefusal.field(name, required ? "is required (a string)" : "must be a string when given");
      }
      return null;
    }
    if (!(value instanceof String text) || text.isEmpty() || text.length() > max) {
      throw ApiRefusal.field(name, "must be a string of 1 to " + max + " characters");
    }
    return text;
  }

  /** The strings of the array field {@code name}: 1 to {@code max} of them. */
  List<String> strings(String name, int max) {
    if (!(fields.getValue(name) instanceof JsonArray array)) {
      throw ApiRefusal.field(name, "is required (an array of strings)");
    }
    if (array.isEmpty() || array.size() > max) {
      throw ApiRefusal.field(name, "must hold 1 to " + max + " entries, holds " + array.size());
    }
    List<String> strings = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof String text)) {
        throw ApiRefusal.field(name, "must hold strings only");
      }
      strings.add(text);
    }
    return strings;
  }

  /** The whole number of the field {@code name}, or {@code otherwise} when it is absent. */
  long number(String name, long otherwise) {
    Object value = fields.getValue(name);
    if (value == null && !fields.containsKey(name)) {
      return otherwise;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw ApiRefusal.field(name, "must be a whole number");
    }
    return ((Number) value).longValue();
  }

  /** The field {@code data}: its JSON text as sent ({@code null} included). */
  String data() {
    if (data == null) {
      throw ApiRefusal.field(DATA, "is required (any JSON value, null included)");
    }
    return data;
  }

  private static String utf8(Buffer body) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body.getBytes())).toString();
    } catch (CharacterCodingException e) {
      throw new ApiRefusal(ErrorCode.INVALID_JSON, "the body is not UTF-8");
    }
  }
}
