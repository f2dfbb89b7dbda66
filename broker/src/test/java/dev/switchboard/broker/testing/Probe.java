package dev.switchboard.broker.testing;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

/**
 * A raw protocol client over a real WebSocket, for tests that speak the wire protocol frame by frame. It does not
 * answer pings unless told to. ServerFrames received are kept in order. Waits come blocking ({@link #next}) or as
 * Vert.x futures ({@link #nextAsync}, {@link #request}, {@link #onFrame}) for tests with a {@code VertxTestContext}.
 */
public final class Probe implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final WebSocketClient client; // referenced, or Vert.x closes it
  public final WebSocket ws;
  private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  private final List<String> raw = new CopyOnWriteArrayList<>();
  private volatile Short closeCode;
  private volatile String closeReason;
  private volatile long closedAtNanos;
  private volatile boolean answerPings;
  private JsonObject welcome;
  private int next;
  /** Guards {@link #next}, {@link #waiting}, {@link #listeners} and the adding of frames, for the future variants. */
  private final Object lock = new Object();
  private final Map<Integer, Promise<JsonObject>> waiting = new HashMap<>();
  private final List<Handler<JsonObject>> listeners = new ArrayList<>();

  private Probe(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(text -> {
      raw.add(text);
      JsonObject frame = new JsonObject(text);
      received(frame);
      if (answerPings && "ping".equals(frame.getString("type"))) {
        ws.writeTextMessage("{\"type\":\"pong\"}");
      }
    });
    ws.closeHandler(v -> {
      closedAtNanos = System.nanoTime();
      closeReason = ws.closeReason();
      closeCode = ws.closeStatusCode() == null ? (short) 1006 : ws.closeStatusCode();
    });
  }

  public static Probe connect(Vertx vertx, int port) {
    return connect(vertx, port, new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
  }

  public static Probe connect(Vertx vertx, int port, WebSocketClientOptions options) {
    WebSocketClient client = vertx.createWebSocketClient(options);
    // Handlers are set before the connection exists: a welcome that arrives with the 101 cannot find none.
    ClientWebSocket ws = client.webSocket();
    Probe probe = new Probe(client, ws);
    await(ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws")));
    probe.welcome = probe.next("welcome");
    return probe;
  }

  /**
   * Opens a WebSocket without waiting for {@code welcome} (a node that requires authentication sends it only after
   * a valid token); {@code tune} adds headers or a query.
   */
  public static Probe open(Vertx vertx, int port, java.util.function.Consumer<WebSocketConnectOptions> tune) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20)
        .setMaxMessageSize(1 << 20));
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws");
    tune.accept(options);
    ClientWebSocket ws = client.webSocket();
    Probe probe = new Probe(client, ws);
    await(ws.connect(options));
    return probe;
  }

  /** The session id the node's {@code welcome} gave (only for a probe that waited for it). */
  public String sessionId() {
    return welcome.getString("session");
  }

  public Probe answerPings(boolean answer) {
    this.answerPings = answer;
    return this;
  }

  public Probe send(String text) {
    await(ws.writeTextMessage(text));
    return this;
  }

  public Probe sendBinary(Buffer data) {
    await(ws.writeBinaryMessage(data));
    return this;
  }

  /** Waits for the next frame (after those already taken) and checks its type. */
  public JsonObject next(String type) {
    JsonObject frame = next();
    if (!type.equals(frame.getString("type"))) {
      throw new AssertionError("expected a '" + type + "' frame, got " + frame);
    }
    return frame;
  }

  public JsonObject next() {
    int index = take();
    if (frames.size() <= index) {
      // Awaitility first looks after its poll delay: only wait when the frame is not here yet.
      Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(WAIT)
          .until(() -> frames.size() > index);
    }
    return frames.get(index);
  }

  /**
   * The next frame (after those already taken, by this or by {@link #next}), as a future completed on the event loop
   * when it arrives; it fails, as {@link #next(String)} throws, if its type is not {@code type}.
   */
  public Future<JsonObject> nextAsync(String type) {
    Future<JsonObject> frame;
    synchronized (lock) {
      int index = next++;
      if (index < frames.size()) {
        frame = Future.succeededFuture(frames.get(index));
      } else {
        Promise<JsonObject> promise = Promise.promise();
        waiting.put(index, promise);
        frame = promise.future();
      }
    }
    return frame.map(f -> {
      if (!type.equals(f.getString("type"))) {
        throw new AssertionError("expected a '" + type + "' frame, got " + f);
      }
      return f;
    });
  }

  /** Sends {@code text} and takes the next frame, which must be of type {@code reply}: one exchange, as a future. */
  public Future<JsonObject> request(String text, String reply) {
    Future<JsonObject> answer = nextAsync(reply);
    return ws.writeTextMessage(text).compose(v -> answer);
  }

  /**
   * Hands {@code listener} every frame received so far (on the calling thread), then each one as it arrives (on the
   * event loop), in order and each once. Taking frames with {@link #next} is not affected.
   */
  public Probe onFrame(Handler<JsonObject> listener) {
    synchronized (lock) {
      frames.forEach(listener::handle);
      listeners.add(listener);
    }
    return this;
  }

  /** Waits for the next frame that matches, skipping others. */
  public JsonObject nextMatching(Predicate<JsonObject> match) {
    while (true) {
      JsonObject frame = next();
      if (match.test(frame)) {
        return frame;
      }
    }
  }

  /** All frames of this type received so far. */
  public List<JsonObject> all(String type) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject frame : frames) {
      if (type.equals(frame.getString("type"))) {
        out.add(frame);
      }
    }
    return out;
  }

  public List<String> rawFrames() {
    return raw;
  }

  /** No frame beyond those taken has arrived. */
  public boolean nothingNew() {
    return frames.size() == next;
  }

  public short awaitClose() {
    Awaitility.await().atMost(WAIT).until(() -> closeCode != null);
    return closeCode;
  }

  public Short closeCode() {
    return closeCode;
  }

  public String closeReason() {
    return closeReason;
  }

  /** {@link System#nanoTime()} when the connection closed; 0 while open. */
  public long closedAtNanos() {
    return closedAtNanos;
  }

  @Override
  public void close() {
    try {
      ws.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // already closed
    }
    client.close();
  }

  private int take() {
    synchronized (lock) {
      return next++;
    }
  }

  private void received(JsonObject frame) {
    Promise<JsonObject> promise;
    synchronized (lock) {
      frames.add(frame);
      promise = waiting.remove(frames.size() - 1);
      listeners.forEach(l -> l.handle(frame));
    }
    if (promise != null) {
      promise.complete(frame);
    }
  }

  public static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("operation failed", e);
    }
  }
}
