package dev.switchboard.broker.impl;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * One per event loop: an HTTP server on the node's shared port (Vert.x spreads connections over the instances) that
 * accepts WebSockets on {@code /ws} into this event loop's {@link Hub}.
 */
final class BrokerVerticle extends VerticleBase {
  static final String WS_PATH = "/ws";
  static final int CLOSING_TIMEOUT_SECONDS = 5;

  private final BrokerContext node;
  private final int port;
  private HttpServer server;
  private Hub hub;

  BrokerVerticle(BrokerContext node, int port) {
    this.node = node;
    this.port = port;
  }

  int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    hub = new Hub(vertx, context, node);
    HttpServerOptions options = new HttpServerOptions()
        .setMaxWebSocketFrameSize(node.options().maxFrameBytes())
        .setMaxWebSocketMessageSize(node.options().maxFrameBytes())
        .setWebSocketClosingTimeout(CLOSING_TIMEOUT_SECONDS)
        // A delivery is encoded once per node and written as the same bytes to every subscriber; per-connection
        // compression would encode it again for each of them, so the extensions are not offered.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
    server = vertx.createHttpServer(options)
        .webSocketHandshakeHandler(handshake -> {
          if (WS_PATH.equals(handshake.path())) {
            handshake.accept();
          } else {
            handshake.reject(404);
          }
        })
        .webSocketHandler(hub::accept)
        .requestHandler(request -> request.response().setStatusCode(404)
            .putHeader("content-type", "text/plain")
            .end("Switchboard node. WebSocket endpoint: " + WS_PATH + "\n"));
    return server.listen(port, node.options().host());
  }

  @Override
  public Future<?> stop() {
    hub.close();
    return server.close();
  }
}
