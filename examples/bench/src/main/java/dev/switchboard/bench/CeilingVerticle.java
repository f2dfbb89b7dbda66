package dev.switchboard.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.http.WebSocketInternal;

import java.util.ArrayList;
import java.util.List;

/**
 * One event loop of the {@link CeilingServer}: its listeners, and the broadcast to them. A frame is written to each
 * channel as a Netty frame sharing one buffer, without a flush; the channels written in a turn are flushed once, by
 * a task queued on the event loop the first time one is written (it runs after the reads of the turn).
 */
final class CeilingVerticle extends VerticleBase {
  /** As the node's default max-pending-bytes: past it a listener is closed with 4001, as the node would. */
  static final int MAX_PENDING_BYTES = 1024 * 1024;
  private static final int MAX_FRAME_BYTES = 1024 * 1024;

  /** Most bytes of a turn's frames gathered before they are written out (as the node's per-turn batches). */
  static final int MAX_BATCH_BYTES = 64 * 1024;

  /** How a frame reaches each channel. */
  enum Write {
    /** A Netty {@link TextWebSocketFrame} per channel, whose header the encoder writes each time. */
    FRAMES,
    /** The whole WebSocket frame (header too) encoded once, its bytes written to every channel. */
    BYTES,
    /** As {@code BYTES}, and the frames of one event-loop turn gathered into one buffer, written once per channel. */
    BATCH;

    static Write of(String name) {
      return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
  }

  private final List<CeilingVerticle> group;
  private final String host;
  private final int port;
  private final Write write;
  private final boolean wholeFrames;
  /** BATCH: the frames of this turn not written yet, and their bytes. */
  private final List<ByteBuf> batch = new ArrayList<>();
  private int batchBytes;
  private final List<Listener> listeners = new ArrayList<>();
  private final List<Listener> touched = new ArrayList<>();
  private boolean flushQueued;
  private EventLoop eventLoop;
  private final Runnable flushTask = this::flushTouched;
  private HttpServer server;

  CeilingVerticle(List<CeilingVerticle> group, String host, int port, Write write) {
    this.group = group;
    this.host = host;
    this.port = port;
    this.write = write;
    this.wholeFrames = write != Write.FRAMES;
  }

  int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    eventLoop = ((ContextInternal) context).nettyEventLoop();
    server = vertx.createHttpServer(new HttpServerOptions()
            .setMaxWebSocketFrameSize(MAX_FRAME_BYTES).setMaxWebSocketMessageSize(MAX_FRAME_BYTES))
        .webSocketHandshakeHandler(h -> {
          if (CeilingServer.PATH.equals(h.path())) {
            h.accept();
          } else {
            h.reject(404);
          }
        })
        .webSocketHandler(this::accept)
        .requestHandler(request -> request.response().setStatusCode(404).end());
    return server.listen(port, host).onSuccess(s -> group.add(this));
  }

  @Override
  public Future<?> stop() {
    group.remove(this);
    return server.close();
  }

  private void accept(ServerWebSocket ws) {
    ChannelHandlerContext ctx = ((WebSocketInternal) ws).channelHandlerContext();
    ctx.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(MAX_PENDING_BYTES / 2, MAX_PENDING_BYTES));
    Listener listener = new Listener(ws, ctx);
    if (!CeilingServer.PUBLISHER_QUERY.equals(ws.query())) {
      add(listener);
    }
    ws.frameHandler(frame -> onFrame(listener, frame));
    ws.exceptionHandler(e -> { });
    ws.closeHandler(v -> remove(listener));
  }

  private void onFrame(Listener from, WebSocketFrame frame) {
    if (!frame.isText() || !frame.isFinal()) {
      return;
    }
    remove(from);
    ByteBuf data = ((BufferInternal) frame.binaryData()).getByteBuf();
    // Direct: a heap buffer would be copied into a direct one for every channel it is written to.
    ByteBuf payload = Unpooled.directBuffer(data.readableBytes() + 10);
    if (wholeFrames) {
      payload.writeBytes(header(data.readableBytes()));
    }
    payload.writeBytes(data, data.readerIndex(), data.readableBytes());
    for (CeilingVerticle target : group) {
      ByteBuf share = payload.retainedDuplicate();
      if (target == this) {
        broadcast(share);
      } else {
        target.context.runOnContext(v -> target.broadcast(share));
      }
    }
    payload.release();
  }

  /** Writes {@code payload} to every listener of this event loop (BATCH: at the end of the turn); releases it. */
  private void broadcast(ByteBuf payload) {
    if (write != Write.BATCH) {
      writeAll(payload);
      return;
    }
    batch.add(payload);
    batchBytes += payload.readableBytes();
    if (batchBytes >= MAX_BATCH_BYTES) {
      writeBatch();
    }
    queueFlush();
  }

  /** BATCH: the turn's frames as one buffer, written to every listener. */
  private void writeBatch() {
    if (batch.isEmpty()) {
      return;
    }
    ByteBuf all = Unpooled.directBuffer(batchBytes);
    for (ByteBuf frame : batch) {
      all.writeBytes(frame);
      frame.release();
    }
    batch.clear();
    batchBytes = 0;
    writeAll(all);
  }

  /** Writes {@code payload} to every listener of this event loop, to be flushed at the end of the turn; releases it. */
  private void writeAll(ByteBuf payload) {
    List<Listener> slow = null;
    for (int i = 0; i < listeners.size(); i++) {
      Listener l = listeners.get(i);
      if (!l.ctx.channel().isWritable()) {
        if (slow == null) {
          slow = new ArrayList<>();
        }
        slow.add(l);
        continue;
      }
      Object message = wholeFrames ? payload.retainedDuplicate() : new TextWebSocketFrame(payload.retainedDuplicate());
      l.ctx.write(message, l.ctx.voidPromise());
      if (!l.touched) {
        l.touched = true;
        touched.add(l);
      }
    }
    payload.release();
    if (!touched.isEmpty()) {
      queueFlush();
    }
    if (slow != null) {
      for (Listener l : slow) {
        remove(l);
        l.ws.close((short) 4001, "slow_consumer");
      }
    }
  }

  private void queueFlush() {
    if (!flushQueued) {
      flushQueued = true;
      // After the event-loop iteration's reads and tasks, as the broker does: one write per listener per iteration.
      if (eventLoop instanceof SingleThreadEventLoop loop) {
        loop.executeAfterEventLoopIteration(flushTask);
      } else {
        eventLoop.execute(flushTask);
      }
    }
  }

  /** The header of an unmasked final text frame carrying {@code length} bytes. */
  private static byte[] header(int length) {
    if (length < 126) {
      return new byte[] {(byte) 0x81, (byte) length};
    }
    if (length <= 0xFFFF) {
      return new byte[] {(byte) 0x81, 126, (byte) (length >>> 8), (byte) length};
    }
    byte[] h = new byte[10];
    h[0] = (byte) 0x81;
    h[1] = 127;
    for (int i = 0; i < 8; i++) {
      h[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
    }
    return h;
  }

  private void flushTouched() {
    flushQueued = false;
    writeBatch();
    for (int i = 0; i < touched.size(); i++) {
      Listener l = touched.get(i);
      l.touched = false;
      l.ctx.flush();
    }
    touched.clear();
  }

  private void add(Listener l) {
    l.index = listeners.size();
    listeners.add(l);
  }

  /** Constant time: the last listener takes the place of the one removed. */
  private void remove(Listener l) {
    if (l.index < 0) {
      return;
    }
    Listener last = listeners.remove(listeners.size() - 1);
    if (last != l) {
      listeners.set(l.index, last);
      last.index = l.index;
    }
    l.index = -1;
  }

  private static final class Listener {
    final ServerWebSocket ws;
    final ChannelHandlerContext ctx;
    int index = -1;
    boolean touched;

    Listener(ServerWebSocket ws, ChannelHandlerContext ctx) {
      this.ws = ws;
      this.ctx = ctx;
    }
  }
}
