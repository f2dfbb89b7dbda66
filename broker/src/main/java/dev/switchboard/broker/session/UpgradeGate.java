package dev.switchboard.broker.session;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * Holds a session's writes until the handshake's 101 response has been written. Netty's handshaker removes the HTTP
 * encoder only once that write completes; a WebSocket frame written before would reach the HTTP encoder, which refuses
 * it. On epoll and nio the write has completed by the time a session starts (so no gate is added); on io_uring
 * completions come later, from the ring.
 *
 * <p>The gate writes an empty buffer behind the 101 (which the HTTP encoder passes on) and, when that completes, passes
 * on what it held in order, then leaves the pipeline.
 */
final class UpgradeGate extends ChannelOutboundHandlerAdapter {
  static final String NAME = "switchboard-upgrade-gate";

  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private final ArrayDeque<ChannelPromise> promises = new ArrayDeque<>();
  private boolean flushHeld;
  private boolean open = true;

  /** Adds a gate in front of {@code handler} if the pipeline still has the HTTP encoder. */
  static void addIfUpgrading(ChannelPipeline pipeline, String handler) {
    if (pipeline.get(HttpResponseEncoder.class) != null || pipeline.get(HttpServerCodec.class) != null) {
      pipeline.addBefore(handler, NAME, new UpgradeGate());
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(done -> release(ctx));
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!open) {
      ctx.write(msg, promise);
      return;
    }
    held.add(msg);
    promises.add(promise);
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (open) {
      flushHeld = true;
    } else {
      ctx.flush();
    }
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (open) {
      // Closed before the 101 was out (the node stopping, the peer gone): what was held cannot be sent.
      open = false;
      discard();
      ctx.pipeline().remove(this);
    }
    ctx.close(promise);
  }

  private void release(ChannelHandlerContext ctx) {
    if (!open) {
      return;
    }
    open = false;
    if (!ctx.channel().isActive()) {
      discard();
    } else {
      while (!held.isEmpty()) {
        ctx.write(held.poll(), promises.poll());
      }
      if (flushHeld) {
        ctx.flush();
      }
    }
    ctx.pipeline().remove(this);
  }

  private void discard() {
    while (!held.isEmpty()) {
      ReferenceCountUtil.release(held.poll());
      promises.poll().tryFailure(new ClosedChannelException());
    }
  }
}
