package dev.switchboard.bench.fanout;

import dev.switchboard.bench.ws.WsFrames;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The data of a benchmark message: a JSON string {@code "<publisher>:<seq>:<intendedNanos>:xxxx..."} padded to a
 * fixed size. Subscribers find it by position in the frame bytes, without a JSON parser. {@code intendedNanos} is
 * the time the message was meant to be sent, relative to the run's epoch, so latency counts any delay in sending
 * it too (no coordinated omission).
 */
final class Payload {
  /** Room for the three numbers and separators, with margin. */
  static final int MIN_SIZE = 48;
  private static final byte PAD = 'x';

  private Payload() {
  }

  /** One publisher's frame, rewritten in place for every message: header, JSON prefix, payload, {@code "}}. */
  static final class Encoder {
    private final byte[] frame;
    private final int payloadAt;
    private final int payloadEnd;
    private final byte[] publisher;
    private int written;

    Encoder(String jsonPrefix, int publisherIndex, int size) {
      if (size < MIN_SIZE) {
        throw new IllegalArgumentException("payload: must be at least " + MIN_SIZE + " bytes");
      }
      byte[] prefix = jsonPrefix.getBytes(StandardCharsets.UTF_8);
      int body = prefix.length + size + 2;
      int header = WsFrames.headerLength(body);
      frame = new byte[header + body];
      WsFrames.writeHeader(frame, WsFrames.OP_TEXT, body);
      System.arraycopy(prefix, 0, frame, header, prefix.length);
      payloadAt = header + prefix.length;
      payloadEnd = payloadAt + size;
      Arrays.fill(frame, payloadAt, payloadEnd, PAD);
      frame[payloadEnd] = '"';
      frame[payloadEnd + 1] = '}';
      publisher = (publisherIndex + ":").getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes message {@code seq} meant for {@code intendedNanos}; the whole frame is {@link #frame()}. */
    byte[] encode(long seq, long intendedNanos) {
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

    byte[] frame() {
      return frame;
    }
  }

  /** The numbers of one payload, filled by {@link #parse}. */
  static final class Parsed {
    int publisher;
    long seq;
    long intendedNanos;
  }

  /** Reads the payload starting at {@code from} (just after the opening quote); false if it is not one of ours. */
  static boolean parse(ByteBuffer b, int from, int end, Parsed out) {
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
