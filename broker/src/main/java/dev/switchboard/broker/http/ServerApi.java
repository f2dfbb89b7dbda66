package dev.switchboard.broker.http;

import dev.switchboard.broker.NodeStats;
import dev.switchboard.broker.routing.BrokerContext;
import dev.switchboard.broker.routing.Hub;
import dev.switchboard.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The server API, {@code /api/v1/}: HTTP and JSON for an application's backends, authorized by an API key
 * ({@link ApiGate}). Its operations are the table {@link #OPERATIONS}, which the routes are made from and which the
 * OpenAPI document ({@code GET /api/v1/openapi.json}, served without a key) describes. Any other path under
 * {@code /api/v1/} is 404 {@code not_found}, another method on an operation's path 405 {@code method_not_allowed}.
 * One router per event loop, like the node's other routes: requests are carried out on that event loop's hub.
 */
public final class ServerApi {
  public static final String PREFIX = "/api/v1";
  /** The OpenAPI 3.0 document of the server API, in this jar. */
  static final String DOCUMENT = "api/openapi.json";

  /** One operation: its method, its path (under {@link #PREFIX}) and its {@code operationId} in the document. */
  record Operation(HttpMethod method, String path, String id) {
  }

  static final List<Operation> OPERATIONS = List.of(
      new Operation(HttpMethod.GET, "/openapi.json", "openapi"),
      new Operation(HttpMethod.POST, "/publish", "publish"),
      new Operation(HttpMethod.POST, "/broadcast", "broadcast"),
      new Operation(HttpMethod.GET, "/history", "history"),
      new Operation(HttpMethod.POST, "/disconnect", "disconnect"),
      new Operation(HttpMethod.POST, "/unsubscribe", "unsubscribe"),
      new Operation(HttpMethod.GET, "/info", "info"),
      new Operation(HttpMethod.GET, "/topics", "topics"),
      new Operation(HttpMethod.GET, "/presence", "presence"),
      new Operation(HttpMethod.GET, "/presence_stats", "presenceStats"));

  private ServerApi() {
  }

  /**
   * Mounts the server API of the event loop of {@code hub} on {@code router}; on a node without
   * {@code --api-key-file}, a 404 that says the API is off for every path under {@link #PREFIX}.
   */
  public static void mount(Router router, Vertx vertx, BrokerContext node, Hub hub) {
    if (node.security().apiKeys == null) {
      router.route(PREFIX + "/*").handler(ctx -> ApiGate.off(hub, ctx));
      return;
    }
    ApiPublish publish = new ApiPublish(hub, node.security());
    ApiClients clients = new ApiClients(hub, vertx, node.view());
    Map<String, Handler<RoutingContext>> handlers = new HashMap<>();
    handlers.put("openapi", document(vertx));
    handlers.put("publish", publish::publish);
    handlers.put("broadcast", publish::broadcast);
    handlers.put("history", new ApiHistory(hub, node.history(), vertx)::handle);
    handlers.put("disconnect", clients::disconnect);
    handlers.put("unsubscribe", clients::unsubscribe);
    ApiInfo info = new ApiInfo(hub, node.view(), node.presence());
    handlers.put("info", info::info);
    handlers.put("topics", info::topics);
    handlers.put("presence", info::presence);
    handlers.put("presenceStats", info::presenceStats);
    mount(router, handlers::get, ctx -> ApiGate.check(hub, node.security(), ctx), hub.stats);
  }

  /**
   * The routes of {@link #OPERATIONS}, each answered by {@code handlers} (by its id): the document first and without
   * a key, then {@code gate} in front of everything else under {@link #PREFIX}, then the other operations, then 405
   * for another method on their paths and 404 for any other path.
   */
  static void mount(Router router, Function<String, Handler<RoutingContext>> handlers, Handler<RoutingContext> gate,
                    NodeStats.Recorder stats) {
    Operation document = OPERATIONS.get(0);
    router.route(document.method(), PREFIX + document.path()).handler(handlers.apply(document.id()));
    router.route(PREFIX + "/*").handler(gate);
    for (Operation operation : OPERATIONS.subList(1, OPERATIONS.size())) {
      router.route(operation.method(), PREFIX + operation.path()).handler(handlers.apply(operation.id()));
    }
    for (Operation operation : OPERATIONS) {
      router.route(PREFIX + operation.path()).handler(ctx -> {
        ctx.response().putHeader("allow", operation.method().name());
        ApiReplies.error(stats, ctx.response(), ErrorCode.METHOD_NOT_ALLOWED, PREFIX + operation.path()
            + " answers " + operation.method().name() + " only");
      });
    }
    router.route(PREFIX + "/*").handler(ctx -> notFound(stats, ctx));
  }

  private static void notFound(NodeStats.Recorder stats, RoutingContext ctx) {
    ApiReplies.error(stats, ctx.response(), ErrorCode.NOT_FOUND, "no operation " + ctx.request().path()
        + " in the server API; its operations are described at " + PREFIX + OPERATIONS.get(0).path());
  }

  /** Serves the OpenAPI document, read from the jar once per event loop on a worker. */
  private static Handler<RoutingContext> document(Vertx vertx) {
    Future<Buffer> body = vertx.executeBlocking(ServerApi::read);
    return ctx -> body.onComplete(read -> {
      if (read.failed()) {
        ctx.fail(read.cause());
        return;
      }
      ApiReplies.json(ctx.response(), 200, read.result());
    });
  }

  private static Buffer read() {
    try (InputStream in = ServerApi.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException(DOCUMENT + " is not in the jar");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(DOCUMENT, e);
    }
  }
}
