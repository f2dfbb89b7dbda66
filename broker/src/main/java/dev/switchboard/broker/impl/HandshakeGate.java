package dev.switchboard.broker.impl;

import dev.switchboard.broker.security.SecurityOptions;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Decides every WebSocket upgrade before it happens, so that a refused one costs no session: the path (404), a
 * draining node or one without its quorum of cluster members (503), a browser page from an origin not allowed (403,
 * against cross-site WebSocket hijacking), a node at its connection limit (503), and, when authentication is
 * required, a token the handshake carries (401 if it is not valid). A handshake without a token is accepted; its
 * session then waits for {@code hello}.
 */
final class HandshakeGate {
  static final String TOKEN_QUERY = "access_token";
  private static final String BEARER = "bearer ";

  private final BrokerContext node;
  private final Security security;

  HandshakeGate(BrokerContext node) {
    this.node = node;
    this.security = node.security();
  }

  /** Accepts or refuses {@code handshake}; an accepted WebSocket goes to {@code accept} with the handshake's identity. */
  void handle(ServerWebSocketHandshake handshake, BiConsumer<ServerWebSocket, TokenVerifier.Identity> accept) {
    String who = String.valueOf(handshake.remoteAddress());
    if (!BrokerVerticle.WS_PATH.equals(handshake.path())) {
      handshake.reject(404);
    } else if (node.health().refusal() != null) {
      handshake.reject(503);
    } else if (!originAllowed(security.options.allowedOrigins(), handshake.headers().get(HttpHeaders.ORIGIN))) {
      security.refused(who, Refusal.ORIGIN, "origin " + handshake.headers().get(HttpHeaders.ORIGIN));
      handshake.reject(403);
    } else if (security.slots.full()) {
      refuseFull(handshake, who);
    } else {
      String token = security.authRequired() ? token(handshake) : null;
      if (token == null) {
        admit(handshake, who, null, accept);
        return;
      }
      security.verifier.verify(token, System.currentTimeMillis()).onComplete(ar -> {
        if (ar.succeeded()) {
          admit(handshake, who, ar.result(), accept);
        } else {
          TokenVerifier.Refused refused = (TokenVerifier.Refused) ar.cause();
          security.refused(who, refused.expired ? Refusal.TOKEN_EXPIRED : Refusal.INVALID_TOKEN,
              "handshake token: " + refused.getMessage());
          handshake.reject(401);
        }
      });
    }
  }

  /**
   * Takes a client slot and completes the upgrade, or refuses it (503) if the last slot went meanwhile; the session
   * gives the slot back when it ends, a failed upgrade at once.
   */
  private void admit(ServerWebSocketHandshake handshake, String who, TokenVerifier.Identity identity,
                     BiConsumer<ServerWebSocket, TokenVerifier.Identity> accept) {
    if (!security.slots.take()) {
      refuseFull(handshake, who);
      return;
    }
    handshake.accept().onComplete(ar -> {
      if (ar.succeeded()) {
        accept.accept(ar.result(), identity);
      } else {
        security.slots.give();
      }
    });
  }

  private void refuseFull(ServerWebSocketHandshake handshake, String who) {
    security.refused(who, Refusal.NODE_CONNECTIONS, "the node holds " + security.slots.taken() + " clients");
    handshake.reject(503);
  }

  /** Whether a handshake with this {@code Origin} header (null: not a browser) may connect. */
  static boolean originAllowed(List<String> allowed, String origin) {
    return origin == null || allowed.isEmpty() || allowed.contains(SecurityOptions.normalizeOrigin(origin));
  }

  /** The token of an {@code Authorization: Bearer} header, else of the {@value #TOKEN_QUERY} query parameter. */
  static String token(ServerWebSocketHandshake handshake) {
    return token(handshake.headers(), handshake.query());
  }

  /** The same for any HTTP request (server-sent events, HTTP publish): its headers and its raw query. */
  static String token(MultiMap headers, String query) {
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
