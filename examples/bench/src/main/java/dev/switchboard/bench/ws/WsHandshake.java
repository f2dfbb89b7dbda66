package dev.switchboard.bench.ws;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The HTTP upgrade of a client connection. Every connection uses the same {@code Sec-WebSocket-Key}: the key only
 * proves the server speaks WebSocket, and one fixed key saves a SHA-1 per connection.
 */
final class WsHandshake {
  static final String KEY = Base64.getEncoder().encodeToString("switchboardbench".getBytes(StandardCharsets.US_ASCII));
  static final String ACCEPT = WsFrames.acceptFor(KEY);
  /** A response header longer than this is refused. */
  static final int MAX_RESPONSE_HEADER = 8192;

  private WsHandshake() {
  }

  static byte[] request(String host, int port, String path) {
    return ("GET " + path + " HTTP/1.1\r\n"
        + "Host: " + host + ":" + port + "\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + KEY + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** The index just past the blank line ending the response header in {@code [from, limit)}, or -1. */
  static int headerEnd(ByteBuffer buffer, int from, int limit) {
    for (int i = from; i + 3 < limit; i++) {
      if (buffer.get(i) == '\r' && buffer.get(i + 1) == '\n' && buffer.get(i + 2) == '\r' && buffer.get(i + 3) == '\n') {
        return i + 4;
      }
    }
    return -1;
  }

  /** Null when {@code header} (the response up to the blank line) accepts the upgrade, else what is wrong. */
  static String check(String header) {
    String[] lines = header.split("\r\n");
    if (lines.length == 0 || !lines[0].matches("HTTP/1\\.1 101( .*)?")) {
      return "handshake refused: " + (lines.length == 0 ? "empty response" : lines[0]);
    }
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-accept")) {
        return line.substring(colon + 1).trim().equals(ACCEPT) ? null : "handshake: wrong Sec-WebSocket-Accept";
      }
    }
    return "handshake: no Sec-WebSocket-Accept";
  }
}
