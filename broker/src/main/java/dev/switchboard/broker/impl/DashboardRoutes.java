package dev.switchboard.broker.impl;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/** The cluster dashboard ({@code /dashboard}) and the data it shows. */
final class DashboardRoutes {
  private DashboardRoutes() {
  }

  static void mount(Router router, Vertx vertx, BrokerContext node, Hub hub) {
    // Being built (see the open issues); nothing is mounted yet.
  }
}
