package dev.switchboard.broker.session;

import dev.switchboard.broker.auth.Access;
import dev.switchboard.broker.auth.Refusal;
import dev.switchboard.broker.auth.Security;
import dev.switchboard.broker.auth.TokenVerifier;
import dev.switchboard.broker.wire.AuthFrames;
import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Set;

/**
 * The authentication of one WebSocket session, on its event loop. On an anonymous node the session is welcomed at
 * once and may do anything. When authentication is required, a session is welcomed once a token is verified (from
 * the handshake, or the first {@code hello}) and its user has a connection slot on this node; until then every
 * frame but {@code hello} and {@code pong} is refused ({@code unauthorized}), and without a valid token within
 * {@code auth-timeout-ms} it is closed (4005). Expiry is enforced during the session: {@code refresh} is sent
 * {@code auth-refresh-ms} before the token expires, a {@code hello} with a new token (same user) extends it, and at
 * expiry the session is closed (4004).
 */
final class SessionAuth {
  /** What the session does for its authentication. */
  interface Owner {
    String id();

    void welcome();

    boolean send(byte[] frame);

    /** Answers a request: written after the answers to the requests before it (some wait on the cluster). */
    void answer(byte[] frame);

    void refuse(String requestId, ErrorCode code, String message);

    void close(CloseCode code);

    /** The topics and patterns the session holds. */
    Set<String> subscriptions();

    /** Stops reading the client's frames until {@code done} completes (while a token is being verified). */
    void holdReadingUntil(Future<?> done);
  }

  private final Security security;
  private final Owner owner;
  private final Vertx vertx;
  final Access access;
  private TokenVerifier.Identity identity;
  private boolean welcomed;
  private boolean counted;
  private boolean released;
  private long timeoutTimer = -1;
  private long refreshTimer = -1;
  private long expiryTimer = -1;

  SessionAuth(Security security, Owner owner, Vertx vertx) {
    this.security = security;
    this.owner = owner;
    this.vertx = vertx;
    this.access = new Access(security, owner.id());
  }

  /** Starts the session: welcomed now if anonymous or the handshake carried a token, else waits for hello. */
  void start(TokenVerifier.Identity fromHandshake) {
    if (!security.authRequired()) {
      welcome();
    } else if (fromHandshake != null) {
      admit(fromHandshake, null);
    } else {
      timeoutTimer = vertx.setTimer(security.options.authTimeoutMs(), t -> {
        timeoutTimer = -1;
        if (!welcomed && !released) {
          security.refused(owner.id(), Refusal.AUTH_TIMEOUT, "no valid hello within "
              + security.options.authTimeoutMs() + " ms");
          owner.close(CloseCode.AUTH_TIMEOUT);
        }
      });
    }
  }

  /** Whether frames other than hello may be carried out. */
  boolean authenticated() {
    return welcomed;
  }

  /** Refuses a frame that came before authentication; call when {@link #authenticated()} is false. */
  void refuseUnauthenticated(String requestId, String type) {
    security.refused(owner.id(), Refusal.UNAUTHENTICATED, type + " before hello");
    owner.refuse(requestId, ErrorCode.UNAUTHORIZED, "authenticate first: send hello with a token");
  }

  /**
   * A {@code hello}: the first token, or a refreshed one. Without a token ({@code null}): on an anonymous node, or a
   * session already authenticated, it is answered with who the session is; otherwise the client cannot authenticate
   * and is closed at once (4500) rather than at the auth timeout.
   */
  void hello(String requestId, String token) {
    if (!security.authRequired()) {
      owner.answer(AuthFrames.authenticated(requestId, null, Long.MAX_VALUE));
      return;
    }
    if (token == null) {
      if (welcomed) {
        owner.answer(AuthFrames.authenticated(requestId, identity.user(), identity.expiresAtMs()));
        return;
      }
      security.refused(owner.id(), Refusal.UNAUTHENTICATED, "hello without a token");
      owner.refuse(requestId, ErrorCode.UNAUTHORIZED, "this node requires a token: send hello with one");
      owner.close(CloseCode.UNAUTHORIZED);
      return;
    }
    Future<TokenVerifier.Identity> verified = security.verifier.verify(token, System.currentTimeMillis());
    if (!verified.isComplete()) {
      owner.holdReadingUntil(verified);
    }
    verified.onComplete(ar -> {
      if (released) {
        return;
      }
      if (ar.succeeded()) {
        if (welcomed) {
          refresh(requestId, ar.result());
        } else {
          admit(ar.result(), requestId);
        }
        return;
      }
      TokenVerifier.Refused refused = (TokenVerifier.Refused) ar.cause();
      Refusal refusal = refused.expired ? Refusal.TOKEN_EXPIRED : Refusal.INVALID_TOKEN;
      security.refused(owner.id(), refusal, "hello: " + refused.getMessage());
      if (welcomed) {
        // The session goes on with the token it has until that one expires.
        owner.refuse(requestId, ErrorCode.UNAUTHORIZED, "token not accepted: " + refused.getMessage());
      } else {
        owner.close(refused.expired ? CloseCode.TOKEN_EXPIRED : CloseCode.UNAUTHORIZED);
      }
    });
  }

  /** The first valid token: the user takes a connection slot, then the session is welcomed. */
  private void admit(TokenVerifier.Identity id, String requestId) {
    if (!security.users.open(id.user())) {
      security.refused(owner.id(), Refusal.USER_CONNECTIONS, "user " + id.user() + " holds "
          + security.options.maxConnectionsPerUser() + " connections on this node");
      owner.close(CloseCode.TOO_MANY_CONNECTIONS);
      return;
    }
    counted = true;
    cancel(timeoutTimer);
    timeoutTimer = -1;
    identity = id;
    access.identify(id.user(), id.grants());
    welcome();
    owner.answer(AuthFrames.authenticated(requestId, id.user(), id.expiresAtMs()));
    schedule();
  }

  private void refresh(String requestId, TokenVerifier.Identity id) {
    if (!id.user().equals(identity.user())) {
      security.refused(owner.id(), Refusal.INVALID_TOKEN, "hello: token for user " + id.user() + ", session of "
          + identity.user());
      owner.refuse(requestId, ErrorCode.UNAUTHORIZED, "a new token must name the same user");
      return;
    }
    for (String held : owner.subscriptions()) {
      if (!id.grants().maySubscribe(held)) {
        security.refused(owner.id(), Refusal.PERMISSIONS_CHANGED, "the new token does not grant " + held);
        owner.close(CloseCode.PERMISSIONS_CHANGED);
        return;
      }
    }
    identity = id;
    access.identify(id.user(), id.grants());
    owner.answer(AuthFrames.authenticated(requestId, id.user(), id.expiresAtMs()));
    schedule();
  }

  private void welcome() {
    welcomed = true;
    owner.welcome();
  }

  /** The refresh reminder and the expiry of the current token. */
  private void schedule() {
    cancel(refreshTimer);
    cancel(expiryTimer);
    refreshTimer = -1;
    expiryTimer = -1;
    long expiresAt = identity.expiresAtMs();
    if (expiresAt == Long.MAX_VALUE) {
      return;
    }
    long left = expiresAt - System.currentTimeMillis();
    long untilRefresh = left - security.options.authRefreshMs();
    refreshTimer = vertx.setTimer(Math.max(1, untilRefresh), t -> {
      refreshTimer = -1;
      if (!released) {
        owner.send(AuthFrames.refresh(expiresAt));
      }
    });
    expiryTimer = vertx.setTimer(Math.max(1, left), t -> {
      expiryTimer = -1;
      if (!released) {
        security.refused(owner.id(), Refusal.TOKEN_EXPIRED, "token of " + identity.user() + " expired");
        owner.close(CloseCode.TOKEN_EXPIRED);
      }
    });
  }

  /** The session ended: timers go, the user's connection slot is given back. Idempotent. */
  void release() {
    if (released) {
      return;
    }
    released = true;
    cancel(timeoutTimer);
    cancel(refreshTimer);
    cancel(expiryTimer);
    if (counted) {
      security.users.close(identity.user());
    }
  }

  private void cancel(long timer) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
