package dev.switchboard.client.impl;

import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.ConnectionEvent;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.protocol.CloseCode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The connection state machine of one client: connect, welcome, resubscribe, write, detect a silent server, lose
 * the connection, back off and reconnect, close. Confined to the loop thread except the volatile fields read by
 * {@link SwitchboardClientImpl}.
 */
final class ConnectionManager implements WsConnection.Handler, Outbox {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.client");
  /** Used when {@code welcome} has no heartbeat settings: the protocol's defaults. */
  private static final long DEFAULT_HEARTBEAT_MS = 25_000 + 10_000;
  /** How long a closing handshake may take before the TCP connection is dropped. */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

  private final ClientOptions options;
  private final Loop loop;
  private final Dispatcher dispatcher;
  /** Held while the client lives (the JDK stops its selector thread once it is unreachable); null once closed. */
  private HttpClient http;
  private final Backoff backoff;
  private final Watchdog watchdog;
  final Publisher publisher;
  final Subscriptions subscriptions;
  final PresenceQueries presence;
  final Counters counters = new Counters();
  final ConnectionEvents events;
  /** Completes on the first welcome; fails when the client ends before one (a terminal refusal, or closed). */
  final ClientFuture<Void> connected;

  volatile ConnectionState state = ConnectionState.CONNECTING;
  volatile String nodeId;

  private WsConnection conn;
  private boolean ready;
  private boolean writing;
  private final ArrayDeque<String> control = new ArrayDeque<>();
  private long maxFrameBytes = Long.MAX_VALUE;
  private long nextId;
  private int attempt;
  private int nextServer;
  private boolean everConnected;
  private URI lastUri;
  private String lastNode;
  private ScheduledFuture<?> reconnectTimer;

  ConnectionManager(ClientOptions options, Loop loop, Dispatcher dispatcher, HttpClient http) {
    this.options = options;
    this.loop = loop;
    this.dispatcher = dispatcher;
    this.http = http;
    this.backoff = new Backoff(options.reconnectDelayMin(), options.reconnectDelayMax());
    this.watchdog = new Watchdog(loop, options.connectTimeout(), (c, why) -> {
      c.abort();
      lost(c, WsConnection.ABNORMAL, why);
    });
    long timeout = options.requestTimeout().toNanos();
    long offline = options.offlineTimeout().toNanos();
    this.connected = ClientFuture.of(dispatcher);
    this.events = new ConnectionEvents(dispatcher);
    this.publisher = new Publisher(options.publishBufferBytes(), timeout, offline, loop, dispatcher, counters);
    this.subscriptions = new Subscriptions(this, loop, dispatcher, timeout, offline, backoff,
        options.maxDispatchBacklog(), counters);
    this.presence = new PresenceQueries(this, loop, dispatcher, timeout, offline);
  }

  boolean closed() {
    return state == ConnectionState.CLOSED;
  }

  @Override
  public boolean ready() {
    return ready;
  }

  @Override
  public String nextId(char prefix) {
    return prefix + Long.toString(++nextId);
  }

  @Override
  public void send(String frame) {
    control.add(frame);
    pump();
  }

  /** Queues a publish (its bytes already reserved) and writes it when a connection is ready. */
  void publish(Publisher.Pending p) {
    if (closed()) {
      publisher.fail(p, SwitchboardException.CLOSED, "client is closed");
      return;
    }
    publisher.enqueue(p, ready);
    if (ready && p.bytes > maxFrameBytes) {
      publisher.fail(p, SwitchboardException.FRAME_TOO_LARGE, Publisher.tooLarge(p.bytes, maxFrameBytes));
      return;
    }
    pump();
  }

  void connect() {
    reconnectTimer = null;
    if (closed()) {
      return;
    }
    List<URI> servers = options.servers();
    URI uri = servers.get(nextServer++ % servers.size());
    nextServer %= servers.size();
    WsConnection c = new WsConnection(uri, this, loop);
    conn = c;
    lastUri = uri;
    watchdog.connecting(c);
    LOG.log(System.Logger.Level.DEBUG, "connecting to {0}", uri);
    if (options.tokenSupplier() == null) {
      // A hello without a token: an anonymous node answers authenticated, a node that requires a token refuses it
      // at once (4500), so a missing token is told apart from a node that does not answer.
      control.addFirst(Frames.hello(null));
      c.open(http, options.connectTimeout());
      return;
    }
    // A fresh token for every connection; the watchdog's connect timeout covers asking for it.
    withToken(c, true, token -> {
      control.addFirst(Frames.hello(token));
      c.open(http, options.connectTimeout());
    });
  }

  /**
   * Asks the token supplier; runs {@code then} on the loop if {@code c} is still the connection. When the supplier
   * fails, a connection attempt ({@code attempt}) is dropped and retried; a refresh is only logged (the node closes
   * the connection with 4004 at expiry, and the client reconnects with a token asked for again).
   */
  private void withToken(WsConnection c, boolean attempt, Consumer<String> then) {
    CompletionStage<String> stage;
    try {
      stage = options.tokenSupplier().get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete((token, err) -> loop.execute(() -> {
      if (c != conn) {
        return;
      }
      if (err != null || token == null || token.isEmpty()) {
        String why = "token supplier failed: " + (err == null ? "no token" : WsConnection.describe(err));
        if (attempt) {
          c.abort();
          lost(c, WsConnection.ABNORMAL, why);
        } else {
          LOG.log(System.Logger.Level.WARNING, "cannot refresh the token for {0}: {1}", c.uri, why);
        }
        return;
      }
      then.accept(token);
    }));
  }

  @Override
  public void opened(WsConnection c) {
    if (c != conn) {
      c.abort();
      return;
    }
    LOG.log(System.Logger.Level.DEBUG, "connected to {0}, waiting for welcome", c.uri);
    pump(); // the hello, when there is a token
  }

  @Override
  public void frame(WsConnection c, Frame f) {
    if (c != conn || f.type() == null) {
      return;
    }
    switch (f.type()) {
      case "welcome" -> welcome(c, f);
      case "ping" -> send(Frames.PONG);
      case "refresh" -> {
        if (options.tokenSupplier() != null) {
          withToken(c, false, token -> send(Frames.hello(token)));
        }
      }
      case "authenticated" -> LOG.log(System.Logger.Level.DEBUG, "authenticated at {0}", c.uri);
      case "message" -> subscriptions.route(f);
      case "ack" -> publisher.acked(f.id());
      case "subscribed" -> subscriptions.subscribed(f.id(), f.position(), f.recovered());
      case "unsubscribed" -> subscriptions.unsubscribed(f.id(), f.topic(), f.reason());
      case "presence", "presence_stats" -> presence.answered(f);
      case "join", "leave" -> subscriptions.presenceEvent(f);
      case "error" -> {
        if (!publisher.error(f.id(), f.code(), f.message()) && !subscriptions.error(f.id(), f.code(), f.message())
            && !presence.error(f.id(), f.code(), f.message())) {
          LOG.log(System.Logger.Level.DEBUG, "error from {0} for no pending request (id {1}): {2} {3}",
              c.uri, f.id(), f.code(), f.message());
        }
      }
      default -> LOG.log(System.Logger.Level.DEBUG, "ignoring a frame of unknown type {0}", f.type());
    }
  }

  private void welcome(WsConnection c, Frame f) {
    if (ready) {
      return;
    }
    ready = true;
    attempt = 0;
    if (everConnected) {
      counters.reconnected();
    }
    dispatcher.execute(() -> connected.complete(null));
    nodeId = f.node();
    lastNode = f.node();
    maxFrameBytes = f.maxFrameBytes() > 0 ? f.maxFrameBytes() : Long.MAX_VALUE;
    c.limitMessages(f.maxFrameBytes());
    long heartbeatMs = f.heartbeatIntervalMs() > 0 && f.heartbeatTimeoutMs() > 0
        ? f.heartbeatIntervalMs() + f.heartbeatTimeoutMs() : DEFAULT_HEARTBEAT_MS;
    watchdog.welcomed(c, TimeUnit.MILLISECONDS.toNanos(heartbeatMs) + options.heartbeatGrace().toNanos());
    LOG.log(System.Logger.Level.DEBUG, "welcome from node {0} at {1}, session {2}", f.node(), c.uri, f.session());
    subscriptions.resubscribe(this::announceConnected); // first, so they precede the queued publishes
    presence.connected();
    pump();
  }

  /** The connection is up and every subscription was settled (or the request timeout passed). */
  private void announceConnected() {
    state = ConnectionState.CONNECTED;
    LOG.log(System.Logger.Level.INFO, "{0} {1} (node {2})", everConnected ? "reconnected to" : "connected to",
        lastUri, nodeId);
    emit(everConnected ? ConnectionState.RECONNECTED : ConnectionState.CONNECTED, lastUri, nodeId, 0, null);
    everConnected = true;
  }

  /** Writes the next frame unless one is being written: control frames first, then publishes once welcomed. */
  private void pump() {
    WsConnection c = conn;
    if (c == null || writing || !c.isOpen()) {
      return;
    }
    String text = control.poll();
    Publisher.Pending p = null;
    if (text == null && ready) {
      p = publisher.next(maxFrameBytes);
      text = p == null ? null : p.text;
    }
    if (text == null) {
      return;
    }
    writing = true;
    Publisher.Pending publish = p;
    LOG.log(System.Logger.Level.TRACE, "sending {0}", text);
    c.send(text).whenComplete((ws, err) -> loop.execute(() -> written(c, publish, err)));
  }

  private void written(WsConnection c, Publisher.Pending p, Throwable err) {
    if (c != conn) {
      return; // that connection is gone; lost() already settled its publishes
    }
    writing = false;
    if (err != null) {
      // The JDK WebSocket cannot be trusted after a failed send: it encodes a text message in fragments of 16 KiB
      // and writes each as soon as it is encoded, so a failure after the first leaves the node in the middle of a
      // message, and any other failure is an I/O error on a broken socket. The exception does not tell which, so
      // the connection is dropped and rebuilt. Malformed text, the one failure caused by the frame itself, cannot
      // get here: JsonCodec refuses unpaired surrogates when the publish is encoded.
      c.abort();
      lost(c, WsConnection.ABNORMAL, "send failed: " + WsConnection.describe(err));
      return;
    }
    if (p != null) {
      publisher.written(p);
    }
    pump();
  }

  @Override
  public void lost(WsConnection c, int code, String reason) {
    if (c != conn) {
      return;
    }
    boolean wasConnected = state == ConnectionState.CONNECTED;
    boolean welcomed = ready;
    conn = null;
    ready = false;
    writing = false;
    nodeId = null;
    control.clear();
    watchdog.stop();
    if (code == WsConnection.ABNORMAL) {
      c.abort();
    } else {
      c.abortLater(CLOSE_GRACE); // the JDK answers the close frame; this only guards against a stuck socket
    }
    String why = code + (reason == null || reason.isEmpty() ? "" : " " + reason);
    publisher.connectionLost(why);
    subscriptions.connectionLost();
    presence.connectionLost();
    if (CloseCode.isTerminal(code)) {
      LOG.log(System.Logger.Level.ERROR, "{0} closed the connection with terminal code {1}; not reconnecting",
          c.uri, why);
      shutdown(code == CloseCode.UNAUTHORIZED.code() ? SwitchboardException.UNAUTHORIZED
              : SwitchboardException.TERMINAL_CLOSE, "server closed the connection with terminal code " + why,
          code, reason, null);
      return;
    }
    if (wasConnected) {
      state = ConnectionState.DISCONNECTED;
      LOG.log(System.Logger.Level.INFO, "lost the connection to {0} ({1}); reconnecting", c.uri, why);
      emit(ConnectionState.DISCONNECTED, c.uri, lastNode, code == WsConnection.ABNORMAL ? 0 : code, reason);
    } else {
      LOG.log(attempt == 0 || welcomed ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
          "could not connect to {0} ({1}); retrying", c.uri, why);
    }
    int max = options.maxReconnectAttempts();
    if (max >= 0 && attempt >= max) {
      shutdown(SwitchboardException.CLOSED, "gave up after " + attempt + " reconnect attempts; last: " + why,
          code == WsConnection.ABNORMAL ? 0 : code, reason, null);
      return;
    }
    reconnectTimer = loop.schedule(this::connect, backoff.delayNanos(attempt++));
  }

  /**
   * The node answered the handshake with {@code status}: a status that may pass (408, 429, 5xx: a node draining, full
   * or without its quorum) is retried like a lost connection; any other ends the client, as retrying would not
   * change it (401: {@code unauthorized}; 404 for a wrong path, 403, 400, 426: {@code handshake_refused}).
   */
  @Override
  public void refused(WsConnection c, int status, String reason) {
    if (c != conn) {
      return;
    }
    if (status >= 500 || status == 408 || status == 429) {
      lost(c, WsConnection.ABNORMAL, reason);
      return;
    }
    conn = null;
    watchdog.stop();
    LOG.log(System.Logger.Level.ERROR, "{0}; not reconnecting", reason);
    shutdown(status == 401 ? SwitchboardException.UNAUTHORIZED : SwitchboardException.HANDSHAKE_REFUSED, reason, 0,
        reason, null);
  }

  /**
   * Closes the client, once: fails every pending operation with {@code code}, emits {@code CLOSED}, then lets the
   * threads end. {@code closeGrace} non-null: the client asked, so a close frame is sent first.
   */
  void shutdown(String code, String message, int closeCode, String reason, Duration closeGrace) {
    if (closed()) {
      return;
    }
    state = ConnectionState.CLOSED;
    http = null;
    Loop.cancel(reconnectTimer);
    watchdog.stop();
    WsConnection c = conn;
    conn = null;
    ready = false;
    nodeId = null;
    if (c != null) {
      if (closeGrace != null) {
        c.close(closeGrace);
      } else {
        c.abort();
      }
    }
    publisher.failAll(code, message);
    subscriptions.failAll(code, message);
    presence.failAll(code, message);
    dispatcher.execute(() -> connected.completeExceptionally(new SwitchboardException(code, message)));
    emit(ConnectionState.CLOSED, lastUri, lastNode, closeCode, reason);
    loop.shutdown(); // tasks already queued still run; then the loop ends and stops the dispatcher
  }

  private void emit(ConnectionState type, URI uri, String node, int code, String reason) {
    events.emit(new ConnectionEvent(type, uri, node, code, reason));
  }
}
