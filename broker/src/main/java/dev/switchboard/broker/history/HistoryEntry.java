package dev.switchboard.broker.history;

import dev.switchboard.broker.wire.ServerFrames;
import java.nio.charset.StandardCharsets;

/**
 * What a history topic's store keeps of one message: the end of its {@code message} frame from the data on,
 * {@code <data>,"published_at":<ms>} in UTF-8, where {@code <ms>} is the publishing node's stamp. A node makes the
 * frame by putting the head ({@code type}, {@code topic}, {@code pattern}, {@code position}, {@code "data":}) before
 * the entry and {@code '}'} after it ({@link ServerFrames#historyMessage}), with nothing to decode, and every read of the
 * store, live or recovering, however much later and on whichever node, gives the stamp taken at the publish.
 *
 * <p>An entry stored by a node of an earlier version is the data alone: its frames have no {@code published_at} and
 * are still valid JSON. A node of an earlier version that reads an entry of this form writes it as its data's end,
 * which makes the same valid frame, stamp included. So nodes of both versions share a store during a rolling upgrade.
 *
 * <p>A topic that is also a presence topic keeps its {@code join} and {@code leave} events in the same store, in one
 * order with its messages: {@code null,"published_at":<ms>,"presence":{"type":"join",…}} ({@link #event}). A message
 * entry always ends with its stamp's last digit, or (earlier form) is the data alone, so no message entry both starts
 * with {@code null,"published_at":} and ends with {@code '}'}: that is how an event is told apart ({@link #isEvent}).
 * A node of an earlier version delivers an event as a valid message frame whose data is null.
 */
public final class HistoryEntry {
  private static final byte[] STAMP_KEY = ServerFrames.PUBLISHED_AT.getBytes(StandardCharsets.US_ASCII);
  /** How every event entry starts. */
  private static final byte[] EVENT_START = ("null" + ServerFrames.PUBLISHED_AT).getBytes(StandardCharsets.US_ASCII);
  /** What follows an event entry's stamp: its event, a JSON object whose first member is its {@code type}. */
  private static final String EVENT_KEY = ",\"presence\":";

  private HistoryEntry() {
  }

  /**
   * The entry of {@code data} (the publisher's JSON text) stamped {@code publishedAt} (epoch milliseconds), encoded
   * straight into one array, which is all it allocates.
   */
  public static byte[] of(String data, long publishedAt) {
    if (publishedAt < 0) { // a clock set before 1970: not worth a fast path
      return (data + ServerFrames.PUBLISHED_AT + publishedAt).getBytes(StandardCharsets.UTF_8);
    }
    int digits = 1;
    for (long v = publishedAt; v >= 10; v /= 10) {
      digits++;
    }
    byte[] entry = new byte[utf8Length(data) + STAMP_KEY.length + digits];
    int at = encode(data, entry);
    System.arraycopy(STAMP_KEY, 0, entry, at, STAMP_KEY.length);
    long v = publishedAt;
    for (int i = entry.length - 1; i >= at + STAMP_KEY.length; i--) {
      entry[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    return entry;
  }

  /**
   * The entry of a presence event stored at {@code at} (epoch milliseconds): {@code event} is its JSON object, without
   * the topic, whose first member is {@code "type"} ({@code join} or {@code leave}).
   */
  public static byte[] event(String event, long at) {
    return ("null" + ServerFrames.PUBLISHED_AT + at + EVENT_KEY + event).getBytes(StandardCharsets.UTF_8);
  }

  /** Whether {@code entry} is a presence event's ({@link #event}), not a message's. */
  public static boolean isEvent(byte[] entry) {
    if (entry.length <= EVENT_START.length || entry[entry.length - 1] != '}') {
      return false;
    }
    for (int i = 0; i < EVENT_START.length; i++) {
      if (entry[i] != EVENT_START[i]) {
        return false;
      }
    }
    return true;
  }

  /** Where an event entry's event object starts ({@code '{'}), past its stamp. */
  public static int eventStart(byte[] entry) {
    int at = EVENT_START.length;
    while (at < entry.length && (entry[at] >= '0' && entry[at] <= '9' || entry[at] == '-')) {
      at++;
    }
    return at + EVENT_KEY.length();
  }

  /** The bytes of {@code s} in UTF-8, as {@link String#getBytes} with UTF-8 counts them. */
  static int utf8Length(String s) {
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        continue;
      }
      if (c < 0x800) {
        bytes += 1;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 2; // two chars, four bytes
        i++;
      } else if (!Character.isSurrogate(c)) {
        bytes += 2;
      } // an unpaired surrogate is one '?', as String.getBytes writes it
    }
    return bytes;
  }

  /** Writes {@code s} in UTF-8 at the start of {@code out}, exactly as {@link String#getBytes} would; returns the end. */
  private static int encode(String s, byte[] out) {
    int n = s.length();
    int j = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out[j++] = (byte) c;
      } else if (c < 0x800) {
        out[j++] = (byte) (0xC0 | c >> 6);
        out[j++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out[j++] = (byte) (0xF0 | cp >> 18);
        out[j++] = (byte) (0x80 | cp >> 12 & 0x3F);
        out[j++] = (byte) (0x80 | cp >> 6 & 0x3F);
        out[j++] = (byte) (0x80 | cp & 0x3F);
      } else if (Character.isSurrogate(c)) {
        out[j++] = '?';
      } else {
        out[j++] = (byte) (0xE0 | c >> 12);
        out[j++] = (byte) (0x80 | c >> 6 & 0x3F);
        out[j++] = (byte) (0x80 | c & 0x3F);
      }
    }
    return j;
  }
}
