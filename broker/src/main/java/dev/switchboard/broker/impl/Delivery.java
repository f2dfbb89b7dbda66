package dev.switchboard.broker.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

import java.nio.charset.StandardCharsets;

/**
 * A {@code message} frame encoded once, by the node where it was published, and carried as is over the event bus to
 * every node and every subscriber: no subscriber and no receiving node encodes it again. Immutable.
 */
final class Delivery {
  final byte[] frame;

  Delivery(byte[] frame) {
    this.frame = frame;
  }

  @Override
  public String toString() {
    return new String(frame, StandardCharsets.UTF_8);
  }

  /** Event-bus codec: the bytes on the wire; the same instance for local handlers (it is immutable). */
  static final class Codec implements MessageCodec<Delivery, Delivery> {
    static final String NAME = "switchboard.delivery";

    @Override
    public void encodeToWire(Buffer buffer, Delivery delivery) {
      buffer.appendInt(delivery.frame.length).appendBytes(delivery.frame);
    }

    @Override
    public Delivery decodeFromWire(int pos, Buffer buffer) {
      int length = buffer.getInt(pos);
      return new Delivery(buffer.getBytes(pos + 4, pos + 4 + length));
    }

    @Override
    public Delivery transform(Delivery delivery) {
      return delivery;
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
