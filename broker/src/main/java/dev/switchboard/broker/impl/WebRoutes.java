package dev.switchboard.broker.impl;

import dev.switchboard.broker.routing.BrokerContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The browser side served by every node, from the classpath's {@code webroot}: the JavaScript client
 * ({@code /client/switchboard.js}) and the demo page ({@code /}, with {@code /demo.css} and {@code /demo.js}).
 *
 * <p>Only these paths are mounted, each by name, so that other files under {@code webroot} (the dashboard's) are
 * served by their own routes or not at all. Files are sent with {@code Cache-Control: no-cache}: a browser may keep
 * them but asks again each time, so a page is never older than the node serving it (the files are a few kilobytes;
 * a client matching its node matters more than a saved request). Text is declared UTF-8 whatever the platform's
 * charset, and JavaScript is {@code text/javascript}, as browsers require for a module.
 */
final class WebRoutes {
  static final String WEB_ROOT = "webroot";
  /** Under {@code /client/}: the files of {@code webroot/client} (a wildcard route serves its rest of the path). */
  static final String CLIENT = "/client/*";
  /**
   * The demo page's files, by name, under {@code webroot}; {@code /} is {@code index.html}. A regular expression and
   * not exact routes: {@code StaticHandler} serves an exact route's path relative to the route itself.
   */
  static final String PAGE = "/(?:index\\.html|demo\\.css|demo\\.js)?";

  private WebRoutes() {
  }

  static void mount(Router router, Vertx vertx, BrokerContext node) {
    Routes.read(router, CLIENT).handler(WebRoutes::noCache).handler(files(WEB_ROOT + "/client"));
    router.routeWithRegex(PAGE).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(WebRoutes::noCache)
        .handler(files(WEB_ROOT));
  }

  private static StaticHandler files(String root) {
    return StaticHandler.create(root)
        .setCachingEnabled(false)
        .setDirectoryListing(false)
        .setIncludeHidden(false)
        .setDefaultContentEncoding("UTF-8");
  }

  private static void noCache(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    ctx.next();
  }
}
