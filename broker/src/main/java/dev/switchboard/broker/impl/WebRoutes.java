package dev.switchboard.broker.impl;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/** The browser side served by every node: the JavaScript client ({@code /client/switchboard.js}) and the demo page ({@code /}). */
final class WebRoutes {
  private WebRoutes() {
  }

  static void mount(Router router, Vertx vertx, BrokerContext node) {
    // Being built (see the open issues); nothing is mounted yet.
  }
}
