package dev.switchboard.broker.testing;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxTestContext;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;

/**
 * A raw server-sent-events client over a real HTTP connection ({@code GET /sse…} on 127.0.0.1), parsing the
 * {@code text/event-stream} as EventSource does: events (name, id, data lines joined with {@code \n}) and comments,
 * kept in order. A response that is not 200 keeps its status and body instead. One HTTP client per probe, so that
 * streams never wait for each other in a connection pool. Waits come blocking ({@link #next}) or, for tests with a
 * {@code VertxTestContext}, as Vert.x futures and listeners ({@link #openAsync}, {@link #nextAsync},
 * {@link #errorBodyAsync}, {@link #endAsync}, {@link #onEvent}, {@link #onMessages}).
 */
public final class SseProbe implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** One event: {@code name} "message" when the stream gave none; {@code id} null when it gave none. */
  public record Event(String name, String id, String data) {
    public JsonObject json() {
      return new JsonObject(data);
    }
  }

  private final HttpClient client; // referenced, or Vert.x may close it
  public final HttpClientResponse response;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<String> comments = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final List<String> dataLines = new ArrayList<>();
  private String name;
  private String id;
  private volatile String body;
  private final Future<String> bodyFuture;
  private volatile boolean ended;
  private final Promise<Void> end = Promise.promise();
  private int next;
  /** Guards {@link #next}, {@link #waiting}, the listeners and the adding of events and comments. */
  private final Object lock = new Object();
  private final Map<Integer, Promise<Event>> waiting = new HashMap<>();
  private final List<Handler<Event>> eventListeners = new ArrayList<>();
  private final List<Handler<String>> commentListeners = new ArrayList<>();

  private SseProbe(HttpClient client, HttpClientResponse response) {
    this.client = client;
    this.response = response;
    if (response.statusCode() != 200) {
      bodyFuture = response.body().map(b -> b.toString(StandardCharsets.UTF_8));
      bodyFuture.onSuccess(b -> body = b);
      return;
    }
    bodyFuture = Future.failedFuture("the stream was answered with 200");
    response.handler(this::onBytes);
    response.endHandler(v -> {
      ended = true;
      end.tryComplete();
    });
    response.exceptionHandler(e -> {
      ended = true;
      end.tryComplete();
    });
  }

  /** GETs {@code uri} (e.g. {@code /sse?topic=a}) on 127.0.0.1:{@code port} with {@code headers}. */
  public static SseProbe open(Vertx vertx, int port, String uri, Map<String, String> headers) {
    return Probe.await(openAsync(vertx, port, uri, headers));
  }

  public static SseProbe open(Vertx vertx, int port, String uri) {
    return open(vertx, port, uri, Map.of());
  }

  /** {@link #open}, as a future of the probe once the response's head has arrived. */
  public static Future<SseProbe> openAsync(Vertx vertx, int port, String uri, Map<String, String> headers) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setMaxInitialLineLength(16 * 1024));
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(uri);
    headers.forEach(request::putHeader);
    // Handlers are set in the completion callback, on the event loop, before any byte of the body is handed over.
    return client.request(request).compose(r -> r.send()).map(r -> new SseProbe(client, r));
  }

  public static Future<SseProbe> openAsync(Vertx vertx, int port, String uri) {
    return openAsync(vertx, port, uri, Map.of());
  }

  public int status() {
    return response.statusCode();
  }

  public String header(String name) {
    return response.getHeader(name);
  }

  /** The body of a response that is not 200, as JSON. */
  public JsonObject errorBody() {
    Awaitility.await().atMost(WAIT).until(() -> body != null);
    return new JsonObject(body);
  }

  /** The body of a response that is not 200, as JSON, as a future. */
  public Future<JsonObject> errorBodyAsync() {
    return bodyFuture.map(JsonObject::new);
  }

  /** Waits for the next event (after those already taken). */
  public Event next() {
    int index = take();
    if (events.size() <= index) {
      Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(WAIT)
          .until(() -> events.size() > index);
    }
    return events.get(index);
  }

  /** Waits for the next event and checks its name. */
  public Event next(String name) {
    Event event = next();
    if (!name.equals(event.name())) {
      throw new AssertionError("expected a '" + name + "' event, got " + event);
    }
    return event;
  }

  /**
   * The next event (after those already taken, by this or by {@link #next}), as a future completed on the event loop
   * when it arrives; it fails, as {@link #next(String)} throws, if it is not named {@code name}.
   */
  public Future<Event> nextAsync(String name) {
    Future<Event> event;
    synchronized (lock) {
      int index = next++;
      if (index < events.size()) {
        event = Future.succeededFuture(events.get(index));
      } else {
        Promise<Event> promise = Promise.promise();
        waiting.put(index, promise);
        event = promise.future();
      }
    }
    return event.map(e -> {
      if (!name.equals(e.name())) {
        throw new AssertionError("expected a '" + name + "' event, got " + e);
      }
      return e;
    });
  }

  /**
   * Hands {@code listener} every event received so far (on the calling thread), then each one as it arrives (on the
   * event loop), in order and each once. Taking events with {@link #next} is not affected.
   */
  public SseProbe onEvent(Handler<Event> listener) {
    synchronized (lock) {
      events.forEach(listener::handle);
      eventListeners.add(listener);
    }
    return this;
  }

  /**
   * Flags {@code arrived} for each {@code message} event (those already received included); before it flags the
   * {@code count}th, {@code check} runs in {@code ctx.verify}.
   */
  public SseProbe onMessages(VertxTestContext ctx, int count, Checkpoint arrived,
                             VertxTestContext.ExecutionBlock check) {
    AtomicInteger seen = new AtomicInteger();
    return onEvent(e -> {
      if ("message".equals(e.name())) {
        if (seen.incrementAndGet() == count) {
          ctx.verify(check);
        }
        arrived.flag();
      }
    });
  }

  /** As {@link #onEvent}, for comments. */
  public SseProbe onComment(Handler<String> listener) {
    synchronized (lock) {
      comments.forEach(listener::handle);
      commentListeners.add(listener);
    }
    return this;
  }

  /** Every event received so far. */
  public List<Event> events() {
    return events;
  }

  /** The data of every {@code message} event received so far. */
  public List<JsonObject> messages() {
    List<JsonObject> out = new ArrayList<>();
    for (Event e : events) {
      if ("message".equals(e.name())) {
        out.add(e.json());
      }
    }
    return out;
  }

  public List<String> comments() {
    return comments;
  }

  /** The last id an event carried (EventSource's lastEventId), or null. */
  public String lastId() {
    String last = null;
    for (Event e : events) {
      if (e.id() != null) {
        last = e.id();
      }
    }
    return last;
  }

  /** Whether the response has ended (or failed). */
  public boolean ended() {
    return ended;
  }

  public void awaitEnd() {
    Awaitility.await().atMost(WAIT).until(() -> ended);
  }

  /** Completes when the response has ended (or failed), as {@link #awaitEnd} waits for. */
  public Future<Void> endAsync() {
    return end.future();
  }

  /** Stops reading the socket: TCP pushes back to the node. */
  public void pause() {
    response.pause();
  }

  public void resume() {
    response.resume();
  }

  @Override
  public void close() {
    client.close();
  }

  private int take() {
    synchronized (lock) {
      return next++;
    }
  }

  private void dispatch(Event event) {
    Promise<Event> promise;
    synchronized (lock) {
      events.add(event);
      promise = waiting.remove(events.size() - 1);
      eventListeners.forEach(l -> l.handle(event));
    }
    if (promise != null) {
      promise.complete(event);
    }
  }

  private void comment(String text) {
    synchronized (lock) {
      comments.add(text);
      commentListeners.forEach(l -> l.handle(text));
    }
  }

  private void onBytes(Buffer chunk) {
    for (int i = 0; i < chunk.length(); i++) {
      byte b = chunk.getByte(i);
      if (b == '\n') {
        onLine(line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else {
        line.write(b);
      }
    }
  }

  /** The event-stream rules: a blank line dispatches, {@code :} starts a comment, else {@code field: value}. */
  private void onLine(String text) {
    if (text.isEmpty()) {
      if (!dataLines.isEmpty()) {
        dispatch(new Event(name == null ? "message" : name, id, String.join("\n", dataLines)));
      }
      dataLines.clear();
      name = null;
      id = null;
      return;
    }
    if (text.startsWith(":")) {
      comment(text.substring(1).trim());
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data" -> dataLines.add(value);
      case "event" -> name = value;
      case "id" -> id = value;
      default -> { }
    }
  }
}
