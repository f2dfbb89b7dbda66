package dev.switchboard.broker.session;

import dev.switchboard.protocol.CloseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A session's WebSocket, run on its Netty channel. Vert.x does the handshake (path, origin and token checks, TLS,
 * the 101); then this handler takes Vert.x's place in the pipeline, so that an idle connection keeps only Netty's
 * channel, its frame codec and this handler. Vert.x's WebSocket and the HTTP connection it was upgraded from (with a
 * 1024-slot write queue each, ~8 KB a connection) become garbage. See docs/benchmarks.md, idle connections.
 *
 * <p>It is the framing layer and nothing more: it assembles text messages from fragments (bounded by the node's
 * message size), answers pings, holds messages while the session does not read, and runs the closing handshake of
 * RFC 6455 §7 for every close the node starts, its own ({@link #close}) or a frame it refuses (too big, not UTF-8,
 * not a valid frame): the close frame goes out, nothing more is written or passed on, and what the peer sends is read
 * and dropped until its close frame comes (then the TCP connection is closed), it closes the connection itself, or
 * the closing timeout passes. Closing TCP at once would leave the peer's unread bytes to be answered with a reset,
 * which can overtake the close frame: the peer would see 1006 instead of the code. What the messages mean is the
 * {@link Listener}'s. Everything runs on the channel's event loop.
 */
public final class SessionChannel extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = Logger.getLogger(SessionChannel.class.getName());
  static final String NAME = "switchboard-session";
  /** How long the node waits for the peer's close frame after its own, before it closes the TCP connection. */
  public static final int CLOSING_TIMEOUT_SECONDS = 5;

  /** What the channel tells its session. */
  interface Listener {
    /** A whole text message (valid UTF-8, at most the message size). */
    void text(String message);

    /** A whole binary message, which the protocol does not use. */
    void binary();

    /**
     * The peer broke the WebSocket protocol, or the channel failed: the close frame with {@code code} is sent at once
     * and the session is passed nothing more; {@link #ended} follows when the closing handshake is over.
     */
    void failed(CloseCode code);

    /** The channel is closed, by either side: the session's state goes. */
    void ended();
  }

  private final Listener listener;
  private final int maxMessageBytes;
  private final long closingTimeoutMs;
  private ChannelHandlerContext ctx;
  /** A fragmented text message being assembled; null when none is. */
  private CompositeByteBuf fragments;
  /** Bytes of the message being received, text or binary (binary bytes are counted, not kept). */
  private int messageBytes;
  private boolean paused;
  /** Messages read while paused (at most what one read of the socket held); null until needed. */
  private ArrayDeque<String> held;
  private boolean closeSent;
  private ScheduledFuture<?> closingTimeout;
  private Runnable whenWritable;

  private SessionChannel(Listener listener, int maxMessageBytes, long closingTimeoutMs) {
    this.listener = listener;
    this.maxMessageBytes = maxMessageBytes;
    this.closingTimeoutMs = closingTimeoutMs;
  }

  /**
   * Takes {@code ws}'s channel from Vert.x, in the same event-loop task as the upgrade (so no frame reaches Vert.x's
   * handler), with the channel not writable past {@code maxPendingBytes}.
   */
  static SessionChannel attach(ServerWebSocket ws, Listener listener, int maxMessageBytes, int maxPendingBytes,
                               long closingTimeoutMs) {
    return attach(((WebSocketInternal) ws).channelHandlerContext(), listener, maxMessageBytes, maxPendingBytes,
        closingTimeoutMs);
  }

  /** The same in place of any handler {@code vertx}, below which the pipeline decodes and encodes WebSocket frames. */
  static SessionChannel attach(ChannelHandlerContext vertx, Listener listener, int maxMessageBytes,
                               int maxPendingBytes, long closingTimeoutMs) {
    SessionChannel channel = new SessionChannel(listener, maxMessageBytes, closingTimeoutMs);
    vertx.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(maxPendingBytes / 2, maxPendingBytes));
    vertx.pipeline().replace(vertx.name(), NAME, channel);
    UpgradeGate.addIfUpgrading(channel.ctx.pipeline(), NAME);
    channel.ctx.channel().config().setAutoRead(true);
    return channel;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    // RFC 6455: a text frame that is not UTF-8 fails the connection (1007), also when split over fragments.
    ctx.pipeline().addBefore(NAME, "switchboard-utf8", new Utf8Check());
  }

  /** The context frames are written from: everything the session sends goes through the frame encoder below it. */
  ChannelHandlerContext context() {
    return ctx;
  }

  /** Whether frames may still be written: the channel is open and the node has not sent its close frame. */
  boolean open() {
    return !closeSent && ctx.channel().isActive();
  }

  /** Whether the session has paused reading: what the client sent since is held or unread. */
  boolean paused() {
    return paused;
  }

  /**
   * Stops passing messages to the session until {@link #resume}; what arrives meanwhile is held, then read no more.
   * Once the node's close frame is sent, reading goes on (the peer's close frame is awaited).
   */
  void pause() {
    if (closeSent) {
      return;
    }
    paused = true;
    ctx.channel().config().setAutoRead(false);
  }

  /** Passes the held messages on (unless the session pauses again), then reads the socket again. */
  void resume() {
    paused = false;
    while (!paused && held != null && !held.isEmpty() && !closeSent) {
      listener.text(held.poll());
    }
    if (!paused) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** Runs {@code action} once the channel is writable again, or closed. */
  void whenWritable(Runnable action) {
    whenWritable = action;
  }

  /**
   * The node ends the connection: the close frame goes out behind what is already pending, and the TCP connection
   * is closed when the peer answers it, or after the closing timeout if it does not (a slow consumer may never read
   * it).
   */
  void close(CloseCode code) {
    close(code.code(), code.reason());
  }

  /** {@link #close(CloseCode)} with a code and reason of the caller's (the server API's disconnect). */
  void close(int code, String reason) {
    if (!closeSent) {
      sendClose(code, reason);
    }
  }

  /**
   * Starts the closing handshake: the close frame, then nothing more is written or passed to the session; the socket
   * is read (the peer's close frame ends it) until the closing timeout.
   */
  private void sendClose(int code, String reason) {
    closeSent = true;
    held = null;
    paused = false;
    discardFragments();
    ctx.writeAndFlush(new CloseWebSocketFrame(code, reason));
    ctx.channel().config().setAutoRead(true);
    closingTimeout = ctx.executor().schedule(() -> {
      ctx.close();
    }, closingTimeoutMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    WebSocketFrame frame = (WebSocketFrame) msg;
    try {
      if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
        messageBytes = 0;
        if (frame instanceof TextWebSocketFrame && !frame.isFinalFragment()) {
          fragments = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
        }
        data(frame, frame instanceof TextWebSocketFrame);
      } else if (frame instanceof ContinuationWebSocketFrame) {
        data(frame, fragments != null);
      } else if (frame instanceof PingWebSocketFrame) {
        if (!closeSent) {
          ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        }
      } else if (frame instanceof CloseWebSocketFrame) {
        peerClosed((CloseWebSocketFrame) frame);
      }
      // A pong needs nothing: the protocol's heartbeat is its own ping and pong messages.
    } finally {
      frame.release();
    }
  }

  /** One data frame of a message; the codec has checked that fragments come in order. */
  private void data(WebSocketFrame frame, boolean text) {
    ByteBuf content = frame.content();
    messageBytes += content.readableBytes();
    if (closeSent) {
      discardFragments();
      return;
    }
    if (messageBytes > maxMessageBytes) {
      discardFragments();
      fail(CloseCode.MESSAGE_TOO_BIG);
      return;
    }
    if (fragments != null) {
      fragments.addComponent(true, content.retain());
    }
    if (!frame.isFinalFragment()) {
      return;
    }
    if (!text) {
      listener.binary();
    } else if (fragments == null) {
      deliver(content.toString(StandardCharsets.UTF_8));
    } else {
      String message = fragments.toString(StandardCharsets.UTF_8);
      discardFragments();
      deliver(message);
    }
  }

  private void deliver(String message) {
    if (!paused) {
      listener.text(message);
      return;
    }
    if (held == null) {
      held = new ArrayDeque<>();
    }
    held.add(message);
  }

  private void discardFragments() {
    if (fragments != null) {
      fragments.release();
      fragments = null;
    }
  }

  /** The peer's close frame: answered with the same code (as RFC 6455 asks) unless the node's close went first. */
  private void peerClosed(CloseWebSocketFrame frame) {
    if (closeSent) {
      ctx.close();
      return;
    }
    closeSent = true;
    int status = frame.statusCode();
    CloseWebSocketFrame answer = status < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(status, frame.reasonText());
    ctx.writeAndFlush(answer).addListener(f -> ctx.close());
  }

  /**
   * The node refuses what the peer sent: the session is told at once, and the closing handshake starts with
   * {@code code}. Once it has started (a second refusal while it runs), the handshake under way ends the connection.
   */
  private void fail(CloseCode code) {
    if (closeSent) {
      return;
    }
    listener.failed(code);
    sendClose(code.code(), code.reason());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable failure) {
    if (failure instanceof CorruptedWebSocketFrameException) {
      // The frame decoder refused a frame (too big, or not a valid WebSocket frame; the UTF-8 check reports its own
      // refusals, see Utf8Check). The decoder is then corrupt and skips all it reads a byte at a time: it is removed,
      // so that what the peer sends until it closes or the closing timeout passes is dropped as whole reads.
      ChannelHandlerContext decoder = ctx.pipeline().context(WebSocketFrameDecoder.class);
      if (decoder != null) {
        ctx.pipeline().remove(decoder.handler());
      }
      int status = ((CorruptedWebSocketFrameException) failure).closeStatus().code();
      fail(status == CloseCode.INVALID_PAYLOAD.code() ? CloseCode.INVALID_PAYLOAD
          : status == CloseCode.MESSAGE_TOO_BIG.code() ? CloseCode.MESSAGE_TOO_BIG : CloseCode.PROTOCOL_ERROR);
    } else if (failure instanceof IOException) {
      // The peer or the network ended the connection (a reset, a drop): channelInactive cleans up.
      LOG.log(Level.FINE, () -> "connection failed: " + failure);
      ctx.close();
    } else {
      LOG.log(Level.WARNING, "connection failed", failure);
      fail(CloseCode.INTERNAL_ERROR);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      runWhenWritable();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    // Vert.x's server shutdown event, among others: the hub closes its sessions itself when the node stops.
    ReferenceCountUtil.release(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (closingTimeout != null) {
      closingTimeout.cancel(false);
    }
    discardFragments();
    held = null;
    runWhenWritable();
    listener.ended();
  }

  /**
   * Netty's UTF-8 check of text messages, its refusal (1007) reported here rather than as an exception: the frame
   * decoder is intact then, and the peer's close frame can still be read.
   */
  private final class Utf8Check extends Utf8FrameValidator {
    Utf8Check() {
      super(false);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      try {
        super.channelRead(ctx, msg);
      } catch (CorruptedWebSocketFrameException e) {
        fail(CloseCode.INVALID_PAYLOAD);
      }
    }
  }

  private void runWhenWritable() {
    Runnable action = whenWritable;
    if (action != null) {
      whenWritable = null;
      action.run();
    }
  }
}
