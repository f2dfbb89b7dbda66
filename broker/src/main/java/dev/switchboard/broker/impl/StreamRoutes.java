package dev.switchboard.broker.impl;

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
final class StreamRoutes {
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
   * Refuses a bad request or a draining node with an HTTP error, else starts the stream. Its topics are admitted as
   * those of an anonymous client ({@link Access}: topic limits, subscribe rate).
   */
  private static void openStream(RoutingContext ctx, BrokerContext node, Hub hub) {
    if (node.health().isDraining()) {
      HttpReplies.error(hub.stats, ctx.response(), ErrorCode.UNAVAILABLE,
          "the node is draining: connect to another node");
      return;
    }
    if (refuseUnauthenticated(node.security(), hub, ctx)) {
      return;
    }
    Access access = new Access(node.security(), String.valueOf(ctx.request().remoteAddress()));
    SseRequest asked = SseRequest.read(ctx.request(), hub.options.maxSubscriptions(), access);
    if (asked.refused() != null) {
      HttpReplies.error(hub.stats, ctx.response(), asked.refused().code(), asked.refused().message());
      return;
    }
    hub.stream(ctx.request(), asked);
  }

  /**
   * A node that requires authentication refuses SSE and HTTP publish (401 {@code unauthorized}): they carry no
   * token yet, and must not be a way around the tokens its WebSockets need. Returns whether it refused.
   */
  static boolean refuseUnauthenticated(Security security, Hub hub, RoutingContext ctx) {
    if (!security.authRequired()) {
      return false;
    }
    security.refused(String.valueOf(ctx.request().remoteAddress()), Refusal.UNAUTHENTICATED,
        ctx.request().method() + " " + ctx.request().path());
    HttpReplies.error(hub.stats, ctx.response(), ErrorCode.UNAUTHORIZED, "the node requires authentication, which "
        + "server-sent events and HTTP publish do not support yet: use a WebSocket");
    return true;
  }
}
