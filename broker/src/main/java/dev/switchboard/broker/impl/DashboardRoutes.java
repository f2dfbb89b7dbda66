package dev.switchboard.broker.impl;

import dev.switchboard.broker.routing.BrokerContext;
import dev.switchboard.broker.ops.ClusterView;
import dev.switchboard.broker.presence.PresenceView;
import dev.switchboard.broker.routing.Hub;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The cluster dashboard: the page ({@code GET /dashboard}, with its script and style) and the view it polls every
 * second ({@code GET /api/cluster}, the node's {@link ClusterView}, each topic with its subscribers in the
 * cluster). The page is three files from this jar's {@code webroot/}, self-contained (nothing from elsewhere), served by these routes rather than by a static handler
 * so that the dashboard does not depend on what else the node serves.
 */
final class DashboardRoutes {
  static final String PAGE = "/dashboard";
  static final String API = "/api/cluster";
  /** The page may load its own script and style and poll this node; nothing else, and no inline script. */
  static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
      + "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private DashboardRoutes() {
  }

  static void mount(Router router, Vertx vertx, BrokerContext node, Hub hub) {
    Routes.read(router, PAGE).handler(asset(vertx, "webroot/dashboard.html", "text/html; charset=utf-8"));
    Routes.read(router, "/dashboard.js").handler(asset(vertx, "webroot/dashboard.js", "text/javascript; charset=utf-8"));
    Routes.read(router, "/dashboard.css").handler(asset(vertx, "webroot/dashboard.css", "text/css; charset=utf-8"));
    ClusterView view = node.view();
    PresenceView presence = node.presence();
    router.get(API).handler(ctx -> ctx.response()
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store")
        .end(withSubscribers(view.json(), presence)));
  }

  /** The view, each listed topic with its subscribers in the cluster (the presence service's count, a local read). */
  static String withSubscribers(String view, PresenceView presence) {
    JsonObject json = new JsonObject(view);
    JsonArray topics = json.getJsonArray("topics");
    for (int i = 0; i < topics.size(); i++) {
      JsonObject topic = topics.getJsonObject(i);
      topic.put("subscribers", presence.subscribers(topic.getString("topic")));
    }
    return json.encode();
  }

  /** Serves a file of this jar, read once per event loop on a worker (a jar read must not hold the event loop). */
  private static Handler<RoutingContext> asset(Vertx vertx, String resource, String contentType) {
    Future<Buffer> body = vertx.executeBlocking(() -> read(resource));
    return ctx -> body.onComplete(read -> {
      if (read.failed()) {
        ctx.fail(read.cause());
        return;
      }
      ctx.response()
          .putHeader("content-type", contentType)
          .putHeader("cache-control", "no-cache")
          .putHeader("x-content-type-options", "nosniff")
          .putHeader("content-security-policy", PAGE_POLICY)
          .end(read.result());
    });
  }

  private static Buffer read(String resource) {
    try (InputStream in = DashboardRoutes.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not in the jar");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(resource, e);
    }
  }
}
