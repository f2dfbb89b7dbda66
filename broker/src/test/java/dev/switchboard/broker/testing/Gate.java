package dev.switchboard.broker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A server address that accepts TCP connections and never answers: a client's attempt to it hangs (as on a node
 * that froze) until the gate closes, which fails the waiting attempts.
 */
public final class Gate implements AutoCloseable {
  private final ServerSocket socket;

  public Gate() {
    try {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A WebSocket URL pointing at the gate. */
  public String url() {
    return "ws://127.0.0.1:" + socket.getLocalPort() + "/ws";
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
