package dev.switchboard.bench.fanout;

import dev.switchboard.bench.ws.WsConnection;
import dev.switchboard.bench.ws.WsListener;

import java.nio.ByteBuffer;

/** One publishing connection: sends the messages a {@link Step} schedules, numbered from 0 for the whole rig. */
final class Publisher implements WsListener {
  final int index;
  private final Rig rig;
  private final Payload.Encoder encoder;
  private long nextSeq;
  WsConnection connection;

  Publisher(Rig rig, int index, Payload.Encoder encoder) {
    this.rig = rig;
    this.index = index;
    this.encoder = encoder;
  }

  long nextSeq() {
    return nextSeq;
  }

  /** Sends the next message, meant for {@code intendedNanos} after the epoch; false if the connection is gone. */
  boolean send(long intendedNanos) {
    if (connection == null || !connection.isOpen()) {
      return false;
    }
    byte[] frame = encoder.encode(nextSeq, intendedNanos);
    if (!connection.send(frame)) {
      return false;
    }
    nextSeq++;
    return true;
  }

  @Override
  public void onOpen(WsConnection c) {
    rig.ready();
  }

  @Override
  public void onText(WsConnection c, ByteBuffer b, int offset, int length, long nowNanos) {
    ServerFrames.Type type = ServerFrames.type(b, offset, length);
    if (type == ServerFrames.Type.PING) {
      c.send(ServerFrames.PONG);
    } else if (type == ServerFrames.Type.ERROR) {
      rig.tally.error("publisher " + index + ": " + ServerFrames.text(b, offset, length));
    } else if (type == ServerFrames.Type.MESSAGE) {
      rig.tally.error("publisher " + index + " received a message; publishers subscribe to nothing");
    }
  }

  @Override
  public void onClose(WsConnection c, int code, String reason) {
    rig.closed("publisher " + index, c, code, reason);
  }
}
