package dev.switchboard.broker.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written on a plain socket, for what a well-behaved client library will not send: unmasked or
 * malformed frames, several frames in one TCP write, pings and close frames by hand. Reads block for at most the
 * socket timeout (a test fails rather than hangs).
 */
public final class RawWebSocket implements AutoCloseable {
  public static final int CONTINUATION = 0;
  public static final int TEXT = 1;
  public static final int CLOSE = 8;
  public static final int PING = 9;
  public static final int PONG = 10;

  /** The opening handshake a browser sends, with the key of RFC 6455's example. */
  public static final String HANDSHAKE = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  /** One frame as read: its opcode and payload. */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** A close frame's status code (-1 when it carries none). */
    public int closeCode() {
      return payload.length < 2 ? -1 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }

    /** A close frame's reason. */
    public String closeReason() {
      return payload.length <= 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }
  }

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** The node's answer to an opening handshake: its status line and headers (names in lower case), and its body. */
  public record Response(String statusLine, Map<String, List<String>> headers, String body) {
    public int status() {
      return Integer.parseInt(statusLine.split(" ")[1]);
    }

    /** The values of header {@code name} (any case), in order; empty if there is none. */
    public List<String> header(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }
  }

  /** Connects to {@code /ws} on the loopback {@code port} and completes the handshake. */
  public static RawWebSocket open(int port) {
    return open(port, 0);
  }

  /**
   * The same with a socket receive buffer of about {@code receiveBufferBytes} (0: the system's): what the node
   * sends past it waits on the node's side until this client reads.
   */
  public static RawWebSocket open(int port, int receiveBufferBytes) {
    RawWebSocket ws = request(port, HANDSHAKE, receiveBufferBytes);
    Response response = ws.response();
    if (response.status() != 101) {
      ws.close();
      throw new IllegalStateException("handshake refused: " + response.statusLine());
    }
    return ws;
  }

  /** Connects to the loopback {@code port} and writes {@code request} as it is, in one write. */
  public static RawWebSocket request(int port, String request) {
    return request(port, request, 0);
  }

  private static RawWebSocket request(int port, String request, int receiveBufferBytes) {
    try {
      Socket socket = new Socket();
      if (receiveBufferBytes > 0) {
        socket.setReceiveBufferSize(receiveBufferBytes); // before connecting: it sets the window offered
      }
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(10_000);
      RawWebSocket ws = new RawWebSocket(socket);
      ws.out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      ws.out.flush();
      return ws;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the node's answer to the request: the head, then the body its {@code Content-Length} gives (if any). */
  public Response response() {
    try {
      String[] lines = readHead().split("\r\n");
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(lines[i].substring(colon + 1).trim());
      }
      List<String> length = headers.getOrDefault("content-length", List.of());
      byte[] body = new byte[length.isEmpty() ? 0 : Integer.parseInt(length.get(0))];
      in.readFully(body);
      return new Response(lines[0], headers, new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (true) {
      head.write(in.readUnsignedByte());
      byte[] b = head.toByteArray();
      int n = b.length;
      if (n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n') {
        return head.toString(StandardCharsets.US_ASCII);
      }
    }
  }

  /** One final frame as a client sends it ({@code masked}) or as a client must not ({@code !masked}). */
  public static byte[] frame(int opcode, byte[] payload, boolean masked) {
    return frame(opcode, payload, masked, true);
  }

  /** One frame, the last of its message ({@code fin}) or not. */
  public static byte[] frame(int opcode, byte[] payload, boolean masked, boolean fin) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write((fin ? 0x80 : 0) | opcode);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      frame.write(maskBit | payload.length);
    } else if (payload.length <= 0xFFFF) {
      frame.write(maskBit | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xFF);
    } else {
      frame.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >> shift) & 0xFF);
      }
    }
    byte[] mask = new byte[4];
    if (masked) {
      ThreadLocalRandom.current().nextBytes(mask);
      frame.writeBytes(mask);
    }
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i & 3]);
    }
    return frame.toByteArray();
  }

  public static byte[] text(String text) {
    return frame(TEXT, text.getBytes(StandardCharsets.UTF_8), true);
  }

  /** A close frame's payload: the code, then the reason. */
  public static byte[] closePayload(int code, String reason) {
    byte[] r = reason.getBytes(StandardCharsets.UTF_8);
    byte[] p = new byte[2 + r.length];
    p[0] = (byte) (code >> 8);
    p[1] = (byte) code;
    System.arraycopy(r, 0, p, 2, r.length);
    return p;
  }

  /** Writes these frames in one write (so that the node reads them together). */
  public RawWebSocket write(byte[]... frames) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] f : frames) {
      all.writeBytes(f);
    }
    try {
      out.write(all.toByteArray());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** The next frame from the node (the node's frames are not masked, and not fragmented). */
  public Frame read() {
    try {
      int b0 = in.readUnsignedByte();
      int b1 = in.readUnsignedByte();
      long length = b1 & 0x7F;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      return new Frame(b0 & 0x0F, payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next frame that is not one of the protocol's own {@code ping} messages. */
  public Frame readSkippingPings() {
    while (true) {
      Frame f = read();
      if (f.opcode() != TEXT || !f.text().contains("\"type\":\"ping\"")) {
        return f;
      }
    }
  }

  /** Ends what this client sends (a TCP FIN), reading on. */
  public void shutdownOutput() {
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the node has closed the TCP connection: the next read ends the stream (anything still unread fails). */
  public boolean endOfStream() {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // a reset is an end too
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
