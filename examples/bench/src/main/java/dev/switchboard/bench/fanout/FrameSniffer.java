package dev.switchboard.bench.fanout;

import dev.switchboard.bench.ws.WsFrames;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Recognises the node's frames by their first bytes, without parsing JSON: every frame the node sends starts with
 * {@code {"type":"<type>"} (docs/protocol.md; the ceiling forwards frames of the same shape). Shared with the fleet
 * generator.
 */
public final class FrameSniffer {
  public enum Type { MESSAGE, PING, SUBSCRIBED, UNSUBSCRIBED, ERROR, OTHER }

  /** {@link #dataStart}: the message is for another topic. */
  public static final int OTHER_TOPIC = -2;

  public static final byte[] PONG = WsFrames.text("{\"type\":\"pong\"}");
  private static final byte[] TYPE = "{\"type\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "\"data\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] POSITION = "\"position\":{".getBytes(StandardCharsets.US_ASCII);
  /** Longer than any position object ({@code {"epoch":"<16>","offset":<19 digits>}}). */
  private static final int POSITION_MAX = 80;

  private FrameSniffer() {
  }

  public static Type type(ByteBuffer b, int offset, int length) {
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
      case 'u':
        return Type.UNSUBSCRIBED;
      case 'e':
        return Type.ERROR;
      default:
        return Type.OTHER;
    }
  }

  /**
   * Where the data string of a message starts (just after its quote). Fast path: the frame starts with
   * {@code expectedPrefix}, the delivery prefix of the subscriber's topic (see
   * {@link dev.switchboard.bench.Target#deliveryPrefix}); or, on a history topic, that prefix with the message's
   * {@code "position":{...},} before its data. Otherwise the frame must hold {@code topicField}
   * ({@code "topic":"<topic>"}), else it is {@link #OTHER_TOPIC}, and the data is found by a scan; -1 when it has no
   * string data.
   */
  public static int dataStart(ByteBuffer b, int offset, int length, byte[] expectedPrefix, byte[] topicField) {
    return dataStart(b, offset, length, expectedPrefix, topicField, null);
  }

  /**
   * {@link #dataStart(ByteBuffer, int, int, byte[], byte[])} with a {@code hint} kept by the caller between frames
   * (or null): where the data started in its last history frame, relative to the frame. Consecutive frames of a
   * history topic have their data at the same place until the offset gains a digit, so it is checked there first.
   */
  public static int dataStart(ByteBuffer b, int offset, int length, byte[] expectedPrefix, byte[] topicField,
                              int[] hint) {
    if (length >= expectedPrefix.length && matches(b, offset, expectedPrefix)) {
      return offset + expectedPrefix.length;
    }
    int end = offset + length;
    int head = expectedPrefix.length - DATA.length;
    if (matches(b, offset, expectedPrefix, head) && matches(b, offset + head, POSITION, POSITION.length)) {
      if (hint != null && hint[0] > head && hint[0] <= length && matches(b, offset + hint[0] - DATA.length, DATA)) {
        return offset + hint[0];
      }
      int data = find(b, offset + head + POSITION.length, Math.min(end, offset + head + POSITION_MAX), DATA);
      if (data >= 0) {
        if (hint != null) {
          hint[0] = data + DATA.length - offset;
        }
        return data + DATA.length;
      }
    }
    if (find(b, offset, end, topicField) < 0) {
      return OTHER_TOPIC;
    }
    int data = find(b, offset, end, DATA);
    return data < 0 ? -1 : data + DATA.length;
  }

  /** {@code "topic":"<topic>"}, as {@link #dataStart} looks for it. */
  public static byte[] topicField(String topic) {
    return ("\"topic\":\"" + topic + "\"").getBytes(StandardCharsets.UTF_8);
  }

  public static String text(ByteBuffer b, int offset, int length) {
    byte[] bytes = new byte[Math.min(length, 300)];
    b.get(offset, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static int find(ByteBuffer b, int from, int end, byte[] wanted) {
    for (int i = from; i + wanted.length <= end; i++) {
      if (matches(b, i, wanted)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean matches(ByteBuffer b, int at, byte[] expected) {
    return matches(b, at, expected, expected.length);
  }

  /** Whether the first {@code count} bytes of {@code expected} are at {@code at}. */
  private static boolean matches(ByteBuffer b, int at, byte[] expected, int count) {
    if (at < 0 || at + count > b.limit()) {
      return false;
    }
    for (int i = 0; i < count; i++) {
      if (b.get(at + i) != expected[i]) {
        return false;
      }
    }
    return true;
  }
}
