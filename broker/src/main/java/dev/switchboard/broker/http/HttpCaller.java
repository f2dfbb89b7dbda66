package dev.switchboard.broker.http;

import dev.switchboard.broker.auth.Access;
import dev.switchboard.broker.auth.Refusal;
import dev.switchboard.broker.auth.Security;
import dev.switchboard.broker.auth.TokenVerifier;
import dev.switchboard.broker.routing.Hub;
import dev.switchboard.broker.session.HandshakeGate;
import dev.switchboard.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/** Who an SSE or HTTP publish request acts as, and when its token expires (epoch ms; Long.MAX_VALUE: never). */
public record HttpCaller(Access access, long expiresAtMs) {

  /**
   * The caller of an SSE or HTTP publish request. A browser request (one with an {@code Origin}) from an origin the
   * allow-list does not name is refused first (403 {@code forbidden}), as a WebSocket handshake is. A node in
   * {@code anonymous} mode admits everyone else as an anonymous
   * client. A node that requires authentication takes the token as a WebSocket handshake does: an
   * {@code Authorization: Bearer} header, else the {@value HandshakeGate#TOKEN_QUERY} query parameter (EventSource
   * cannot send headers); without one, or with one that is not valid (or has expired), it answers 401
   * {@code unauthorized} itself, counts the refusal, and the returned future fails.
   */
  public static Future<HttpCaller> of(Security security, Hub hub, RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String who = String.valueOf(request.remoteAddress());
    String what = request.method() + " " + request.path();
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (!HandshakeGate.originAllowed(security.options.allowedOrigins(), origin)) {
      security.refused(who, Refusal.ORIGIN, what + " from origin " + origin);
      HttpReplies.error(hub.stats, ctx.response(), ErrorCode.FORBIDDEN,
          "pages of origin " + origin + " may not use this node (--allowed-origins)");
      return Future.failedFuture("origin not allowed");
    }
    Access access = new Access(security, who);
    if (!security.authRequired()) {
      return Future.succeededFuture(new HttpCaller(access, Long.MAX_VALUE));
    }
    String token = HandshakeGate.token(request.headers(), request.query());
    if (token == null) {
      security.refused(who, Refusal.UNAUTHENTICATED, what);
      HttpReplies.error(hub.stats, ctx.response(), ErrorCode.UNAUTHORIZED, "the node requires a token: an "
          + "Authorization: Bearer header, or the " + HandshakeGate.TOKEN_QUERY + " query parameter");
      return Future.failedFuture("no token");
    }
    return security.verifier.verify(token, System.currentTimeMillis()).transform(ar -> {
      if (ar.succeeded()) {
        access.identify(ar.result().user(), ar.result().grants());
        return Future.succeededFuture(new HttpCaller(access, ar.result().expiresAtMs()));
      }
      boolean expired = ar.cause() instanceof TokenVerifier.Refused refused && refused.expired;
      security.refused(who, expired ? Refusal.TOKEN_EXPIRED : Refusal.INVALID_TOKEN,
          what + ": " + ar.cause().getMessage());
      HttpReplies.error(hub.stats, ctx.response(), ErrorCode.UNAUTHORIZED,
          expired ? "the token has expired" : "the token is not valid");
      return Future.failedFuture(ar.cause());
    });
  }
}
