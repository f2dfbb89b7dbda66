package dev.switchboard.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling: the least a WebSocket broadcast server on Vert.x can do, to measure the node against on the same
 * machine with the same frames. No topics and no protocol: every text frame a connection sends is written to every
 * connection that has never sent one and did not connect as {@code /ws?role=publisher} (publishers do not hear
 * themselves or each other, as in the node), encoded once,
 * with one flush per connection per event-loop turn ({@link CeilingVerticle}).
 *
 * <p>{@code java -cp switchboard-bench.jar dev.switchboard.bench.CeilingServer [--host H] [--port P] [--instances N]
 * [--write frames|bytes|batch]} prints {@code serving ws://H:P/ws} on stderr when ready. {@code --write bytes} encodes
 * the WebSocket header once too; {@code --write batch} also writes a turn's frames as one buffer per connection, as
 * the node does (see {@link CeilingVerticle}).
 */
public final class CeilingServer {
  public static final String PATH = "/ws";
  /** A connection to {@code /ws?role=publisher} never listens, from the start (no race with its first frame). */
  public static final String PUBLISHER_QUERY = "role=publisher";

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final String host;
  private final int port;

  private CeilingServer(Vertx vertx, boolean ownsVertx, String host, int port) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.host = host;
    this.port = port;
  }

  /**
   * Starts {@code instances} verticles (one per event loop) on {@code host:port} (0: a free port) in {@code vertx},
   * or in a Vert.x of its own with that many event loops when {@code vertx} is null.
   */
  public static Future<CeilingServer> start(Vertx vertx, String host, int port, int instances) {
    return start(vertx, host, port, instances, "frames");
  }

  /** As {@link #start(Vertx, String, int, int)}; {@code write}: frames, bytes or batch, see {@link CeilingVerticle}. */
  public static Future<CeilingServer> start(Vertx vertx, String host, int port, int instances, String write) {
    return start(vertx, host, port, instances, write, "auto");
  }

  /**
   * As {@link #start(Vertx, String, int, int, String)}; {@code transport} (auto, nio, epoll) for a Vert.x of its own,
   * chosen as the node chooses it, so that both are measured on the same transport.
   */
  public static Future<CeilingServer> start(Vertx vertx, String host, int port, int instances, String write,
                                            String transport) {
    CeilingVerticle.Write mode = CeilingVerticle.Write.of(write);
    boolean owns = vertx == null;
    Vertx v = owns ? Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(instances))
        .withTransport(transport(transport)).build() : vertx;
    List<CeilingVerticle> group = new CopyOnWriteArrayList<>();
    // Vert.x shares one server port among verticles; a negative port shares one random port (port 0 would not).
    int listenPort = port == 0 ? -1 : port;
    Future<CeilingServer> started = v.deployVerticle(() -> new CeilingVerticle(group, host, listenPort, mode),
            new DeploymentOptions().setInstances(instances))
        .map(id -> new CeilingServer(v, owns, host, group.get(0).actualPort()));
    if (owns) {
      started.onFailure(e -> v.close());
    }
    return started;
  }

  private static Transport transport(String name) {
    return switch (name) {
      case "nio" -> Transport.NIO;
      case "epoll" -> Transport.EPOLL;
      default -> Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
    };
  }

  public int port() {
    return port;
  }

  public String url() {
    return "ws://" + host + ":" + port + PATH;
  }

  /** Closes the servers, and the Vert.x if it was started here. */
  public Future<Void> close() {
    return ownsVertx ? vertx.close() : Future.succeededFuture();
  }

  public static void main(String[] args) throws Exception {
    BenchArgs parsed = BenchArgs.parse(args);
    String host = parsed.string("host", "127.0.0.1");
    int port = parsed.integer("port", 0);
    int instances = parsed.integer("instances", 1);
    String write = parsed.string("write", "frames");
    String transport = parsed.string("transport", "auto");
    if (!write.matches("frames|bytes|batch")) {
      throw new IllegalArgumentException("write: '" + write + "' is not frames, bytes or batch");
    }
    parsed.rejectUnknown();
    CeilingServer server = start(null, host, port, instances, write, transport).toCompletionStage()
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    System.err.println("ceiling server serving " + server.url() + " (" + instances + " event loop"
        + (instances == 1 ? "" : "s") + ", " + (server.vertx.isNativeTransportEnabled() ? "epoll" : "nio")
        + " transport)");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("ceiling server: unclean stop: " + e);
      }
    }, "ceiling-shutdown"));
  }
}
