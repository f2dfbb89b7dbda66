package dev.switchboard.bench.fanout;

import dev.switchboard.bench.ws.WsFrames;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The data of a benchmark message: a JSON string {@code "<publisher>:<seq>:<intendedNanos>:xxxx..."} padded to a
 * fixed size. Subscribers find it by position in the frame bytes, without a JSON parser. {@code intendedNanos} is
 * the time the message was meant to be sent, relative to the run's epoch, so latency counts any delay in sending
 * it too (no coordinated omission). The fleet scenario sends the same shape over HTTP, with the intended send time in
 * microseconds of the wall clock, which its processes share.
 */
public final class Payload {
  /** Room for the three numbers and separators, with margin. */
  static final int MIN_SIZE = 48;
  private static final byte PAD = 'x';

  private Payload() {
  }

  /** The JSON prefix of a frame for each topic, in UTF-8, shared by every publisher's {@link Encoder}. */
  static byte[][] prefixes(List<String> jsonPrefixes) {
    byte[][] bytes = new byte[jsonPrefixes.size()][];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = jsonPrefixes.get(i).getBytes(StandardCharsets.UTF_8);
    }
    return bytes;
  }

  /**
   * One publisher's frame, rewritten in place for every message: header, JSON prefix of the message's topic,
   * payload, its closing quote, JSON suffix (the same for every topic, see
   * {@link dev.switchboard.bench.Target#publishSuffix}). The payload starts right after the prefix whatever the
   * suffix. The frame is laid out again only when the topic changes.
   */
  static final class Encoder {
    private final byte[][] prefixes;
    private final byte[] suffix;
    private final int size;
    private final byte[] frame;
    private final byte[] publisher;
    private int topic = -1;
    private int payloadAt;
    private int payloadEnd;
    private int written;

    Encoder(String jsonPrefix, String jsonSuffix, int publisherIndex, int size) {
      this(prefixes(List.of(jsonPrefix)), jsonSuffix, publisherIndex, size);
    }

    Encoder(byte[][] prefixes, String jsonSuffix, int publisherIndex, int size) {
      if (size < MIN_SIZE) {
        throw new IllegalArgumentException("payload: must be at least " + MIN_SIZE + " bytes");
      }
      this.prefixes = prefixes;
      this.suffix = jsonSuffix.getBytes(StandardCharsets.UTF_8);
      this.size = size;
      int longest = 0;
      for (byte[] prefix : prefixes) {
        longest = Math.max(longest, prefix.length);
      }
      int body = longest + size + 1 + suffix.length;
      frame = new byte[WsFrames.headerLength(body) + body];
      publisher = (publisherIndex + ":").getBytes(StandardCharsets.US_ASCII);
      layout(0);
    }

    /** Writes message {@code seq} of topic 0 meant for {@code intendedNanos}; the whole frame is {@link #frame()}. */
    byte[] encode(long seq, long intendedNanos) {
      return encode(0, seq, intendedNanos);
    }

    /** Writes message {@code seq} of topic {@code topic}; the frame is the first {@link #length()} bytes. */
    byte[] encode(int topic, long seq, long intendedNanos) {
      if (topic != this.topic) {
        layout(topic);
      }
      int i = payloadAt;
      System.arraycopy(publisher, 0, frame, i, publisher.length);
      i = digits(frame, i + publisher.length, seq);
      frame[i++] = ':';
      i = digits(frame, i, intendedNanos);
      frame[i++] = ':';
      if (i > payloadEnd) {
        throw new IllegalStateException("payload too small for " + seq + ":" + intendedNanos);
      }
      if (i < written) {
        Arrays.fill(frame, i, written, PAD);
      }
      written = i;
      return frame;
    }

    /** The frame of the last message (of its length; longer when topics differ in length). */
    byte[] frame() {
      return frame;
    }

    int length() {
      return payloadEnd + 1 + suffix.length;
    }

    private void layout(int topic) {
      byte[] prefix = prefixes[topic];
      int body = prefix.length + size + 1 + suffix.length;
      int header = WsFrames.writeHeader(frame, WsFrames.OP_TEXT, body);
      System.arraycopy(prefix, 0, frame, header, prefix.length);
      payloadAt = header + prefix.length;
      payloadEnd = payloadAt + size;
      Arrays.fill(frame, payloadAt, payloadEnd, PAD);
      frame[payloadEnd] = '"';
      System.arraycopy(suffix, 0, frame, payloadEnd + 1, suffix.length);
      written = payloadAt;
      this.topic = topic;
    }
  }

  /** The numbers of one payload, filled by {@link #parse}. */
  public static final class Parsed {
    public int publisher;
    public long seq;
    public long intendedNanos;
  }

  /** Reads the payload starting at {@code from} (just after the opening quote); false if it is not one of ours. */
  public static boolean parse(ByteBuffer b, int from, int end, Parsed out) {
    int i = from;
    long value = 0;
    int field = 0;
    int digits = 0;
    while (i < end && field < 3) {
      byte c = b.get(i++);
      if (c >= '0' && c <= '9') {
        value = value * 10 + (c - '0');
        digits++;
      } else if (c == ':' && digits > 0 && digits <= 18) {
        if (field == 0) {
          out.publisher = (int) value;
        } else if (field == 1) {
          out.seq = value;
        } else {
          out.intendedNanos = value;
        }
        field++;
        value = 0;
        digits = 0;
      } else {
        return false;
      }
    }
    return field == 3;
  }

  private static int digits(byte[] dst, int at, long value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative " + value);
    }
    int n = 1;
    for (long v = value / 10; v > 0; v /= 10) {
      n++;
    }
    for (int i = at + n - 1; i >= at; i--) {
      dst[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    return at + n;
  }
}
