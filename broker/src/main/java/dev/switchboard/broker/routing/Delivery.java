package dev.switchboard.broker.routing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

import java.nio.charset.StandardCharsets;

/**
 * A {@code message} frame encoded once, by the node where it was published, and carried as is over the event bus to
 * every node and every subscriber: no subscriber and no receiving node encodes it again. Carries the offset the
 * history store gave it (on a history topic), and when the publish was accepted ({@link #wallNanos}), for the
 * delivery-latency histogram. Immutable.
 */
public final class Delivery {
  private static final long WALL_AT_START_NANOS = System.currentTimeMillis() * 1_000_000L;
  private static final long NANO_AT_START = System.nanoTime();

  final byte[] frame;
  final long publishedAtNanos;
  /** The message's offset in its history topic's store, or -1 (a plain topic, or a delivery to a pattern). */
  final long offset;

  Delivery(byte[] frame) {
    this(frame, -1);
  }

  Delivery(byte[] frame, long offset) {
    this(frame, wallNanos(), offset);
  }

  private Delivery(byte[] frame, long publishedAtNanos, long offset) {
    this.frame = frame;
    this.publishedAtNanos = publishedAtNanos;
    this.offset = offset;
  }

  /**
   * Wall-clock time in nanoseconds since the epoch, read from the monotonic clock: comparable between the nodes
   * of a cluster as far as their wall clocks agree, and never going backwards within one.
   */
  static long wallNanos() {
    return WALL_AT_START_NANOS + (System.nanoTime() - NANO_AT_START);
  }

  @Override
  public String toString() {
    return new String(frame, StandardCharsets.UTF_8);
  }

  /** Event-bus codec: the bytes on the wire; the same instance for local handlers (it is immutable). */
  public static final class Codec implements MessageCodec<Delivery, Delivery> {
    static final String NAME = "switchboard.delivery.2";

    @Override
    public void encodeToWire(Buffer buffer, Delivery delivery) {
      buffer.appendLong(delivery.publishedAtNanos).appendLong(delivery.offset).appendInt(delivery.frame.length)
          .appendBytes(delivery.frame);
    }

    @Override
    public Delivery decodeFromWire(int pos, Buffer buffer) {
      long publishedAtNanos = buffer.getLong(pos);
      long offset = buffer.getLong(pos + 8);
      int length = buffer.getInt(pos + 16);
      return new Delivery(buffer.getBytes(pos + 20, pos + 20 + length), publishedAtNanos, offset);
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
