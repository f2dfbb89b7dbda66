package dev.switchboard.broker.http;

import dev.switchboard.broker.routing.Hub;
import dev.switchboard.broker.session.SessionChannel;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * A request body read up to a bound and no further ({@link HttpPublish}, the server API): a body declared or found
 * larger is refused at once and the rest of it is read and dropped, so that a large body costs the node no more than a
 * large frame and the client still gets the answer. Runs on the request's event loop.
 */
final class BoundedBody {
  private BoundedBody() {
  }

  /**
   * Reads the body of {@code request}: hands it to {@code whole} once complete, or, past {@code max} bytes (declared in
   * {@code Content-Length} or counted as it comes), runs {@code tooBig} once (which answers) and drops the rest.
   * Answers {@code Expect: 100-continue}.
   */
  static void read(Hub hub, HttpServerRequest request, int max, Handler<Buffer> whole, Runnable tooBig) {
    if (contentLength(request) > max) {
      tooBig.run();
      discard(hub, request);
      return;
    }
    if (request.isEnded()) {
      whole.handle(Buffer.buffer());
      return;
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      request.response().writeContinue();
    }
    Buffer body = Buffer.buffer();
    boolean[] refused = {false};
    request.handler(chunk -> {
      if (refused[0]) {
        return;
      }
      if (body.length() + chunk.length() > max) {
        refused[0] = true;
        tooBig.run();
        discard(hub, request);
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.endHandler(v -> {
      if (!refused[0]) {
        whole.handle(body);
      }
    });
  }

  /**
   * Reads and drops what is left of the body of a request already answered, so that the client gets the answer and
   * the connection can carry its next request. A client still sending after the closing timeout is let go.
   */
  static void discard(Hub hub, HttpServerRequest request) {
    if (request.isEnded()) {
      return;
    }
    request.handler(chunk -> { });
    hub.timer(SessionChannel.CLOSING_TIMEOUT_SECONDS * 1000L, () -> {
      if (!request.isEnded()) {
        HttpReplies.release(request);
      }
    });
  }

  private static long contentLength(HttpServerRequest request) {
    String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return value == null ? -1 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
