package dev.switchboard.bench.ws;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client WebSocket connection of a {@link WsEngine}: a small state machine (connecting, handshaking, open,
 * closing, closed) touched only on the engine's thread. Reads go through its {@link WsReader}; only bytes the socket
 * did not take are kept ({@code outbound}, bounded).
 */
public final class BenchSocket {
  /** Bytes waiting to be written after which the connection is dropped: the server does not read. */
  public static final int MAX_OUTBOUND = 8 * 1024 * 1024;

  enum State { CONNECTING, HANDSHAKING, OPEN, CLOSING, CLOSED }

  private final WsEngine engine;
  final SocketChannel channel;
  private final WsListener listener;
  private final byte[] upgradeRequest;
  private final WsReader reader;
  SelectionKey key;
  private State state = State.CONNECTING;
  private boolean opened;
  private ByteBuffer outbound;

  BenchSocket(WsEngine engine, SocketChannel channel, WsListener listener, byte[] upgradeRequest) {
    this.engine = engine;
    this.channel = channel;
    this.listener = listener;
    this.upgradeRequest = upgradeRequest;
    this.reader = new WsReader(this, listener);
  }

  public boolean isOpen() {
    return state == State.OPEN;
  }

  /** Whether the handshake ever completed. */
  public boolean wasOpen() {
    return opened;
  }

  public boolean isClosed() {
    return state == State.CLOSED;
  }

  /** Bytes written by the caller that the socket has not taken yet. */
  public int pendingBytes() {
    return outbound == null ? 0 : outbound.position();
  }

  /** Sends a text frame; false when the connection is not open. */
  public boolean sendText(String text) {
    return send(WsFrames.text(text));
  }

  /** Sends whole, already framed bytes (see {@link WsFrames}); false when the connection is not open. */
  public boolean send(byte[] frame) {
    return send(frame, 0, frame.length);
  }

  public boolean send(byte[] frame, int offset, int length) {
    return state == State.OPEN && write(frame, offset, length);
  }

  /** Starts the closing handshake; the connection is closed when the server answers or the engine stops. */
  public void close(int code) {
    if (state == State.OPEN) {
      state = State.CLOSING;
      byte[] frame = WsFrames.close(code);
      write(frame, 0, frame.length);
    } else if (state != State.CLOSING) {
      finish(1006, "closed before the handshake");
    }
  }

  /** Drops the TCP connection at once. */
  public void abort() {
    finish(1006, "aborted by the load generator");
  }

  void onConnectable() {
    try {
      channel.finishConnect();
    } catch (IOException e) {
      finish(1006, "connect: " + e.getMessage());
      return;
    }
    onConnected();
  }

  void onConnected() {
    state = State.HANDSHAKING;
    key.interestOps(SelectionKey.OP_READ);
    write(upgradeRequest, 0, upgradeRequest.length);
  }

  void onReadable(ByteBuffer buffer, long nowNanos) {
    for (int round = 0; round < 4 && state != State.CLOSED; round++) {
      buffer.clear();
      int carried = reader.restore(buffer);
      int read;
      try {
        read = channel.read(buffer);
      } catch (IOException e) {
        finish(1006, "read: " + e.getMessage());
        return;
      }
      if (read < 0) {
        finish(state == State.CLOSING ? 1000 : 1006, "connection closed by the server");
        return;
      }
      buffer.flip();
      reader.parse(buffer, state == State.HANDSHAKING, nowNanos);
      if (read < buffer.capacity() - carried) {
        return;
      }
    }
  }

  void onWritable() {
    outbound.flip();
    try {
      channel.write(outbound);
    } catch (IOException e) {
      outbound.compact();
      finish(1006, "write: " + e.getMessage());
      return;
    }
    outbound.compact();
    if (outbound.position() == 0 && key.isValid()) {
      key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
    }
  }

  /** The upgrade was accepted (called by the reader). */
  void opened() {
    state = State.OPEN;
    opened = true;
    listener.onOpen(this);
  }

  /** Answers a ping (called by the reader). */
  void pong(byte[] payload) {
    byte[] pong = WsFrames.frame(WsFrames.OP_PONG, payload);
    send(pong, 0, pong.length);
  }

  /** The server closed: answers with the same code if we had not started closing, then ends (called by the reader). */
  void closedByServer(int code, String reason) {
    if (state == State.OPEN) {
      byte[] echo = WsFrames.close(code == 1005 ? 1000 : code);
      write(echo, 0, echo.length);
    }
    finish(code, reason);
  }

  private boolean write(byte[] data, int offset, int length) {
    if (outbound == null || outbound.position() == 0) {
      ByteBuffer src = ByteBuffer.wrap(data, offset, length);
      try {
        channel.write(src);
      } catch (IOException e) {
        finish(1006, "write: " + e.getMessage());
        return false;
      }
      if (!src.hasRemaining()) {
        return true;
      }
      offset = src.position();
      length = src.remaining();
    }
    if (outbound == null || outbound.remaining() < length) {
      int used = outbound == null ? 0 : outbound.position();
      if (used + length > MAX_OUTBOUND) {
        finish(1006, "load generator: more than " + MAX_OUTBOUND + " bytes not taken by the server");
        return false;
      }
      ByteBuffer grown = ByteBuffer.allocate(Math.min(MAX_OUTBOUND, Math.max(4096, 2 * (used + length))));
      if (outbound != null) {
        outbound.flip();
        grown.put(outbound);
      }
      outbound = grown;
    }
    outbound.put(data, offset, length);
    key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
    return true;
  }

  /** The one way a connection ends: closes the socket and tells the listener, once. */
  void finish(int code, String reason) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    if (key != null) {
      key.cancel();
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // Closing a socket that failed: nothing more to do.
    }
    engine.forget(this);
    listener.onClose(this, code, reason);
  }
}
