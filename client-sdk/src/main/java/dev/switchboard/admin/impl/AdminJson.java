package dev.switchboard.admin.impl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.admin.AdminException;
import dev.switchboard.admin.AdminPage;
import dev.switchboard.admin.BroadcastResult;
import dev.switchboard.admin.ClusterInfo;
import dev.switchboard.admin.DisconnectResult;
import dev.switchboard.admin.HistoryItem;
import dev.switchboard.admin.NodeInfo;
import dev.switchboard.admin.PublishResult;
import dev.switchboard.admin.TopicInfo;
import dev.switchboard.admin.UnsubscribeResult;
import dev.switchboard.client.Json;
import dev.switchboard.client.Position;
import dev.switchboard.client.PresenceMember;
import dev.switchboard.client.PresencePage;
import dev.switchboard.client.PresenceStats;
import dev.switchboard.client.impl.PresenceMemberImpl;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The server API's JSON, both ways: request bodies written with jackson-core, answers read as trees (numbers kept
 * exactly: a message's data is handed back as the same JSON value) into the admin package's records. An answer that
 * is not what the server API sends is an {@link AdminException} with {@link AdminException#UNEXPECTED_ANSWER}.
 */
final class AdminJson {
  private static final JsonFactory FACTORY = JsonFactory.builder().build();
  private static final ObjectMapper READER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .build();
  /** The most characters of an unexpected body quoted in an exception's message. */
  static final int QUOTED = 200;

  private AdminJson() {
  }

  /** What writes the fields of a request's object. */
  interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  /** A request body: one object with the fields {@code fields} writes. */
  static String object(Fields fields) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The body of a 200 answer as a tree; any other answer as the exception it stands for. */
  static JsonNode answer(int status, String body) {
    JsonNode tree;
    try {
      tree = READER.readTree(body);
    } catch (JsonProcessingException e) {
      tree = null;
    }
    if (status == 200 && tree != null && tree.isObject()) {
      return tree;
    }
    JsonNode error = tree == null ? null : tree.path("error");
    if (status != 200 && error != null && error.path("code").isTextual()) {
      throw new AdminException(status, error.path("code").asText(), error.path("message").asText(""));
    }
    String quoted = body == null ? "" : body.length() > QUOTED ? body.substring(0, QUOTED) + "…" : body;
    throw new AdminException(status, AdminException.UNEXPECTED_ANSWER,
        "HTTP " + status + " that is not the server API's answer: " + quoted);
  }

  static PublishResult published(JsonNode answer) {
    return new PublishResult(text(answer, "topic"), position(answer.get("position")));
  }

  static List<BroadcastResult> broadcast(JsonNode answer) {
    return list(answer, "results", r -> {
      JsonNode error = r.get("error");
      return new BroadcastResult(text(r, "topic"), position(r.get("position")),
          error == null ? null : text(error, "code"), error == null ? null : error.path("message").asText(""));
    });
  }

  static AdminPage<HistoryItem> history(JsonNode answer) {
    return new AdminPage<>(list(answer, "messages", m -> new HistoryItem(position(required(m, "position")),
        data(m), m.hasNonNull("published_at")
            ? Instant.ofEpochMilli(m.get("published_at").asLong()) : null)), next(answer));
  }

  static DisconnectResult disconnected(JsonNode answer) {
    return new DisconnectResult(text(answer, "user"), number(answer, "code"), number(answer, "closed"),
        number(answer, "nodes"), number(answer, "answered"));
  }

  static UnsubscribeResult unsubscribed(JsonNode answer) {
    return new UnsubscribeResult(text(answer, "user"), text(answer, "topic"), number(answer, "unsubscribed"),
        number(answer, "nodes"), number(answer, "answered"));
  }

  static ClusterInfo info(JsonNode answer) {
    List<NodeInfo> nodes = list(answer, "nodes", n -> new NodeInfo(text(n, "id"), n.path("host").asText(null),
        n.path("port").asInt(), n.path("state").asText(null), n.path("started_at").asLong(),
        n.path("uptime_ms").asLong(), n.path("connections").asLong(), n.path("sse_streams").asLong(),
        n.path("subscriptions").asLong(), n.path("topics").asLong()));
    return new ClusterInfo(nodes, required(answer, "connections").asLong(), answer.path("sse_streams").asLong(),
        number(answer, "topics"));
  }

  static AdminPage<TopicInfo> topics(JsonNode answer) {
    return new AdminPage<>(list(answer, "topics", t -> new TopicInfo(text(t, "topic"), number(t, "subscribers"))),
        next(answer));
  }

  /** The same page, and members, as the client's {@code presence} gives. */
  static PresencePage presence(JsonNode answer) {
    List<PresenceMember> members = list(answer, "members", m -> new PresenceMemberImpl(text(m, "client"),
        m.path("user").isTextual() ? m.get("user").asText() : null, text(m, "node"),
        m.has("info") ? m.get("info").toString() : "null"));
    return new PresencePage(text(answer, "topic"), members, next(answer));
  }

  static PresenceStats presenceStats(JsonNode answer) {
    return new PresenceStats(text(answer, "topic"), number(answer, "clients"), number(answer, "users"));
  }

  private static Position position(JsonNode position) {
    if (position == null || position.isNull()) {
      return null;
    }
    return new Position(text(position, "epoch"), required(position, "offset").asLong());
  }

  /** A message's data: any JSON value, {@code null} included (but not missing). */
  private static Json data(JsonNode message) {
    JsonNode data = message.get("data");
    if (data == null) {
      throw unexpected("a message has no data");
    }
    return json(data);
  }

  private static Json json(JsonNode value) {
    return Json.raw(value.toString());
  }

  private static String next(JsonNode answer) {
    JsonNode next = answer.get("next");
    return next == null || next.isNull() ? null : next.asText();
  }

  private static <T> List<T> list(JsonNode answer, String field, Function<JsonNode, T> item) {
    JsonNode array = required(answer, field);
    if (!array.isArray()) {
      throw unexpected(field + " is not an array");
    }
    List<T> items = new ArrayList<>(array.size());
    array.forEach(node -> items.add(item.apply(node)));
    return items;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = required(node, field);
    if (!value.isTextual()) {
      throw unexpected(field + " is not a string");
    }
    return value.asText();
  }

  private static int number(JsonNode node, String field) {
    JsonNode value = required(node, field);
    if (!value.canConvertToInt()) {
      throw unexpected(field + " is not a whole number");
    }
    return value.asInt();
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw unexpected("the answer has no " + field);
    }
    return value;
  }

  private static AdminException unexpected(String why) {
    return new AdminException(200, AdminException.UNEXPECTED_ANSWER, why);
  }
}
