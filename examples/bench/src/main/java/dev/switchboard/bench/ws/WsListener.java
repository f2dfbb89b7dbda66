package dev.switchboard.bench.ws;

import java.nio.ByteBuffer;

/**
 * What one connection of a {@link WsEngine} reports. Every method runs on the engine's thread; none may block.
 */
public interface WsListener {

  /** The handshake completed; {@link BenchSocket#sendText} may be used from now on. */
  void onOpen(BenchSocket connection);

  /**
   * A complete text message: {@code length} bytes of {@code buffer} from absolute index {@code offset}. The bytes are
   * valid only during the call (the buffer is reused); read them with absolute gets and do not keep the buffer.
   * {@code nowNanos} is {@link System#nanoTime()} taken when the bytes were read from the socket.
   */
  void onText(BenchSocket connection, ByteBuffer buffer, int offset, int length, long nowNanos);

  /**
   * The connection ended, once per connection: {@code code} from the server's close frame, 1006 when it dropped or
   * never opened ({@link BenchSocket#wasOpen()} says which), 1002 for a protocol error on our side.
   */
  void onClose(BenchSocket connection, int code, String reason);
}
