package dev.switchboard.broker.impl;

import dev.switchboard.broker.http.HttpCaller;
import dev.switchboard.broker.sse.SseStream;
import dev.switchboard.broker.routing.BrokerContext;
import dev.switchboard.broker.auth.Refusal;
import dev.switchboard.broker.auth.Security;
import dev.switchboard.broker.http.HttpPublish;
import dev.switchboard.broker.http.HttpReplies;
import dev.switchboard.broker.routing.Hub;
import dev.switchboard.broker.sse.SseRequest;
import dev.switchboard.protocol.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Server-sent events ({@code GET /sse}, {@link SseStream}) and HTTP publish ({@code POST /api/topics/{topic}/messages},
 * {@link HttpPublish}): the protocol for clients that cannot hold a WebSocket or only want to publish, on the same
 * event loop's {@link Hub} as its WebSocket sessions. Both answer CORS preflights; other methods on the publish path
 * get 405.
 */
public final class StreamRoutes {
  static final String SSE_PATH = "/sse";

  private StreamRoutes() {
  }

  static void mount(Router router, Vertx vertx, BrokerContext node, Hub hub) {
    router.options(SSE_PATH).handler(ctx -> HttpReplies.preflight(ctx, "GET, OPTIONS"));
    router.get(SSE_PATH).handler(ctx -> openStream(ctx, node, hub));
    router.options(HttpPublish.PATH).handler(ctx -> HttpReplies.preflight(ctx, "POST, OPTIONS"));
    router.post(HttpPublish.PATH).handler(new HttpPublish(hub, node.security()));
    router.route(HttpPublish.PATH).handler(ctx -> HttpReplies.cors(ctx.response()).setStatusCode(405)
        .putHeader("allow", "POST, OPTIONS").end());
  }

  /**
   * Refuses a bad request, a draining or full node or one without its quorum (503), or a user at its connection limit on this node (429) with
   * an HTTP error, else starts the stream. Its topics are admitted for
   * its {@link HttpCaller} (anonymous, or the token's user and grants: topic limits, subscribe rate, permissions); a
   * stream whose token expires ends then ({@code close} event {@code token_expired}).
   */
  private static void openStream(RoutingContext ctx, BrokerContext node, Hub hub) {
    String refusal = node.health().refusal();
    if (refusal != null) {
      HttpReplies.error(hub.stats, ctx.response(), ErrorCode.UNAVAILABLE, refusal);
      return;
    }
    if (node.security().slots.full()) {
      refuseFull(ctx, node.security(), hub);
      return;
    }
    HttpCaller.of(node.security(), hub, ctx).onSuccess(caller -> {
      if (ctx.response().closed()) {
        return;
      }
      SseRequest asked = SseRequest.read(ctx.request(), hub.options.maxSubscriptions(), caller.access());
      if (asked.refused() != null) {
        HttpReplies.error(hub.stats, ctx.response(), asked.refused().code(), asked.refused().message());
        return;
      }
      // The slot is taken last, with nothing asynchronous before the stream holds it: no race with other streams.
      if (!node.security().slots.take()) {
        refuseFull(ctx, node.security(), hub);
        return;
      }
      String user = caller.access().user();
      if (user != null && !node.security().users.open(user)) {
        node.security().slots.give();
        node.security().refused(String.valueOf(ctx.request().remoteAddress()), Refusal.USER_CONNECTIONS, "stream: user "
            + user + " holds " + node.security().options.maxConnectionsPerUser() + " connections on this node");
        HttpReplies.error(hub.stats, ctx.response(), ErrorCode.RATE_LIMITED, "user " + user + " holds the most "
            + "connections this node allows one user (--max-connections-per-user): close one first");
        return;
      }
      SseStream.open(hub, ctx.request(), asked, caller.expiresAtMs(), user);
    });
  }

  private static void refuseFull(RoutingContext ctx, Security security, Hub hub) {
    security.refused(String.valueOf(ctx.request().remoteAddress()), Refusal.NODE_CONNECTIONS,
        "stream: the node holds " + security.slots.taken() + " clients");
    HttpReplies.error(hub.stats, ctx.response(), ErrorCode.UNAVAILABLE,
        "the node holds the most connections it allows (--max-connections): connect to another node");
  }

}
