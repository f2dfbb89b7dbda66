package dev.switchboard.client.impl;

import dev.switchboard.protocol.CloseCode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket to one node, on the JDK's {@link java.net.http.WebSocket}. It reassembles text messages, decodes
 * frames on the I/O thread and hands every event to the {@link Loop}. It never stops reading: a close frame behind a
 * burst of messages is seen at once, whatever the handlers' pace (memory behind slow handlers is bounded where the
 * messages are routed, see {@link Subscriptions}). One instance per connection attempt; the owner tells a stale
 * instance from the current one by identity.
 */
final class WsConnection implements WebSocket.Listener {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.client");
  /** Code used when a connection ends without a close frame. */
  static final int ABNORMAL = 1006;
  /** The largest message accepted before {@code welcome} states the node's limit, or when it states none. */
  static final long DEFAULT_MAX_MESSAGE_CHARS = 16L * 1024 * 1024;
  /** Room for a {@code message} frame's envelope around its data: type, topic and pattern, with a wide margin. */
  static final long ENVELOPE_CHARS = 64 * 1024;

  /** Events, always called on the loop thread. */
  interface Handler {
    void opened(WsConnection connection);

    void frame(WsConnection connection, Frame frame);

    void lost(WsConnection connection, int code, String reason);

    /** The node answered the opening handshake with HTTP {@code status}, not 101. */
    void refused(WsConnection connection, int status, String reason);
  }

  final URI uri;
  private final Handler handler;
  private final Loop loop;
  private final StringBuilder partial = new StringBuilder();
  private volatile WebSocket ws;
  private volatile boolean aborted;
  private volatile long lastReceived = System.nanoTime();
  private volatile long maxMessageChars = DEFAULT_MAX_MESSAGE_CHARS;

  WsConnection(URI uri, Handler handler, Loop loop) {
    this.uri = uri;
    this.handler = handler;
    this.loop = loop;
  }

  /** Starts the opening handshake. */
  void open(HttpClient http, Duration connectTimeout) {
    http.newWebSocketBuilder().connectTimeout(connectTimeout).buildAsync(uri, this).whenComplete((w, err) -> {
      Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
      if (cause instanceof WebSocketHandshakeException refused) {
        int status = refused.getResponse().statusCode();
        loop.execute(() -> handler.refused(this, status, "the node answered the WebSocket handshake with HTTP "
            + status + " (" + uri + ")"));
      } else if (err != null) {
        loop.execute(() -> handler.lost(this, ABNORMAL, "connect failed: " + describe(err)));
      } else {
        adopt(w);
      }
    });
  }

  /**
   * The largest message to accept from a node whose {@code limits.max_frame_bytes} is {@code maxFrameBytes}, in
   * UTF-16 chars. The data of a {@code message} was written by a publisher within the max_frame_bytes of its own node;
   * twice the limit of this one leaves room for nodes of the cluster configured larger, plus the envelope. A UTF-8
   * byte is never less than one char, so a message within the cap counted in bytes is within it counted in chars.
   */
  static long messageCap(long maxFrameBytes) {
    if (maxFrameBytes <= 0) {
      return DEFAULT_MAX_MESSAGE_CHARS;
    }
    long max = Integer.MAX_VALUE - 8; // the largest StringBuilder
    return maxFrameBytes >= max / 2 ? max : Math.min(max, 2 * maxFrameBytes + ENVELOPE_CHARS);
  }

  /** Applies the node's {@code limits.max_frame_bytes} from {@code welcome} ({@code -1}: not stated). */
  void limitMessages(long maxFrameBytes) {
    maxMessageChars = messageCap(maxFrameBytes);
  }

  /** Whether the socket is open for sending. */
  boolean isOpen() {
    return ws != null && !aborted;
  }

  /** {@link System#nanoTime()} of the last frame of any kind received, or of the connection attempt. */
  long lastReceived() {
    return lastReceived;
  }

  /** Sends one whole text message; the caller never has two sends pending. */
  CompletableFuture<WebSocket> send(String text) {
    return ws.sendText(text, true);
  }

  /** Starts the closing handshake, and drops the TCP connection if the node has not finished it within {@code grace}. */
  void close(Duration grace) {
    WebSocket w = ws;
    if (w == null) {
      abort();
      return;
    }
    w.sendClose(CloseCode.NORMAL.code(), "").whenComplete((x, err) -> {
      if (err != null) {
        w.abort();
      }
    });
    abortLater(grace);
  }

  /** Drops the TCP connection after {@code delay} unless it is closed by then. */
  void abortLater(Duration delay) {
    CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(this::abort);
  }

  /** Drops the TCP connection at once. */
  void abort() {
    aborted = true;
    WebSocket w = ws;
    if (w != null) {
      w.abort();
    }
  }

  private void adopt(WebSocket w) {
    ws = w;
    if (aborted) {
      w.abort();
    }
  }

  @Override
  public void onOpen(WebSocket w) {
    adopt(w);
    lastReceived = System.nanoTime();
    loop.execute(() -> handler.opened(this));
    w.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
    lastReceived = System.nanoTime();
    if (aborted) {
      return null;
    }
    long size = (long) partial.length() + data.length();
    if (size > maxMessageChars) {
      tooLarge(size);
      return null;
    }
    if (!last) {
      partial.append(data);
    } else {
      String text;
      if (partial.length() == 0) {
        text = data.toString();
      } else {
        text = partial.append(data).toString();
        partial.setLength(0);
      }
      decode(text);
    }
    w.request(1);
    return null;
  }

  /** Drops the connection rather than buffer a message without bound; the owner reconnects. */
  private void tooLarge(long size) {
    partial.setLength(0);
    partial.trimToSize();
    String why = "message from the node larger than " + maxMessageChars + " chars (at least " + size + ")";
    LOG.log(System.Logger.Level.WARNING, "dropping the connection to {0}: {1}", uri, why);
    abort();
    loop.execute(() -> handler.lost(this, ABNORMAL, why));
  }

  private void decode(String text) {
    Frame frame;
    try {
      frame = Frames.parse(text);
    } catch (Exception e) {
      LOG.log(System.Logger.Level.DEBUG, "ignoring an undecodable frame from {0}: {1}", uri, e.getMessage());
      return;
    }
    LOG.log(System.Logger.Level.TRACE, () -> "received from " + uri + ": " + text);
    loop.execute(() -> handler.frame(this, frame));
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
    lastReceived = System.nanoTime();
    LOG.log(System.Logger.Level.DEBUG, "ignoring a binary frame from {0}", uri);
    w.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPing(WebSocket w, ByteBuffer message) {
    lastReceived = System.nanoTime(); // the JDK answers with a pong by itself
    w.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPong(WebSocket w, ByteBuffer message) {
    lastReceived = System.nanoTime();
    w.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
    loop.execute(() -> handler.lost(this, code, reason));
    return null;
  }

  @Override
  public void onError(WebSocket w, Throwable error) {
    loop.execute(() -> handler.lost(this, ABNORMAL, describe(error)));
  }

  static String describe(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
