package dev.switchboard.bench.fanout;

import dev.switchboard.bench.ws.BenchSocket;
import dev.switchboard.bench.ws.WsListener;

import java.nio.ByteBuffer;

/**
 * One publishing connection: sends the messages a {@link Step} schedules (and the probes of {@link Readiness}) to the
 * topic it is told, numbered from 0 for the whole rig.
 */
final class LoadPublisher implements WsListener {
  final int index;
  private final Rig rig;
  private final Payload.Encoder encoder;
  private long nextSeq;
  BenchSocket connection;

  LoadPublisher(Rig rig, int index, Payload.Encoder encoder) {
    this.rig = rig;
    this.index = index;
    this.encoder = encoder;
  }

  long nextSeq() {
    return nextSeq;
  }

  /** Bytes the socket has not taken yet. */
  int pendingBytes() {
    return connection == null ? 0 : connection.pendingBytes();
  }

  /**
   * Sends the next message to topic {@code topic} (an index into the rig's topics), meant for {@code intendedNanos}
   * after the epoch; false if the connection is gone.
   */
  boolean send(int topic, long intendedNanos) {
    if (connection == null || !connection.isOpen()) {
      return false;
    }
    byte[] frame = encoder.encode(topic, nextSeq, intendedNanos);
    if (!connection.send(frame, 0, encoder.length())) {
      return false;
    }
    nextSeq++;
    return true;
  }

  @Override
  public void onOpen(BenchSocket c) {
    rig.ready();
  }

  @Override
  public void onText(BenchSocket c, ByteBuffer b, int offset, int length, long nowNanos) {
    FrameSniffer.Type type = FrameSniffer.type(b, offset, length);
    if (type == FrameSniffer.Type.PING) {
      c.send(FrameSniffer.PONG);
    } else if (type == FrameSniffer.Type.ERROR) {
      rig.tally.error("publisher " + index + ": " + FrameSniffer.text(b, offset, length));
    } else if (type == FrameSniffer.Type.MESSAGE) {
      rig.tally.error("publisher " + index + " received a message; publishers subscribe to nothing");
    }
  }

  @Override
  public void onClose(BenchSocket c, int code, String reason) {
    rig.closed("publisher " + index, c, code, reason);
  }
}
