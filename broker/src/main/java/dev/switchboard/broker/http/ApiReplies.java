package dev.switchboard.broker.http;

import dev.switchboard.broker.NodeStats;
import dev.switchboard.broker.routing.Hub;
import dev.switchboard.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The answers of the server API ({@code /api/v1/}): JSON, never cached, without CORS headers (a page has no business
 * holding an API key: browsers are not let read the answers). An error is
 * {@code {"error":{"code":…,"message":…}}} with the status of its code ({@link HttpReplies#status}), counted in the
 * node's errors like an error frame. A failure that is not a refusal is logged with its cause and answered
 * {@code internal_error}.
 */
final class ApiReplies {
  private static final Logger LOG = Logger.getLogger(ApiReplies.class.getName());

  private ApiReplies() {
  }

  /** Runs {@code call} and answers 200 with the body it completes with, or the error it fails with. */
  static void answer(NodeStats.Recorder stats, RoutingContext ctx, Supplier<Future<Buffer>> call) {
    Future<Buffer> body;
    try {
      body = call.get();
    } catch (RuntimeException e) {
      body = Future.failedFuture(e);
    }
    body.onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx.response(), 200, ar.result());
      } else if (ar.cause() instanceof ApiRefusal refused) {
        error(stats, ctx.response(), refused.code, refused.getMessage());
      } else {
        LOG.log(Level.SEVERE, "server API: " + ctx.request().method() + " " + ctx.request().path() + " failed",
            ar.cause());
        error(stats, ctx.response(), ErrorCode.INTERNAL_ERROR, "the node failed to carry out the request");
      }
    });
  }

  /**
   * Reads the request's body (at most the node's max_frame_bytes: 413 {@code message_too_big} beyond), then answers
   * as {@link #answer} with what {@code call} makes of it.
   */
  static void withBody(Hub hub, RoutingContext ctx, Function<Buffer, Future<Buffer>> call) {
    int max = hub.options.maxFrameBytes();
    BoundedBody.read(hub, ctx.request(), max, body -> answer(hub.stats, ctx, () -> call.apply(body)),
        () -> error(hub.stats, ctx.response(), ErrorCode.MESSAGE_TOO_BIG,
            "the body is larger than max_frame_bytes (" + max + " bytes)"));
  }

  static Future<Void> json(HttpServerResponse response, int status, Buffer body) {
    if (response.ended() || response.closed()) {
      return Future.succeededFuture();
    }
    return response.setStatusCode(status).putHeader("content-type", HttpReplies.JSON)
        .putHeader("cache-control", "no-store").end(body);
  }

  /** Ends {@code response} with an error object and the status of its code. */
  static Future<Void> error(NodeStats.Recorder stats, HttpServerResponse response, ErrorCode code, String message) {
    stats.error();
    JsonObject error = new JsonObject().put("code", code.wire()).put("message", message);
    return json(response, HttpReplies.status(code), new JsonObject().put("error", error).toBuffer());
  }
}
