package dev.switchboard.broker.http;

import dev.switchboard.broker.auth.Admission;
import dev.switchboard.broker.auth.Security;
import dev.switchboard.broker.routing.Hub;
import dev.switchboard.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/v1/publish} and {@code POST /api/v1/broadcast}: a message to one topic, or the same message to
 * several, through {@link Hub#publish} like every other publish (the same {@code message} to every subscriber, stored
 * first on a history topic). The API key is the authority: no client's grants or rates apply, the topic grammar and
 * the node's topic limits do ({@link Admission#serverPublish}), and so does the quorum (503 {@code unavailable}
 * while the node sees too few members). Each topic's answer waits for its publish: handed to the cluster, or stored
 * with its position on a history topic.
 */
final class ApiPublish {
  /** The most topics of one broadcast. */
  static final int MAX_TOPICS = 1000;
  /** The longest string taken for a topic before the grammar checks it (which allows 255 characters). */
  static final int MAX_FIELD = 4096;

  private final Hub hub;
  private final Security security;

  ApiPublish(Hub hub, Security security) {
    this.hub = hub;
    this.security = security;
  }

  /** {@code {"topic":…, "data":…}} → {@code {"topic":…, "position"?:…}}. */
  void publish(RoutingContext ctx) {
    ApiReplies.withBody(hub, ctx, body -> {
      ApiBody request = ApiBody.parse(body, List.of("topic", ApiBody.DATA));
      String topic = request.string("topic", true, MAX_FIELD);
      String data = request.data();
      Admission.Refused refused = Admission.serverPublish(topic, security);
      if (refused != null) {
        throw new ApiRefusal(refused.code(), refused.message());
      }
      quorate();
      return publish(topic, data).map(JsonObject::toBuffer);
    });
  }

  /**
   * {@code {"topics":[…], "data":…}} → {@code {"results":[…]}}: one result per topic, in the order given, each its
   * publish's answer or its own error (a topic named twice is published twice).
   */
  void broadcast(RoutingContext ctx) {
    ApiReplies.withBody(hub, ctx, body -> {
      ApiBody request = ApiBody.parse(body, List.of("topics", ApiBody.DATA));
      List<String> topics = request.strings("topics", MAX_TOPICS);
      String data = request.data();
      quorate();
      List<Future<JsonObject>> results = new ArrayList<>(topics.size());
      for (String topic : topics) {
        Admission.Refused refused = Admission.serverPublish(topic, security);
        Future<JsonObject> result = refused != null ? Future.failedFuture(new ApiRefusal(refused.code(),
            refused.message())) : publish(topic, data);
        results.add(result.recover(e -> {
          hub.stats.error();
          ApiRefusal failed = (ApiRefusal) e;
          return Future.succeededFuture(new JsonObject().put("topic", topic).put("error",
              new JsonObject().put("code", failed.code.wire()).put("message", failed.getMessage())));
        }));
      }
      return Future.all(results).map(all -> {
        JsonArray answers = new JsonArray();
        results.forEach(result -> answers.add(result.result()));
        return new JsonObject().put("results", answers).toBuffer();
      });
    });
  }

  /** Refuses the request while the node lacks its quorum: it would reach only a minority of the subscribers. */
  private void quorate() {
    String cutOff = hub.publishRefusal();
    if (cutOff != null) {
      throw new ApiRefusal(ErrorCode.UNAVAILABLE, cutOff);
    }
  }

  /** Publishes one message: its answer, or an {@code unavailable} refusal if a history topic could not store it. */
  private Future<JsonObject> publish(String topic, String data) {
    JsonObject answer = new JsonObject().put("topic", topic);
    Future<Long> stored = hub.publish(topic, data);
    if (stored == null) {
      return Future.succeededFuture(answer);
    }
    return stored.transform(ar -> ar.succeeded()
        ? Future.succeededFuture(answer.put("position", position(hub.epoch(), ar.result())))
        : Future.failedFuture(new ApiRefusal(ErrorCode.UNAVAILABLE, "the message could not be stored in the "
            + "cluster: " + ar.cause().getMessage())));
  }

  static JsonObject position(String epoch, long offset) {
    return new JsonObject().put("epoch", epoch).put("offset", offset);
  }
}
