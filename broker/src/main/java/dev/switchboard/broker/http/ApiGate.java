package dev.switchboard.broker.http;

import dev.switchboard.broker.auth.ApiKeys;
import dev.switchboard.broker.auth.Refusal;
import dev.switchboard.broker.auth.Security;
import dev.switchboard.broker.routing.Hub;
import dev.switchboard.protocol.ErrorCode;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The door of the server API: a request passes with one of the node's keys in {@link #HEADER}; without one it is
 * answered 401 {@code unauthorized}, with another 403 {@code forbidden}, counted and logged as refusals
 * ({@code api_key}). On a node without {@code --api-key-file} every server API path is 404 {@code not_found}, saying
 * so. A refused request's body is read and dropped, as an HTTP publish's.
 */
final class ApiGate {
  static final String HEADER = "X-API-Key";

  private ApiGate() {
  }

  /** Lets a request with a valid key go on to its endpoint ({@link RoutingContext#next}); answers the others. */
  static void check(Hub hub, Security security, RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    ApiKeys.Check check = security.apiKeys.check(request.getHeader(HEADER));
    if (check == ApiKeys.Check.VALID) {
      ctx.next();
      return;
    }
    boolean missing = check == ApiKeys.Check.MISSING;
    security.refused(String.valueOf(request.remoteAddress()), Refusal.API_KEY, request.method() + " "
        + request.path() + (missing ? ": no " + HEADER : ": a key this node does not hold"));
    ApiReplies.error(hub.stats, ctx.response(), missing ? ErrorCode.UNAUTHORIZED : ErrorCode.FORBIDDEN,
        missing ? "the server API needs a key in the " + HEADER + " header" : "the " + HEADER + " is not a key of"
            + " this node");
    BoundedBody.discard(hub, request);
  }

  /** Answers a request on a node whose server API is off. */
  static void off(Hub hub, RoutingContext ctx) {
    ApiReplies.error(hub.stats, ctx.response(), ErrorCode.NOT_FOUND, "the server API is off on this node: it is on "
        + "with --api-key-file");
    BoundedBody.discard(hub, ctx.request());
  }
}
