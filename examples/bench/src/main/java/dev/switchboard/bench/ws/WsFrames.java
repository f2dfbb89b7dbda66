package dev.switchboard.bench.ws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * RFC 6455 framing for the client side. Client frames must be masked; the mask key here is always zero, which the
 * RFC allows and which leaves the payload bytes as they are, so a frame can be written straight from a template.
 */
public final class WsFrames {
  public static final int OP_CONTINUATION = 0x0;
  public static final int OP_TEXT = 0x1;
  public static final int OP_BINARY = 0x2;
  public static final int OP_CLOSE = 0x8;
  public static final int OP_PING = 0x9;
  public static final int OP_PONG = 0xA;
  /** Header bytes of a client frame with a payload of up to 125 bytes, 65535 bytes, or more. */
  public static final int MAX_HEADER = 14;

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private WsFrames() {
  }

  /** Header length of a client (masked) frame carrying {@code payloadLength} bytes. */
  public static int headerLength(int payloadLength) {
    return (payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10) + 4;
  }

  /**
   * Writes the header of a final client frame (FIN set, mask bit set, zero mask key) into {@code dst} at 0 and
   * returns its length; the payload follows it unchanged.
   */
  public static int writeHeader(byte[] dst, int opcode, int payloadLength) {
    dst[0] = (byte) (0x80 | opcode);
    int i;
    if (payloadLength < 126) {
      dst[1] = (byte) (0x80 | payloadLength);
      i = 2;
    } else if (payloadLength <= 0xFFFF) {
      dst[1] = (byte) (0x80 | 126);
      dst[2] = (byte) (payloadLength >>> 8);
      dst[3] = (byte) payloadLength;
      i = 4;
    } else {
      dst[1] = (byte) (0x80 | 127);
      for (int b = 0; b < 8; b++) {
        dst[2 + b] = (byte) ((long) payloadLength >>> (56 - 8 * b));
      }
      i = 10;
    }
    dst[i] = 0;
    dst[i + 1] = 0;
    dst[i + 2] = 0;
    dst[i + 3] = 0;
    return i + 4;
  }

  /** A whole client frame: header plus {@code payload}. */
  public static byte[] frame(int opcode, byte[] payload) {
    int header = headerLength(payload.length);
    byte[] frame = new byte[header + payload.length];
    writeHeader(frame, opcode, payload.length);
    System.arraycopy(payload, 0, frame, header, payload.length);
    return frame;
  }

  /** A text frame holding {@code text} in UTF-8. */
  public static byte[] text(String text) {
    return frame(OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A close frame with a status code and no reason. */
  public static byte[] close(int code) {
    return frame(OP_CLOSE, new byte[] {(byte) (code >>> 8), (byte) code});
  }

  /** The {@code Sec-WebSocket-Accept} value a server must answer {@code key} with. */
  public static String acceptFor(String key) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every JDK", e);
    }
  }
}
