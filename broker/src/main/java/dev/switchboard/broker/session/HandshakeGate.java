package dev.switchboard.broker.session;

import dev.switchboard.broker.auth.Refusal;
import dev.switchboard.broker.auth.Security;
import dev.switchboard.broker.auth.TokenVerifier;
import dev.switchboard.broker.routing.BrokerContext;
import dev.switchboard.broker.security.SecurityOptions;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;

import java.util.Base64;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides every WebSocket upgrade before it happens, so that a refused one costs no session. It sees the raw HTTP
 * request (the server has no WebSocket handler of its own, so nothing is upgraded before this): the path (404); on
 * {@code /ws}, an RFC 6455 opening handshake and nothing looser (405 for a method other than GET, 426 with
 * {@code Sec-WebSocket-Version: 13} for a request that is not an upgrade to WebSocket or not of version 13, which
 * leaves out the hixie-76 and hybi-07/08 drafts Netty would otherwise speak to, 400 for anything else malformed);
 * then a draining node or one without its quorum of cluster members (503), a browser page from an origin not
 * allowed (403, against cross-site WebSocket hijacking), a node at its connection limit (503), and, when
 * authentication is required, a token the handshake carries (401 if it is not valid). A handshake without a token
 * is accepted; its session then waits for {@code hello}. Every refusal closes the connection.
 */
public final class HandshakeGate {
  /** The path of the WebSocket endpoint. */
  public static final String WS_PATH = "/ws";
  private static final Logger LOG = Logger.getLogger(HandshakeGate.class.getName());
  public static final String TOKEN_QUERY = "access_token";
  /** The one WebSocket version the node speaks: RFC 6455's. */
  static final String WEBSOCKET_VERSION = "13";
  private static final String BEARER = "bearer ";
  /** A {@code Sec-WebSocket-Key}: 16 random bytes, in base64 24 characters ending with "==". */
  private static final int KEY_BYTES = 16;
  private static final int KEY_CHARS = 24;

  private final BrokerContext node;
  private final Security security;

  public HandshakeGate(BrokerContext node) {
    this.node = node;
    this.security = node.security();
  }

  /**
   * Whether the gate answers {@code request}: everything on the WebSocket path, and on any other path what Vert.x
   * itself would take for a WebSocket upgrade (an {@code Upgrade: websocket} header). The rest goes to the routes.
   */
  public static boolean answers(HttpServerRequest request) {
    return WS_PATH.equals(request.path())
        || request.headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true);
  }

  /** Accepts or refuses {@code request}; an accepted WebSocket goes to {@code accept} with the handshake's identity. */
  public void handle(HttpServerRequest request, BiConsumer<ServerWebSocket, TokenVerifier.Identity> accept) {
    String who = String.valueOf(request.remoteAddress());
    Malformed malformed;
    if (!WS_PATH.equals(request.path())) {
      refuse(request, 404, null);
    } else if ((malformed = malformed(request)) != null) {
      LOG.log(Level.FINE, () -> "handshake from " + who + " refused (" + malformed.status + "): " + malformed.why);
      refuse(request, malformed.status, malformed.why);
    } else if (node.health().refusal() != null) {
      refuse(request, 503, null);
    } else if (!originAllowed(security.options.allowedOrigins(), request.headers().get(HttpHeaders.ORIGIN))) {
      security.refused(who, Refusal.ORIGIN, "origin " + request.headers().get(HttpHeaders.ORIGIN));
      refuse(request, 403, null);
    } else if (security.slots.full()) {
      refuseFull(request, who);
    } else {
      String token = security.authRequired() ? token(request.headers(), request.query()) : null;
      if (token == null) {
        admit(request, who, null, accept);
        return;
      }
      // The request's end must wait for the upgrade, which comes once the token is verified.
      request.pause();
      security.verifier.verify(token, System.currentTimeMillis()).onComplete(ar -> {
        if (ar.succeeded()) {
          admit(request, who, ar.result(), accept);
        } else {
          TokenVerifier.Refused refused = (TokenVerifier.Refused) ar.cause();
          security.refused(who, refused.expired ? Refusal.TOKEN_EXPIRED : Refusal.INVALID_TOKEN,
              "handshake token: " + refused.getMessage());
          refuse(request, 401, null);
        }
      });
    }
  }

  /** Why a request on the WebSocket path is not an opening handshake the node accepts: its status and a reason. */
  record Malformed(int status, String why) {
  }

  /** What is wrong with {@code request} as an RFC 6455 (version 13) opening handshake, or null if nothing is. */
  static Malformed malformed(HttpServerRequest request) {
    MultiMap headers = request.headers();
    if (request.method() != HttpMethod.GET) {
      return new Malformed(405, "a WebSocket handshake is a GET");
    }
    if (request.version() != HttpVersion.HTTP_1_1) {
      return new Malformed(400, "a WebSocket handshake is HTTP/1.1");
    }
    List<String> hosts = headers.getAll(HttpHeaders.HOST);
    if (hosts.size() != 1 || hosts.get(0).isBlank()) {
      return new Malformed(400, "one Host header is required");
    }
    if (!hasValue(headers.getAll(HttpHeaders.UPGRADE), HttpHeaders.WEBSOCKET.toString())) {
      return new Malformed(426, "this path takes an upgrade to WebSocket (Upgrade: websocket)");
    }
    if (!hasToken(headers.getAll(HttpHeaders.CONNECTION), HttpHeaders.UPGRADE.toString())) {
      return new Malformed(400, "the Connection header must hold the token upgrade");
    }
    List<String> versions = headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
    if (versions.size() != 1 || !WEBSOCKET_VERSION.equals(versions.get(0).trim())) {
      return new Malformed(426, "the node speaks WebSocket version " + WEBSOCKET_VERSION + " only");
    }
    List<String> keys = headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_KEY);
    if (keys.size() != 1 || !validKey(keys.get(0).trim())) {
      return new Malformed(400, "one Sec-WebSocket-Key header is required, the base64 of 16 bytes");
    }
    String length = headers.get(HttpHeaders.CONTENT_LENGTH);
    if (headers.contains(HttpHeaders.TRANSFER_ENCODING) || length != null && !"0".equals(length.trim())) {
      return new Malformed(400, "a WebSocket handshake has no body");
    }
    return null;
  }

  private static boolean validKey(String key) {
    if (key.length() != KEY_CHARS) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(key).length == KEY_BYTES;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether one of {@code values} is {@code value}, ignoring case. */
  private static boolean hasValue(List<String> values, String value) {
    for (String v : values) {
      if (v.trim().equalsIgnoreCase(value)) {
        return true;
      }
    }
    return false;
  }

  /** Whether one of the comma-separated tokens of {@code values} is {@code token}, ignoring case. */
  private static boolean hasToken(List<String> values, String token) {
    for (String v : values) {
      for (String t : v.split(",")) {
        if (t.trim().equalsIgnoreCase(token)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Takes a client slot and completes the upgrade, or refuses it (503) if the last slot went meanwhile; the session
   * gives the slot back when it ends, an upgrade that fails (or whose connection closed meanwhile) at once. The
   * WebSocket reaches {@code accept} in the event-loop task that wrote the 101, before any frame is read.
   */
  private void admit(HttpServerRequest request, String who, TokenVerifier.Identity identity,
                     BiConsumer<ServerWebSocket, TokenVerifier.Identity> accept) {
    if (!security.slots.take()) {
      refuseFull(request, who);
      return;
    }
    request.toWebSocket().onComplete(ar -> {
      if (ar.succeeded() && ((WebSocketInternal) ar.result()).channelHandlerContext().channel().isActive()) {
        accept.accept(ar.result(), identity);
        return;
      }
      security.slots.give();
      if (ar.failed() && !request.response().ended()) {
        refuse(request, 400, null);
      } else {
        request.connection().close();
      }
    });
  }

  private void refuseFull(HttpServerRequest request, String who) {
    security.refused(who, Refusal.NODE_CONNECTIONS, "the node holds " + security.slots.taken() + " clients");
    refuse(request, 503, null);
  }

  /**
   * Answers {@code status} (426 with the version the node speaks, 405 with the method it takes), {@code why} or the
   * status's reason as the body, and closes the connection once it is written.
   */
  private static void refuse(HttpServerRequest request, int status, String why) {
    HttpServerResponse response = request.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONNECTION, "close")
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8");
    if (status == 426) {
      response.putHeader(HttpHeaderNames.SEC_WEBSOCKET_VERSION, WEBSOCKET_VERSION);
    } else if (status == 405) {
      response.putHeader(HttpHeaders.ALLOW, "GET");
    }
    String body = why != null ? why : HttpResponseStatus.valueOf(status).reasonPhrase();
    response.end(body + "\n").onComplete(ar -> request.connection().close());
  }

  /** Whether a handshake with this {@code Origin} header (null: not a browser) may connect. */
  public static boolean originAllowed(List<String> allowed, String origin) {
    return origin == null || allowed.isEmpty() || allowed.contains(SecurityOptions.normalizeOrigin(origin));
  }

  /** The token of an {@code Authorization: Bearer} header, else of the {@value #TOKEN_QUERY} query parameter. */
  public static String token(MultiMap headers, String query) {
    String header = headers.get(HttpHeaders.AUTHORIZATION);
    if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return header.substring(BEARER.length()).trim();
    }
    if (query == null || !query.contains(TOKEN_QUERY)) {
      return null;
    }
    try {
      List<String> values = new QueryStringDecoder(query, false).parameters().get(TOKEN_QUERY);
      return values == null || values.isEmpty() ? null : values.get(0);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
