package dev.switchboard.broker.impl;

import dev.switchboard.broker.http.ServerApi;
import dev.switchboard.broker.session.HandshakeGate;
import dev.switchboard.broker.routing.BrokerContext;
import dev.switchboard.broker.routing.Hub;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

/**
 * The node's plain HTTP paths, beside the WebSocket endpoint: health, metrics, the browser pages and client
 * ({@link WebRoutes}), server-sent events and HTTP publish ({@link StreamRoutes}), the server API
 * ({@link ServerApi}), the dashboard ({@link DashboardRoutes}), and 404 for everything else. One router per event loop: {@code hub} is its hub.
 */
final class Routes {
  static final String LIVE = "/health/live";
  static final String READY = "/health/ready";
  static final String METRICS = "/metrics";

  private Routes() {
  }

  static Router router(Vertx vertx, BrokerContext node, Hub hub) {
    Router router = Router.router(vertx);
    read(router, LIVE).handler(HealthCheckHandler.createWithHealthChecks(node.health().liveChecks()));
    read(router, READY).handler(HealthCheckHandler.createWithHealthChecks(node.health().readyChecks()));
    read(router, METRICS).handler(node.metrics().scrapeHandler());
    StreamRoutes.mount(router, vertx, node, hub);
    ServerApi.mount(router, vertx, node, hub);
    DashboardRoutes.mount(router, vertx, node, hub);
    WebRoutes.mount(router, vertx, node);
    router.route().handler(ctx -> ctx.response().setStatusCode(404)
        .putHeader("content-type", "text/plain")
        .end("Switchboard node. WebSocket endpoint: " + HandshakeGate.WS_PATH + "\n"));
    return router;
  }

  /** A path that answers GET, and HEAD with the same status and headers (Vert.x leaves the body out): probes use both. */
  static Route read(Router router, String path) {
    return router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD);
  }
}
