package dev.switchboard.broker.http;

import dev.switchboard.broker.wire.ServerFrames;
import dev.switchboard.broker.NodeStats;
import dev.switchboard.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * The answers of the plain-HTTP protocol paths ({@link StreamRoutes}): JSON bodies that are the same objects a
 * WebSocket client gets in a frame, and the CORS headers. Any origin may call them for now; the origin allow-list
 * of the authentication work will restrict that.
 */
public final class HttpReplies {
  static final String JSON = "application/json";
  static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";

  private HttpReplies() {
  }

  /** Lets a page of any origin read the answer. */
  public static HttpServerResponse cors(HttpServerResponse response) {
    return response.putHeader(ALLOW_ORIGIN, "*");
  }

  /** Ends {@code response} with {@code status} and a JSON body. */
  static Future<Void> json(HttpServerResponse response, int status, byte[] json) {
    return cors(response).setStatusCode(status).putHeader("content-type", JSON).end(Buffer.buffer(json));
  }

  /** Ends {@code response} with an {@code error} object and the status of its code, counted like an error frame. */
  public static Future<Void> error(NodeStats.Recorder stats, HttpServerResponse response, ErrorCode code, String message) {
    stats.error();
    return json(response, status(code), ServerFrames.error(null, code, message));
  }

  /** The HTTP status an error code is answered with. */
  static int status(ErrorCode code) {
    return switch (code) {
      case UNAUTHORIZED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND, NOT_ENABLED -> 404;
      case METHOD_NOT_ALLOWED -> 405;
      case MESSAGE_TOO_BIG -> 413;
      case RATE_LIMITED -> 429;
      case INTERNAL_ERROR -> 500;
      case UNAVAILABLE -> 503;
      default -> 400;
    };
  }

  /**
   * Lets go of the exchange of {@code request} once its response is ended (or has to go): over HTTP/1.x its
   * connection is closed, since the client should connect again and its request may be unread; over HTTP/2
   * (cleartext {@code h2c}, never a browser's) only its stream is reset, the connection's other streams go on.
   */
  public static void release(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      if (!request.response().closed()) {
        request.response().reset();
      }
    } else {
      request.connection().close();
    }
  }

  /** Answers a CORS preflight ({@code OPTIONS}): a page may send {@code methods} with a JSON body. */
  public static void preflight(RoutingContext ctx, String methods) {
    cors(ctx.response()).setStatusCode(204)
        .putHeader("Access-Control-Allow-Methods", methods)
        .putHeader("Access-Control-Allow-Headers", "Content-Type, Last-Event-ID")
        .putHeader("Access-Control-Max-Age", "86400")
        .end();
  }
}
