package dev.switchboard.bench.fanout;

import dev.switchboard.bench.ws.WsFrames;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Recognises the node's frames by their first bytes, without parsing JSON: every frame the node sends starts with
 * {@code {"type":"<type>"} (docs/protocol.md; the ceiling forwards frames of the same shape).
 */
final class ServerFrames {
  enum Type { MESSAGE, PING, SUBSCRIBED, ERROR, OTHER }

  static final byte[] PONG = WsFrames.text("{\"type\":\"pong\"}");
  private static final byte[] TYPE = "{\"type\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "\"data\":\"".getBytes(StandardCharsets.US_ASCII);

  private ServerFrames() {
  }

  static Type type(ByteBuffer b, int offset, int length) {
    if (length < TYPE.length + 4 || !matches(b, offset, TYPE)) {
      return Type.OTHER;
    }
    int at = offset + TYPE.length;
    switch (b.get(at)) {
      case 'm':
        return Type.MESSAGE;
      case 'p':
        return b.get(at + 1) == 'i' ? Type.PING : Type.OTHER;
      case 's':
        return Type.SUBSCRIBED;
      case 'e':
        return Type.ERROR;
      default:
        return Type.OTHER;
    }
  }

  /**
   * Where the data string of a message starts (just after its quote): at {@code expectedAt} when the frame has the
   * expected shape, which is checked, else found by a scan; -1 when it has no string data.
   */
  static int dataStart(ByteBuffer b, int offset, int length, int expectedAt) {
    int end = offset + length;
    int at = offset + expectedAt;
    if (at <= end && matches(b, at - DATA.length, DATA)) {
      return at;
    }
    for (int i = offset; i + DATA.length <= end; i++) {
      if (matches(b, i, DATA)) {
        return i + DATA.length;
      }
    }
    return -1;
  }

  static String text(ByteBuffer b, int offset, int length) {
    byte[] bytes = new byte[Math.min(length, 300)];
    b.get(offset, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static boolean matches(ByteBuffer b, int at, byte[] expected) {
    if (at < 0 || at + expected.length > b.limit()) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (b.get(at + i) != expected[i]) {
        return false;
      }
    }
    return true;
  }
}
