package dev.switchboard.broker.sse;

import dev.switchboard.broker.http.HttpReplies;
import dev.switchboard.broker.routing.HistoryFeed;
import dev.switchboard.broker.routing.Hub;
import dev.switchboard.broker.session.SessionChannel;
import dev.switchboard.broker.routing.Subscriber;
import dev.switchboard.broker.wire.ServerFrames;
import dev.switchboard.protocol.CloseCode;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One server-sent-events response ({@code GET /sse}), a {@link Subscriber} of its {@link Hub} like a WebSocket
 * {@link Session}: it subscribes to its topics through the same hub calls, history topics included, and writes every
 * delivery as an event whose data is the WebSocket {@code message} object. On history topics each event's
 * {@code id:} is the stream's {@link SseCursor}, so a reconnecting EventSource resumes where it was. Every write
 * goes through {@link #write}, bounded by the response's write queue (past it the stream ends as a slow consumer);
 * every way it ends goes through {@link #close} or {@link #disconnect} (the node decides) or the response's close
 * handler (the peer or the network decides), and all end in {@link #release}. Only ever touched on its hub's event
 * loop.
 */
public final class SseStream implements Subscriber {
  private static final Logger LOG = Logger.getLogger(SseStream.class.getName());
  static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";
  /** How long the last event may take to reach a client that does not read before the connection is dropped. */
  public static final long CLOSING_TIMEOUT_MS = SessionChannel.CLOSING_TIMEOUT_SECONDS * 1000L;

  final String id;
  private final Hub hub;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  /** The topics as asked for, in order. */
  private final List<String> topics;
  /** The topics the stream holds: those asked for, less those the server API dropped ({@link #drop}). */
  private final Set<String> held;
  /** Where the client asks to resume from; null for a fresh stream. */
  private final SseCursor resume;
  /** The offset last given per history topic of this stream: the {@code id:} of its events. */
  private final SseCursor cursor;
  /** When the caller's token expires (epoch ms; Long.MAX_VALUE: never): the stream ends then. */
  private final long expiresAtMs;
  /** The token's user, whose connection slot on this node the stream holds until released; null: anonymous. */
  private final String user;
  private long nextKeepAliveAt;
  private boolean closed;
  private boolean released;

  /**
   * Starts a server-sent-events stream for {@code request}, whose topics and cursor have been checked; {@code user}:
   * the token's user, whose connection slot on this node the stream holds (null: anonymous).
   */
  public static void open(Hub hub, HttpServerRequest request, SseRequest asked, long expiresAtMs, String user) {
    SseStream stream = new SseStream(hub, request, asked, Hub.newSessionId(), expiresAtMs, user);
    hub.added(stream);
    hub.stats.sseStreamOpened();
    stream.start(Hub.now());
  }

  SseStream(Hub hub, HttpServerRequest request, SseRequest asked, String id, long expiresAtMs, String user) {
    this.hub = hub;
    this.user = user;
    this.expiresAtMs = expiresAtMs;
    this.request = request;
    this.response = request.response();
    this.topics = asked.topics();
    this.held = new LinkedHashSet<>(topics);
    this.resume = asked.resume();
    this.cursor = new SseCursor(hub.epoch());
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String user() {
    return user;
  }

  /** Starts the response, then subscribes; {@code subscribed} events follow once every topic is registered. */
  void start(long now) {
    HttpReplies.cors(response).setStatusCode(200).setChunked(true)
        .putHeader("content-type", CONTENT_TYPE)
        // Every event must reach the client as it is written: no caching, no buffering by proxies (nginx).
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
    // Sets the connection's high water mark: past it the write queue is full, see write(Buffer).
    response.setWriteQueueMaxSize(hub.options.maxPendingBytes());
    response.closeHandler(v -> hub.later(this::release));
    response.exceptionHandler(this::onException);
    nextKeepAliveAt = now + hub.options.heartbeatIntervalMs();
    write(SseEvents.comment("switchboard node " + hub.nodeId + " stream " + id));
    List<Future<Opening>> openings = new ArrayList<>(topics.size());
    for (String topic : topics) {
      Future<Void> ready = hub.subscribe(this, topic, null, false);
      hub.stats.subscriptions(1);
      openings.add(hub.isHistory(topic) ? ready.compose(v -> join(topic)) : ready.map(v -> new Opening(null)));
    }
    Future.all(openings).onComplete(ar -> {
      if (closed) {
        return;
      }
      if (ar.failed()) {
        LOG.log(Level.WARNING, "stream " + id + ": the cluster did not accept a subscription", ar.cause());
        close(CloseCode.INTERNAL_ERROR);
        return;
      }
      opened(openings);
    });
  }

  /** How one topic's subscription started: its history join (null for a plain topic or a pattern). */
  private record Opening(HistoryFeed.Joined joined) {
  }

  private Future<Opening> join(String topic) {
    Long since = resume == null ? null : resume.offset(topic);
    return hub.join(this, topic, since == null ? null : resume.epoch(), since == null ? -1 : since, false)
        .map(Opening::new);
  }

  /**
   * Every topic is registered: notes where each history topic starts, then writes the {@code subscribed} events
   * (with a {@code gap} after each topic the cursor named but that could not be recovered), then starts the feeds.
   */
  private void opened(List<Future<Opening>> openings) {
    for (int i = 0; i < topics.size(); i++) {
      HistoryFeed.Joined joined = openings.get(i).result().joined();
      if (joined != null && held.contains(topics.get(i))) {
        long since = Boolean.TRUE.equals(joined.recovered()) ? resume.offset(topics.get(i)) : joined.position();
        cursor.put(topics.get(i), since);
      }
    }
    String position = cursor.isEmpty() ? null : cursor.format();
    for (int i = 0; i < topics.size(); i++) {
      String topic = topics.get(i);
      if (!held.contains(topic)) {
        continue;
      }
      HistoryFeed.Joined joined = openings.get(i).result().joined();
      boolean asked = resume != null && resume.offset(topic) != null;
      if (joined != null) {
        write(SseEvents.event("subscribed", position,
            ServerFrames.subscribed(null, topic, hub.epoch(), joined.position(), joined.recovered())));
      } else {
        write(SseEvents.event("subscribed", null,
            asked ? ServerFrames.notRecovered(null, topic) : ServerFrames.subscribed(null, topic)));
      }
      if (asked && (joined == null || !joined.recovered())) {
        write(SseEvents.event("gap", position,
            SseEvents.gap(topic, hub.epoch(), joined == null ? null : joined.position())));
      }
    }
    for (String topic : held) {
      if (hub.isHistory(topic)) {
        hub.startFeed(this, topic);
      }
    }
  }

  @Override
  public boolean send(ByteBuf frame) {
    return !closed && write(SseEvents.message(frame, null));
  }

  @Override
  public boolean send(ByteBuf frame, String topic, long offset) {
    if (closed || cursor.offset(topic) == null) {
      return send(frame);
    }
    cursor.put(topic, offset);
    return write(SseEvents.message(frame, cursor.format()));
  }

  @Override
  public boolean writable() {
    return !closed && !response.writeQueueFull();
  }

  /** Runs {@code action} once the write queue has drained; never once the stream is closed (it is released then). */
  @Override
  public void whenWritable(Runnable action) {
    if (closed || response.closed()) {
      return;
    }
    response.drainHandler(v -> {
      response.drainHandler(null);
      action.run();
    });
  }

  /**
   * Writes a keep-alive comment every heartbeat interval; ends the stream with {@code token_expired} once its token
   * has expired (a one-way stream cannot be sent a fresh one: the client opens a new stream with one).
   */
  @Override
  public void heartbeat(long now) {
    if (!closed && System.currentTimeMillis() >= expiresAtMs) {
      close(CloseCode.TOKEN_EXPIRED);
      return;
    }
    if (!closed && now >= nextKeepAliveAt) {
      nextKeepAliveAt = now + hub.options.heartbeatIntervalMs();
      write(SseEvents.comment("keep-alive"));
    }
  }

  /**
   * The node ends the stream: a {@code close} event naming the code, behind what is already queued, then the end of
   * the response and of its connection ({@link HttpReplies#release}: EventSource reconnects, and not on a connection
   * to this node); a client that does not take it within {@link #CLOSING_TIMEOUT_MS} is dropped. Subscriptions go
   * at once.
   */
  @Override
  public void close(CloseCode code) {
    if (!closed) {
      hub.closedBy(code);
      end(code.code(), code.reason());
    }
  }

  /** The server API ends the stream: like {@link #close}, with its code and the reason {@code disconnected}. */
  @Override
  public boolean disconnect(int code) {
    return end(code, CloseCode.DISCONNECTED.reason());
  }

  /** Ends the stream with a {@code close} event of {@code code}; false when it was already closed. */
  private boolean end(int code, String reason) {
    if (closed) {
      return false;
    }
    closed = true;
    LOG.log(Level.FINE, () -> "stream " + id + " closed: " + code + " " + reason);
    if (!response.closed() && !response.ended()) {
      response.write(SseEvents.event("close", null, SseEvents.close(code, reason)));
      response.end().onComplete(ar -> HttpReplies.release(request));
      hub.timer(CLOSING_TIMEOUT_MS, () -> HttpReplies.release(request));
    }
    hub.later(this::release);
    return true;
  }

  /**
   * The server API drops one of the stream's topics: an {@code unsubscribed} event tells the client. (EventSource
   * asks for the URL's topics again when it reconnects: the stream's client must not, or the topic comes back.)
   */
  @Override
  public boolean drop(String topic) {
    if (closed || !held.remove(topic)) {
      return false;
    }
    hub.unsubscribe(this, topic);
    hub.stats.subscriptions(-1);
    write(SseEvents.event("unsubscribed", null, ServerFrames.unsubscribedByServer(topic)));
    return true;
  }

  /** Writes one event or comment, or ends the stream as a slow consumer when its write queue is full. */
  private boolean write(Buffer event) {
    if (closed || response.closed()) {
      return false;
    }
    if (response.writeQueueFull()) {
      close(CloseCode.SLOW_CONSUMER);
      return false;
    }
    response.write(event);
    return true;
  }

  private void onException(Throwable failure) {
    if (failure instanceof IOException) {
      LOG.log(Level.FINE, () -> "stream " + id + ": " + failure);
    } else {
      LOG.log(Level.WARNING, "stream " + id + " failed", failure);
    }
  }

  /** The one place a stream's state is dropped. Runs once, on the hub's event loop, outside any delivery loop. */
  private void release() {
    if (released) {
      return;
    }
    released = true;
    closed = true;
    for (String topic : held) {
      hub.unsubscribe(this, topic);
    }
    hub.stats.subscriptions(-held.size());
    if (user != null) {
      hub.security.users.close(user);
    }
    if (hub.removed(this)) {
      hub.stats.sseStreamClosed();
    }
  }
}
