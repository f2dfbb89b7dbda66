package dev.switchboard.bench.conn;

import dev.switchboard.bench.ws.BenchSocket;
import dev.switchboard.bench.ws.WsFrames;
import dev.switchboard.bench.ws.WsListener;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One connection of a {@link Crowd}: subscribes to its topic when open (a node) or counts as subscribed at once (the
 * ceiling), answers the node's pings, and reports each stage to the crowd.
 */
final class Member implements WsListener {
  private static final byte[] PONG = WsFrames.text("{\"type\":\"pong\"}");
  private static final byte[] PREFIX = "{\"type\":\"".getBytes(StandardCharsets.US_ASCII);

  final int index;
  private final Crowd crowd;
  private final String topic;
  private final long intendedNanos;
  private boolean subscribed;
  BenchSocket connection;

  Member(Crowd crowd, int index, String topic, long intendedNanos) {
    this.crowd = crowd;
    this.index = index;
    this.topic = topic;
    this.intendedNanos = intendedNanos;
  }

  @Override
  public void onOpen(BenchSocket c) {
    crowd.opened(System.nanoTime() - intendedNanos);
    if (crowd.subscribes) {
      c.sendText("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"" + topic + "\"}");
    } else {
      subscribed();
    }
  }

  @Override
  public void onText(BenchSocket c, ByteBuffer b, int offset, int length, long nowNanos) {
    if (length <= PREFIX.length + 1) {
      return;
    }
    byte kind = b.get(offset + PREFIX.length);
    byte next = b.get(offset + PREFIX.length + 1);
    if (kind == 'p' && next == 'i') {
      c.send(PONG);
      crowd.pinged();
    } else if (kind == 's' && next == 'u') {
      subscribed();
    } else if (kind == 'e') {
      byte[] text = new byte[Math.min(length, 300)];
      b.get(offset, text);
      crowd.failed("connection " + index + ": " + new String(text, StandardCharsets.UTF_8));
    }
  }

  @Override
  public void onClose(BenchSocket c, int code, String reason) {
    crowd.closed(this, (c.wasOpen() ? "closed: " : "could not connect: ") + code + " " + reason);
  }

  private void subscribed() {
    if (!subscribed) {
      subscribed = true;
      crowd.subscribed(System.nanoTime() - intendedNanos);
    }
  }
}
