package dev.switchboard.broker.impl;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/** Server-sent events ({@code GET /sse}) and HTTP publish ({@code POST /api/topics/{topic}/messages}). */
final class StreamRoutes {
  private StreamRoutes() {
  }

  static void mount(Router router, Vertx vertx, BrokerContext node, Hub hub) {
    // Being built (see the open issues); nothing is mounted yet.
  }
}
