package dev.switchboard.broker.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;

/**
 * The writes of one {@link Session}: whole WebSocket frames, shared with other connections, written to its channel
 * and flushed once per event-loop turn (so a burst leaves in one system call), or at once past
 * {@link #FLUSH_AFTER_BYTES}. Admission (open, under the pending-bytes bound) is the session's. Event loop only.
 */
final class SessionWrites {
  /** Bytes written after which a connection is flushed even within one event-loop turn. */
  static final int FLUSH_AFTER_BYTES = 64 * 1024;

  private final ChannelHandlerContext ctx;
  /** Asks the hub to call {@link #flush} at the end of this turn. */
  private final Runnable flushLater;
  private int unflushedBytes;
  private boolean flushQueued;

  SessionWrites(ChannelHandlerContext ctx, Runnable flushLater) {
    this.ctx = ctx;
    this.flushLater = flushLater;
  }

  ByteBufAllocator alloc() {
    return ctx.alloc();
  }

  /** Whether the bytes waiting to be written are under the channel's bound. */
  boolean writable() {
    return ctx.channel().isWritable();
  }

  /** Writes {@code frame} (not consumed); flushed at the end of the turn. */
  void write(ByteBuf frame) {
    int size = frame.readableBytes();
    ctx.write(frame.retainedDuplicate(), ctx.voidPromise());
    unflushedBytes += size;
    if (unflushedBytes >= FLUSH_AFTER_BYTES) {
      flush();
    } else if (!flushQueued) {
      flushQueued = true;
      flushLater.run();
    }
  }

  /** Writes and flushes {@code frame} in one go, unless other frames wait for this turn's flush: then with them. */
  void writeNow(ByteBuf frame) {
    if (flushQueued || unflushedBytes > 0) {
      write(frame);
    } else {
      ctx.writeAndFlush(frame.retainedDuplicate(), ctx.voidPromise());
    }
  }

  /** Hands what was written to the socket. */
  void flush() {
    flushQueued = false;
    if (unflushedBytes > 0) {
      unflushedBytes = 0;
      ctx.flush();
    }
  }
}
