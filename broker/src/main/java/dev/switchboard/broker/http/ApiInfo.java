package dev.switchboard.broker.http;

import dev.switchboard.broker.ops.ClusterView;
import dev.switchboard.broker.presence.Page;
import dev.switchboard.broker.presence.PresenceCounts;
import dev.switchboard.broker.presence.PresenceEntry;
import dev.switchboard.broker.presence.PresenceView;
import dev.switchboard.broker.presence.TopicCount;
import dev.switchboard.broker.routing.Hub;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Topics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * The reads of the server API, all answered from what this node holds, without a call to another: {@code info} (each
 * member's latest snapshot in the {@link ClusterView}, and the live topics), {@code topics}, {@code presence} and
 * {@code presence_stats} (the node's copy of the cluster's presence, {@link PresenceView}). Pages are ordered by
 * name (topics) or client id (members); {@code next} is the {@code after} of the next page, null on the last.
 */
final class ApiInfo {
  static final int DEFAULT_LIMIT = 100;
  /** The fields of a member's snapshot that {@code info} shows. */
  static final List<String> NODE_FIELDS = List.of("id", "host", "port", "state", "started_at", "uptime_ms",
      "connections", "sse_streams", "subscriptions", "topics");

  private final Hub hub;
  private final ClusterView view;
  private final PresenceView presence;

  ApiInfo(Hub hub, ClusterView view, PresenceView presence) {
    this.hub = hub;
    this.view = view;
    this.presence = presence;
  }

  /** {@code {"nodes":[…], "connections":…, "sse_streams":…, "topics":…}}. */
  void info(RoutingContext ctx) {
    ApiReplies.answer(hub.stats, ctx, () -> {
      JsonArray nodes = new JsonArray();
      long connections = 0;
      long streams = 0;
      for (JsonObject snapshot : view.nodes()) {
        JsonObject node = new JsonObject();
        NODE_FIELDS.stream().filter(snapshot::containsKey).forEach(f -> node.put(f, snapshot.getValue(f)));
        nodes.add(node);
        connections += snapshot.getLong("connections", 0L);
        streams += snapshot.getLong("sse_streams", 0L);
      }
      return Future.succeededFuture(new JsonObject().put("nodes", nodes).put("connections", connections)
          .put("sse_streams", streams).put("topics", presence.liveTopics()).toBuffer());
    });
  }

  /** {@code ?pattern=&after=&limit=} → {@code {"topics":[{"topic","subscribers"}], "next"}}. */
  void topics(RoutingContext ctx) {
    ApiReplies.answer(hub.stats, ctx, () -> {
      ApiQuery query = new ApiQuery(ctx.queryParams());
      String pattern = query.text("pattern", false, ApiPublish.MAX_FIELD);
      if (pattern != null && Topics.checkPattern(pattern) != null) {
        throw new ApiRefusal(ErrorCode.INVALID_TOPIC, Topics.checkPattern(pattern));
      }
      String after = query.text("after", false, ApiPublish.MAX_FIELD);
      int limit = (int) query.number("limit", 1, PresenceView.MAX_PAGE, DEFAULT_LIMIT);
      Page<TopicCount> page = presence.topics(pattern, after, limit);
      JsonArray topics = new JsonArray();
      page.items().forEach(t -> topics.add(new JsonObject().put("topic", t.topic()).put("subscribers",
          t.subscribers())));
      return Future.succeededFuture(new JsonObject().put("topics", topics).put("next", page.next()).toBuffer());
    });
  }

  /** {@code ?topic=&after=&limit=} → {@code {"topic", "members":[{"client","user","info","node"}], "next"}}. */
  void presence(RoutingContext ctx) {
    ApiReplies.answer(hub.stats, ctx, () -> {
      ApiQuery query = new ApiQuery(ctx.queryParams());
      String topic = presenceTopic(query);
      String after = query.text("after", false, ApiPublish.MAX_FIELD);
      int limit = (int) query.number("limit", 1, PresenceView.MAX_PAGE, DEFAULT_LIMIT);
      Page<PresenceEntry> page = presence.members(topic, after, limit);
      // Written out: a member's info is the JSON text its client gave, kept as it is.
      Buffer out = Buffer.buffer(64 + 96 * page.items().size()).appendString("{\"topic\":\"").appendString(topic)
          .appendString("\",\"members\":[");
      for (int i = 0; i < page.items().size(); i++) {
        PresenceEntry e = page.items().get(i);
        out.appendString(i == 0 ? "{\"client\":" : ",{\"client\":").appendString(Json.encode(e.client()))
            .appendString(",\"user\":").appendString(Json.encode(e.user()))
            .appendString(",\"info\":").appendString(e.info() == null ? "null" : e.info())
            .appendString(",\"node\":").appendString(Json.encode(e.node())).appendString("}");
      }
      return Future.succeededFuture(out.appendString("],\"next\":").appendString(Json.encode(page.next()))
          .appendString("}"));
    });
  }

  /** {@code ?topic=} → {@code {"topic", "clients", "users"}}. */
  void presenceStats(RoutingContext ctx) {
    ApiReplies.answer(hub.stats, ctx, () -> {
      String topic = presenceTopic(new ApiQuery(ctx.queryParams()));
      PresenceCounts counts = presence.counts(topic);
      return Future.succeededFuture(new JsonObject().put("topic", topic).put("clients", counts.clients())
          .put("users", counts.users()).toBuffer());
    });
  }

  /** The {@code topic} of a presence read: a concrete topic that {@code --presence} covers (404 otherwise). */
  private String presenceTopic(ApiQuery query) {
    String topic = query.text("topic", true, ApiPublish.MAX_FIELD);
    String problem = Topics.checkTopic(topic);
    if (problem != null) {
      throw new ApiRefusal(ErrorCode.INVALID_TOPIC, problem);
    }
    if (!presence.covers(topic)) {
      throw new ApiRefusal(ErrorCode.NOT_ENABLED, "the node keeps no presence for " + topic + " (--presence)");
    }
    return topic;
  }
}
