package dev.switchboard.broker.http;

import dev.switchboard.broker.ops.ClusterView;
import dev.switchboard.broker.routing.ClientCommands;
import dev.switchboard.broker.routing.Hub;
import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.logging.Logger;

/**
 * {@code POST /api/v1/disconnect} and {@code POST /api/v1/unsubscribe}: commands to every connection (WebSocket
 * sessions and SSE streams) of one user on every node of the cluster, by the user their token named (a node that
 * requires no token has no users). Carried to each member as one event-bus request ({@link ClientCommands}); answered
 * once every member has answered or {@link ClientCommands#TIMEOUT_MS} has passed, with how many connections (or
 * subscriptions) the members that answered ended, how many members were asked and how many answered.
 */
final class ApiClients {
  private static final Logger LOG = Logger.getLogger(ApiClients.class.getName());
  /** The longest user id taken (a token's claim may be long, never this long). */
  static final int MAX_USER = 1024;

  private final Hub hub;
  private final Vertx vertx;
  private final ClusterView view;

  ApiClients(Hub hub, Vertx vertx, ClusterView view) {
    this.hub = hub;
    this.vertx = vertx;
    this.view = view;
  }

  /**
   * {@code {"user":…, "code"?: N}}: closes the user's connections with {@code code}, by default 4501
   * {@code disconnected} (terminal); any code from 4000 (4000–4499: the client reconnects, 4500–4999: it does not).
   */
  void disconnect(RoutingContext ctx) {
    ApiReplies.withBody(hub, ctx, body -> {
      ApiBody request = ApiBody.parse(body, List.of("user", "code"));
      String user = request.string("user", true, MAX_USER);
      long code = request.number("code", CloseCode.DISCONNECTED.code());
      if (code < CloseCode.RECONNECT_MIN || code > CloseCode.TERMINAL_MAX) {
        throw ApiRefusal.field("code", "must be from " + CloseCode.RECONNECT_MIN + " to " + CloseCode.TERMINAL_MAX
            + " (up to " + CloseCode.RECONNECT_MAX + ": the client reconnects; from " + CloseCode.TERMINAL_MIN
            + ": it does not)");
      }
      return ClientCommands.disconnect(vertx, view.memberIds(), user, (int) code).map(done -> {
        LOG.info(() -> "server API: disconnected user " + user + " with " + code + ": " + done.count()
            + " connection(s), " + done.answered() + " of " + done.nodes() + " node(s) answered");
        return counted(new JsonObject().put("user", user).put("code", code).put("closed", done.count()), done);
      });
    });
  }

  /**
   * {@code {"user":…, "topic":…}}: drops the subscription to {@code topic} (a topic or a pattern, exactly as
   * subscribed) from each of the user's connections that holds it; each is sent an {@code unsubscribed} with
   * {@code "reason":"server"}.
   */
  void unsubscribe(RoutingContext ctx) {
    ApiReplies.withBody(hub, ctx, body -> {
      ApiBody request = ApiBody.parse(body, List.of("user", "topic"));
      String user = request.string("user", true, MAX_USER);
      String topic = request.string("topic", true, ApiPublish.MAX_FIELD);
      String problem = Topics.checkPattern(topic);
      if (problem != null) {
        throw new ApiRefusal(ErrorCode.INVALID_TOPIC, problem);
      }
      return ClientCommands.unsubscribe(vertx, view.memberIds(), user, topic).map(done -> {
        LOG.info(() -> "server API: unsubscribed user " + user + " from " + topic + ": " + done.count()
            + " subscription(s), " + done.answered() + " of " + done.nodes() + " node(s) answered");
        return counted(new JsonObject().put("user", user).put("topic", topic).put("unsubscribed", done.count()), done);
      });
    });
  }

  /** {@code answer} with how many members were asked and how many answered. */
  private static Buffer counted(JsonObject answer, ClientCommands.Outcome done) {
    return answer.put("nodes", done.nodes()).put("answered", done.answered()).toBuffer();
  }
}
