package dev.switchboard.broker.session;

import dev.switchboard.broker.auth.Admission;
import dev.switchboard.broker.auth.Security;
import dev.switchboard.broker.auth.TokenVerifier;
import dev.switchboard.broker.routing.HistoryFeed;
import dev.switchboard.broker.routing.Hub;
import dev.switchboard.broker.routing.Subscriber;
import dev.switchboard.broker.wire.ClientFrame;
import dev.switchboard.broker.wire.ServerFrames;
import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Topics;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection, owned by one {@link Hub} and only ever touched on its event loop; its WebSocket framing is
 * its {@link SessionChannel}'s. Every frame it sends goes through {@link #send}, which enforces the pending-bytes
 * bound; every way it ends goes through {@link #close} or {@link #disconnect} (the node decides), {@link #failed} (the
 * peer broke the WebSocket protocol, or the channel failed) or {@link #ended} (the channel closed); all end in
 * {@link #release}.
 */
public final class Session implements Subscriber, SessionAuth.Owner, SessionChannel.Listener {
  private static final Logger LOG = Logger.getLogger(Session.class.getName());

  final String id;
  private final Hub hub;
  private SessionChannel socket;
  /** Whole frames to the channel, from the session's handler in the pipeline. */
  private SessionWrites writes;
  /** Topic or pattern → the registration it waits on (completed once active on this node). */
  private final Map<String, Future<Void>> subscriptions = new HashMap<>();
  /** Replies in the order of the requests, some waiting on the cluster. */
  private Replies replies;
  private long pingSentAt = -1;
  private long nextPingAt;
  private boolean closed;
  private boolean released;
  /** Authentication, grants and rates: the session is welcomed once it lets it in. */
  private final SessionAuth auth;

  /**
   * A WebSocket the handshake let in starts a session on its channel, in the task that accepted it; {@code identity}:
   * what a token at the handshake proved (null: none). Past the pending-bytes bound the channel is not writable, see
   * send(ByteBuf).
   */
  public static void accept(Hub hub, ServerWebSocket ws, TokenVerifier.Identity identity) {
    Session session = new Session(hub, Hub.newSessionId(), hub.security);
    hub.added(session);
    hub.stats.connectionOpened();
    session.socket = SessionChannel.attach(ws, session, hub.options.maxFrameBytes(), hub.options.maxPendingBytes(),
        SessionChannel.CLOSING_TIMEOUT_SECONDS * 1000L);
    session.writes = new SessionWrites(session.socket.context(), () -> hub.flushLater(session));
    session.replies = new Replies(session.socket, session::send);
    session.nextPingAt = Hub.now() + hub.options.heartbeatIntervalMs();
    session.auth.start(identity);
  }

  private Session(Hub hub, String id, Security security) {
    this.hub = hub;
    this.id = id;
    this.auth = new SessionAuth(security, this, Vertx.currentContext().owner());
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String user() {
    return auth.access.user();
  }

  @Override
  public void welcome() {
    send(ServerFrames.welcome(hub.nodeId, id, hub.options.heartbeatIntervalMs(), hub.options.heartbeatTimeoutMs(),
        hub.options.maxFrameBytes(), hub.options.maxSubscriptions()));
  }

  @Override
  public void answer(byte[] frame) {
    replies.reply(() -> frame);
  }

  @Override
  public Set<String> subscriptions() {
    return subscriptions.keySet();
  }

  @Override
  public void holdReadingUntil(Future<?> done) {
    socket.pause();
    done.onComplete(ar -> {
      if (!replies.readingPaused()) {
        socket.resume();
      }
    });
  }

  /** Writes one frame the node encodes for this connection alone (welcome, replies, pings). */
  @Override
  public boolean send(byte[] json) {
    ByteBuf frame = ServerFrames.wire(writes.alloc(), json);
    try {
      return send(frame);
    } finally {
      frame.release();
    }
  }

  /**
   * Writes one whole WebSocket frame ({@link ServerFrames#wire}), shared with other connections and not consumed here,
   * unless the connection is closed; closes it as a slow consumer instead when the bytes waiting to be written have
   * reached the bound. Returns whether the frame was written; {@link SessionWrites} flushes it.
   */
  @Override
  public boolean send(ByteBuf frame) {
    if (!admits()) {
      return false;
    }
    writes.write(frame);
    return true;
  }

  @Override
  public boolean sendAll(ByteBuf batch, List<ByteBuf> frames) {
    return send(batch);
  }

  @Override
  public boolean sendAllAndFlush(ByteBuf batch, List<ByteBuf> frames, String historyTopic, long firstOffset) {
    if (!admits()) {
      return false;
    }
    writes.writeNow(batch);
    return true;
  }

  /** Whether a frame may be written now: the connection is open and under its bound (else it is closed as slow). */
  private boolean admits() {
    if (closed || !socket.open()) {
      return false;
    }
    if (!writes.writable()) {
      close(CloseCode.SLOW_CONSUMER);
      return false;
    }
    return true;
  }

  @Override
  public boolean sendAll(ByteBuf batch, List<ByteBuf> frames, String topic, long firstOffset) {
    return send(batch);
  }

  @Override
  public boolean writable() {
    return writes.writable();
  }

  @Override
  public void whenWritable(Runnable action) {
    socket.whenWritable(action);
  }

  /** Hands what was written to the socket (the hub calls it once per turn for every connection written to). */
  @Override
  public void flush() {
    writes.flush();
  }

  /** Called by the hub's sweep: sends the next ping when due, or closes a client that did not answer the last. */
  @Override
  public void heartbeat(long now) {
    // While the node is not reading this client (its replies wait, e.g. on a stalled cluster write), its pongs may be
    // in what is unread: it is not judged on frames the node chose not to read, and the wait restarts when reading
    // does. Pings go on meanwhile, so the client sees a live server.
    boolean paused = socket.paused();
    if (pingSentAt >= 0) {
      if (paused) {
        pingSentAt = now;
      } else if (now - pingSentAt >= hub.options.heartbeatTimeoutMs()) {
        close(CloseCode.HEARTBEAT_TIMEOUT);
        return;
      }
    }
    if (now >= nextPingAt && (pingSentAt < 0 || paused)) {
      pingSentAt = now;
      nextPingAt = now + hub.options.heartbeatIntervalMs();
      send(ServerFrames.PING);
    }
  }

  /** The node ends the connection: the close frame goes out, subscriptions go at once (not after the handshake). */
  @Override
  public void close(CloseCode code) {
    if (!closed) {
      hub.closedBy(code);
      end(code.code(), code.reason());
    }
  }

  @Override
  public void failed(CloseCode code) {
    closed = true;
    hub.stats.error();
    hub.later(this::release);
  }

  @Override
  public void ended() {
    hub.later(this::release);
  }

  @Override
  public void binary() {
    refuse(null, ErrorCode.UNSUPPORTED_FRAME, "binary frames are not supported");
  }

  @Override
  public void text(String text) {
    if (closed) {
      return;
    }
    ClientFrame frame = ClientFrame.parse(text);
    if (frame.error != null) {
      refuse(frame.id, frame.error, frame.errorMessage);
      return;
    }
    if (frame.type == ClientFrame.Type.HELLO) {
      auth.hello(frame.id, frame.token);
      return;
    }
    if (frame.type != ClientFrame.Type.PONG && !auth.authenticated()) {
      auth.refuseUnauthenticated(frame.id, frame.type.name().toLowerCase(java.util.Locale.ROOT));
      return;
    }
    switch (frame.type) {
      case PONG -> pingSentAt = -1;
      case PUBLISH -> SessionPublish.publish(frame, hub, auth.access, replies, this);
      case SUBSCRIBE -> subscribe(frame);
      case UNSUBSCRIBE -> unsubscribe(frame);
      case PRESENCE, PRESENCE_STATS -> replies.reply(() -> PresenceReplies.answer(frame, auth.access, hub.presence));
      default -> throw new IllegalStateException("unhandled frame type " + frame.type);
    }
  }

  private void subscribe(ClientFrame frame) {
    String topic = frame.topic;
    Future<Void> ready = subscriptions.get(topic);
    boolean fresh = ready == null;
    Admission.Refused refused = Admission.subscribe(topic, fresh ? subscriptions.size() : subscriptions.size() - 1,
        hub.options.maxSubscriptions(), auth.access);
    if (refused != null) {
      refuse(frame.id, refused.code(), refused.message());
      return;
    }
    if (fresh) {
      ready = register(topic, frame);
    } else if (frame.presenceEvents) {
      // Subscribed again, asking for presence events from now on: answered once the cluster knows.
      ready = hub.subscribe(this, topic, null, true);
    }
    if (hub.isHistory(topic)) {
      subscribeHistory(frame, ready, fresh);
      return;
    }
    Future<Void> answered = ready;
    replies.replyWhen(answered, () -> !answered.succeeded() ? refusedRegistration(frame.id)
        : frame.sinceEpoch != null ? ServerFrames.notRecovered(frame.id, topic) : ServerFrames.subscribed(frame.id, topic), null);
  }

  /** A history topic: where the subscription starts is decided once registered; it is fed once answered. */
  private void subscribeHistory(ClientFrame frame, Future<Void> ready, boolean fresh) {
    String topic = frame.topic;
    Future<HistoryFeed.Joined> joined = !fresh
        ? ready.map(v -> new HistoryFeed.Joined(hub.position(topic), frame.sinceEpoch == null ? null : false))
        : ready.compose(v -> hub.join(this, topic, frame.sinceEpoch, frame.sinceOffset, frame.latest));
    replies.replyWhen(joined, () -> joined.succeeded() ? ServerFrames.subscribed(frame.id, topic, hub.epoch(),
            joined.result().position(), joined.result().recovered()) : refusedRegistration(frame.id),
        () -> {
          if (fresh && joined.succeeded()) {
            hub.startFeed(this, topic);
          }
        });
  }

  private static byte[] refusedRegistration(String id) {
    return ServerFrames.error(id, ErrorCode.INTERNAL_ERROR, "the cluster did not accept the subscription");
  }

  /** Joins {@code topic}'s registration on this event loop; if it fails, this subscription (and no later one) goes. */
  private Future<Void> register(String topic, ClientFrame frame) {
    Future<Void> ready = hub.subscribe(this, topic, frame.info, frame.presenceEvents);
    subscriptions.put(topic, ready);
    hub.stats.subscriptions(1);
    ready.onFailure(e -> {
      if (subscriptions.get(topic) != ready) {
        return;
      }
      if (!closed) {
        LOG.log(Level.WARNING, "session " + id + ": could not register " + topic + " in the cluster", e);
      }
      leave(topic);
    });
    return ready;
  }

  private void unsubscribe(ClientFrame frame) {
    String topic = frame.topic;
    String problem = Topics.checkPattern(topic);
    if (problem != null) {
      refuse(frame.id, ErrorCode.INVALID_TOPIC, problem);
      return;
    }
    Admission.Refused limited = auth.access.unsubscribe();
    if (limited != null) {
      refuse(frame.id, limited.code(), limited.message());
      return;
    }
    leave(topic);
    replies.reply(() -> ServerFrames.unsubscribed(frame.id, topic));
  }

  /** Ends the subscription to {@code topic} if the session holds it (the client's unsubscribe, or the server's). */
  private boolean leave(String topic) {
    if (subscriptions.remove(topic) == null) {
      return false;
    }
    hub.stats.subscriptions(-1);
    hub.unsubscribe(this, topic);
    return true;
  }

  /** The server API ends the connection: like {@link #close}, with its code and the reason {@code disconnected}. */
  @Override
  public boolean disconnect(int code) {
    return end(code, CloseCode.DISCONNECTED.reason());
  }

  /** The one way the node ends a session: its close frame, then its subscriptions go; false when already closed. */
  private boolean end(int code, String reason) {
    if (closed) {
      return false;
    }
    closed = true;
    LOG.log(Level.FINE, () -> "session " + id + " closed: " + code + " " + reason);
    socket.close(code, reason);
    hub.later(this::release);
    return true;
  }

  /** The server API drops a subscription: the client is told, after the answers it is waiting for. */
  @Override
  public boolean drop(String topic) {
    if (closed || !leave(topic)) {
      return false;
    }
    replies.reply(() -> ServerFrames.unsubscribedByServer(topic));
    return true;
  }

  @Override
  public void refuse(String requestId, ErrorCode code, String message) {
    hub.stats.error();
    LOG.log(Level.FINE, () -> "session " + id + " refused a frame: " + code.wire() + " " + message);
    replies.reply(() -> ServerFrames.error(requestId, code, message));
  }

  /** The one place a session's state is dropped. Runs once, on the hub's event loop, outside any delivery loop. */
  private void release() {
    if (released) {
      return;
    }
    released = true;
    closed = true;
    auth.release();
    for (String topic : subscriptions.keySet()) {
      hub.unsubscribe(this, topic);
    }
    hub.stats.subscriptions(-subscriptions.size());
    subscriptions.clear();
    if (hub.removed(this)) {
      hub.stats.connectionClosed();
    }
  }
}
