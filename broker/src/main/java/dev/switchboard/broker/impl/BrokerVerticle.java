package dev.switchboard.broker.impl;

import dev.switchboard.broker.session.Session;
import dev.switchboard.broker.session.SessionChannel;
import dev.switchboard.broker.routing.BrokerContext;
import dev.switchboard.broker.routing.Hub;
import dev.switchboard.broker.session.HandshakeGate;
import dev.switchboard.broker.security.SecurityOptions;
import dev.switchboard.protocol.CloseCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One per event loop: an HTTP server (HTTPS with a TLS certificate) on the node's shared port (Vert.x spreads
 * connections over the instances) that accepts WebSockets on {@code /ws} into this event loop's {@link Hub}, once
 * the {@link HandshakeGate} lets them in, and serves the plain HTTP {@link Routes}.
 */
public final class BrokerVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(BrokerVerticle.class.getName());

  private final BrokerContext node;
  private final int port;
  private HttpServer server;
  /** Set on the verticle's event loop as it starts, read from others ({@link #hub()}). */
  private volatile Hub hub;

  BrokerVerticle(BrokerContext node, int port) {
    this.node = node;
    this.port = port;
  }

  int actualPort() {
    return server.actualPort();
  }

  /** This event loop's hub; null until the verticle has started. */
  Hub hub() {
    return hub;
  }

  @Override
  public Future<?> start() {
    hub = new Hub(vertx, context, node);
    HttpServerOptions options = new HttpServerOptions()
        .setMaxWebSocketFrameSize(node.options().maxFrameBytes())
        .setMaxWebSocketMessageSize(node.options().maxFrameBytes())
        .setWebSocketClosingTimeout(SessionChannel.CLOSING_TIMEOUT_SECONDS)
        // A delivery is encoded once per node and written as the same bytes to every subscriber; per-connection
        // compression would encode it again for each of them, so the extensions are not offered.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        // No HTTP/2 over cleartext: the node speaks HTTP/1.1 (WebSocket upgrades, health, metrics). Sniffing for the
        // h2c preface also left connections whose first bytes are junk without an exception handler.
        .setHttp2ClearTextEnabled(false);
    SecurityOptions security = node.options().security();
    if (security.tls()) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(security.tlsCertFile())
          .setKeyPath(security.tlsKeyFile()));
    }
    HandshakeGate gate = new HandshakeGate(node);
    Router routes = Routes.router(vertx, node, hub);
    server = vertx.createHttpServer(options)
        // Connection-level failures before a session exists (a reset during the handshake, bytes that are not HTTP):
        // the peer's doing, not the node's; without a handler Vert.x would log each at SEVERE.
        .exceptionHandler(BrokerVerticle::connectionFailed)
        // No WebSocket handler: Vert.x would check and answer a handshake itself, loosely (draft versions, no key
        // check) and without a way to add headers to a refusal. The gate sees the request first and upgrades it.
        .requestHandler(request -> {
          if (HandshakeGate.answers(request)) {
            gate.handle(request, (ws, identity) -> Session.accept(hub, ws, identity));
          } else {
            routes.handle(request);
          }
        });
    return server.listen(port, node.options().host());
  }

  /**
   * A client connection failed below any session: a reset, bytes that are not HTTP, a broken TLS handshake. Logged
   * at FINE: a client can cause these at will, and a log line each would let it flood the log.
   */
  private static void connectionFailed(Throwable failure) {
    LOG.log(Level.FINE, () -> "client connection failed: " + failure);
  }

  /** Publishes {@code data} (JSON text) to {@code topic} from this event loop, as the node itself. */
  void publish(String topic, String data) {
    context.runOnContext(v -> hub.publish(topic, data));
  }

  /** Sends a presence topic's {@code join} or {@code leave} from this verticle's event loop ({@link Hub#presenceEvent}). */
  void presenceEvent(String topic, JsonObject frame) {
    context.runOnContext(v -> hub.presenceEvent(topic, frame));
  }

  /** Closes this event loop's clients with {@code code}, spread over {@code windowMs}; completes when all are. */
  Future<Void> drain(CloseCode code, long windowMs) {
    Promise<Void> drained = Promise.promise();
    context.runOnContext(v -> hub.drain(code, windowMs).onComplete(drained));
    return drained.future();
  }

  @Override
  public Future<?> stop() {
    hub.close();
    return server.close();
  }
}
