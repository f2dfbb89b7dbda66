package dev.switchboard.broker.http;

import dev.switchboard.broker.history.History;
import dev.switchboard.broker.history.HistoryEntry;
import dev.switchboard.broker.history.HistoryReader;
import dev.switchboard.broker.routing.Hub;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Topics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/history?topic=&since=&limit=&order=}: a page of a history topic's stored messages
 * ({@link HistoryReader}), newest first unless {@code order=oldest}. Each message is the object a subscriber gets,
 * less its {@code type} and {@code topic}: {@code {"position":…,"data":…,"published_at":…}}, the data as stored
 * (as published). A presence topic's {@code join} and {@code leave}, stored among its messages, are left out (a page
 * may then hold fewer than {@code limit}). {@code next} is the cursor of the next page (pass it as {@code since}),
 * null on the last. A topic no history rule covers is 404 {@code not_enabled}; a store that cannot be read (no
 * quorum, a stuck cluster) 503 {@code unavailable}.
 */
final class ApiHistory {
  static final int DEFAULT_LIMIT = 100;

  private final Hub hub;
  private final History history;
  private final Vertx vertx;

  ApiHistory(Hub hub, History history, Vertx vertx) {
    this.hub = hub;
    this.history = history;
    this.vertx = vertx;
  }

  void handle(RoutingContext ctx) {
    ApiReplies.answer(hub.stats, ctx, () -> {
      ApiQuery query = new ApiQuery(ctx.queryParams());
      String topic = query.text("topic", true, ApiPublish.MAX_FIELD);
      String problem = Topics.checkTopic(topic);
      if (problem != null) {
        throw new ApiRefusal(ErrorCode.INVALID_TOPIC, problem);
      }
      long since = query.number("since", 0, Long.MAX_VALUE, -1);
      int limit = (int) query.number("limit", 1, HistoryReader.MAX_LIMIT, DEFAULT_LIMIT);
      boolean newest = "newest".equals(query.choice("order", "newest", "oldest"));
      if (!history.covers(topic)) {
        throw new ApiRefusal(ErrorCode.NOT_ENABLED, "topic " + topic
            + " keeps no history (no --history rule covers it)");
      }
      Context here = vertx.getOrCreateContext();
      return HistoryReader.read(history, topic, since < 0 ? null : since, limit, newest, here)
          .transform(ar -> ar.succeeded() ? Future.succeededFuture(page(topic, ar.result()))
              : Future.failedFuture(new ApiRefusal(ErrorCode.UNAVAILABLE, "the history of " + topic
                  + " could not be read from the cluster: " + ar.cause().getMessage())));
    });
  }

  /**
   * The answer, written around each stored entry as it is ({@code <data>,"published_at":<ms>}, see
   * {@link dev.switchboard.broker.history.HistoryEntry}), so the data is never decoded.
   */
  private static Buffer page(String topic, HistoryReader.Slice slice) {
    Buffer out = Buffer.buffer(256);
    out.appendString("{\"topic\":\"").appendString(topic).appendString("\",\"epoch\":")
        .appendString(Json.encode(slice.epoch())).appendString(",\"messages\":[");
    boolean first = true;
    for (HistoryReader.Stored stored : slice.messages()) {
      if (HistoryEntry.isEvent(stored.entry())) {
        continue; // a presence topic's join or leave: not a message
      }
      out.appendString(first ? "" : ",").appendString("{\"position\":")
          .appendString(ApiPublish.position(slice.epoch(), stored.offset()).encode())
          .appendString(",\"data\":").appendBytes(stored.entry()).appendString("}");
      first = false;
    }
    return out.appendString("],\"next\":")
        .appendString(slice.next() == null ? "null" : "\"" + slice.next() + "\"").appendString("}");
  }
}
