package dev.switchboard.bench.ws;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The inbound side of one {@link BenchSocket}: the upgrade response, then server frames, parsed in place from the
 * engine's shared read buffer. Only the start of a frame cut off by the end of a read is copied ({@code carry}, put
 * back in front of the next read), and only a message sent in several frames is assembled ({@code message}).
 */
final class WsReader {
  /** Largest text message assembled from continuation frames. */
  static final int MAX_MESSAGE = 1024 * 1024;

  private final BenchSocket connection;
  private final WsListener listener;
  private ByteBuffer carry;
  private byte[] message;
  private int messageLength = -1;

  WsReader(BenchSocket connection, WsListener listener) {
    this.connection = connection;
    this.listener = listener;
  }

  /** Puts the bytes kept from the last read at the start of the (cleared) {@code buffer}; returns how many. */
  int restore(ByteBuffer buffer) {
    if (carry == null || carry.position() == 0) {
      return 0;
    }
    carry.flip();
    int n = carry.remaining();
    buffer.put(carry);
    carry.clear();
    return n;
  }

  /** Parses {@code [0, limit)} of the flipped {@code buffer}, the upgrade response first if {@code handshaking}. */
  void parse(ByteBuffer buffer, boolean handshaking, long nowNanos) {
    int position = 0;
    if (handshaking) {
      position = upgrade(buffer);
      if (position < 0) {
        keep(buffer, 0);
        return;
      }
    }
    keep(buffer, frames(buffer, position, nowNanos));
  }

  /** The upgrade response at the start of {@code buffer}; returns where frames start, or -1 if incomplete. */
  private int upgrade(ByteBuffer buffer) {
    int end = WsHandshake.headerEnd(buffer, 0, buffer.limit());
    if (end < 0) {
      if (buffer.limit() > WsHandshake.MAX_RESPONSE_HEADER) {
        connection.finish(1002, "handshake: response header too long");
      }
      return -1;
    }
    byte[] header = new byte[end];
    buffer.get(0, header);
    String problem = WsHandshake.check(new String(header, StandardCharsets.ISO_8859_1));
    if (problem != null) {
      connection.finish(1006, problem);
      return buffer.limit();
    }
    connection.opened();
    return end;
  }

  /** Handles every whole frame from {@code position}; returns where the first incomplete one starts. */
  private int frames(ByteBuffer b, int position, long nowNanos) {
    int limit = b.limit();
    while (limit - position >= 2 && !connection.isClosed()) {
      int b0 = b.get(position) & 0xFF;
      int b1 = b.get(position + 1) & 0xFF;
      if ((b1 & 0x80) != 0) {
        connection.finish(1002, "protocol error: masked frame from the server");
        return limit;
      }
      int header = 2;
      long length = b1 & 0x7F;
      if (length == 126) {
        if (limit - position < 4) {
          break;
        }
        length = ((b.get(position + 2) & 0xFF) << 8) | (b.get(position + 3) & 0xFF);
        header = 4;
      } else if (length == 127) {
        if (limit - position < 10) {
          break;
        }
        length = b.getLong(position + 2);
        header = 10;
      }
      if (length < 0 || length > b.capacity() - header) {
        connection.finish(1002, "protocol error: frame of " + length + " bytes is larger than the read buffer");
        return limit;
      }
      if (limit - position < header + length) {
        break;
      }
      frame(b0, b, position + header, (int) length, nowNanos);
      position += header + (int) length;
    }
    return position;
  }

  private void frame(int b0, ByteBuffer b, int offset, int length, long nowNanos) {
    boolean fin = (b0 & 0x80) != 0;
    int opcode = b0 & 0x0F;
    switch (opcode) {
      case WsFrames.OP_TEXT:
        if (fin && messageLength < 0) {
          listener.onText(connection, b, offset, length, nowNanos);
        } else {
          messageLength = 0;
          append(b, offset, length, fin, nowNanos);
        }
        break;
      case WsFrames.OP_CONTINUATION:
        if (messageLength >= 0) {
          append(b, offset, length, fin, nowNanos);
        }
        break;
      case WsFrames.OP_PING:
        byte[] payload = new byte[length];
        b.get(offset, payload);
        connection.pong(payload);
        break;
      case WsFrames.OP_CLOSE:
        int code = length >= 2 ? ((b.get(offset) & 0xFF) << 8) | (b.get(offset + 1) & 0xFF) : 1005;
        byte[] reason = new byte[Math.max(0, length - 2)];
        b.get(offset + Math.min(2, length), reason);
        connection.closedByServer(code, new String(reason, StandardCharsets.UTF_8));
        break;
      case WsFrames.OP_BINARY:
      case WsFrames.OP_PONG:
        break;
      default:
        connection.finish(1002, "protocol error: opcode " + opcode);
    }
  }

  /** Continuation frames: assembles one message (rare; the servers measured send whole frames). */
  private void append(ByteBuffer b, int offset, int length, boolean fin, long nowNanos) {
    if (messageLength + length > MAX_MESSAGE) {
      connection.finish(1009, "message larger than " + MAX_MESSAGE + " bytes");
      return;
    }
    if (message == null || message.length < messageLength + length) {
      byte[] grown = new byte[Math.min(MAX_MESSAGE, Math.max(4096, 2 * (messageLength + length)))];
      if (message != null) {
        System.arraycopy(message, 0, grown, 0, messageLength);
      }
      message = grown;
    }
    b.get(offset, message, messageLength, length);
    messageLength += length;
    if (fin) {
      int total = messageLength;
      messageLength = -1;
      listener.onText(connection, ByteBuffer.wrap(message, 0, total), 0, total, nowNanos);
    }
  }

  /** Keeps {@code [from, limit)} of the read buffer for the next read: the start of a frame not fully read yet. */
  private void keep(ByteBuffer buffer, int from) {
    int rest = buffer.limit() - from;
    if (rest <= 0 || connection.isClosed()) {
      return;
    }
    if (carry == null || carry.capacity() < rest) {
      carry = ByteBuffer.allocate(Math.max(1024, rest * 2));
    }
    carry.put(carry.position(), buffer, from, rest);
    carry.position(carry.position() + rest);
  }
}
