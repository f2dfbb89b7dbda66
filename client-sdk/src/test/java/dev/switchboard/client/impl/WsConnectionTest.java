package dev.switchboard.client.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reassembly of fragmented messages and its cap, with the JDK WebSocket replaced by {@link StubWebSocket}. */
class WsConnectionTest {
  private final Loop loop = new Loop("test-loop", () -> { });
  private final RecordingHandler handler = new RecordingHandler();
  private final StubWebSocket ws = new StubWebSocket();
  private final WsConnection connection =
      new WsConnection(URI.create("ws://localhost/ws"), handler, loop);

  @AfterEach
  void stopLoop() {
    loop.shutdown();
  }

  /** Records what the connection reports. */
  static final class RecordingHandler implements WsConnection.Handler {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void opened(WsConnection connection) {
      events.add("opened");
    }

    @Override
    public void frame(WsConnection connection, Frame frame) {
      events.add("frame " + frame.type() + " " + frame.data());
    }

    @Override
    public void lost(WsConnection connection, int code, String reason) {
      events.add("lost " + code);
    }

    @Override
    public void refused(WsConnection connection, int status, String reason) {
      events.add("refused " + status);
    }
  }

  /** A WebSocket that only records demand and abort. */
  static final class StubWebSocket implements WebSocket {
    volatile long requested;
    volatile boolean aborted;

    @Override
    public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public void request(long n) {
      requested += n;
    }

    @Override
    public String getSubprotocol() {
      return "";
    }

    @Override
    public boolean isOutputClosed() {
      return aborted;
    }

    @Override
    public boolean isInputClosed() {
      return aborted;
    }

    @Override
    public void abort() {
      aborted = true;
    }
  }

  @Test
  void theCapFollowsTheNodesFrameLimit() {
    assertThat(WsConnection.messageCap(-1)).isEqualTo(16L * 1024 * 1024);
    assertThat(WsConnection.messageCap(65536)).isEqualTo(2 * 65536 + 64 * 1024);
    assertThat(WsConnection.messageCap(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE - 8);
    assertThat(WsConnection.messageCap(Integer.MAX_VALUE / 2)).isEqualTo(Integer.MAX_VALUE - 8);
  }

  @Test
  void fragmentsWithinTheCapAreReassembled() {
    connection.onOpen(ws);
    connection.limitMessages(1);
    String data = "\"" + "x".repeat(60_000) + "\"";
    connection.onText(ws, "{\"type\":\"message\",\"topic\":\"t\",\"data\":", false);
    connection.onText(ws, data, false);
    connection.onText(ws, "}", true);
    await().atMost(Duration.ofSeconds(5)).until(() -> handler.events.size() == 2);
    assertThat(handler.events).containsExactly("opened", "frame message " + data);
    assertThat(ws.aborted).isFalse();
    assertThat(ws.requested).isEqualTo(4);
  }

  @Test
  void aMessageOverTheCapDropsTheConnection() {
    connection.onOpen(ws);
    connection.limitMessages(1); // cap: 2 + 64 KiB chars
    connection.onText(ws, "{\"type\":\"message\",\"data\":\"" + "x".repeat(40_000), false);
    assertThat(ws.aborted).isFalse();
    connection.onText(ws, "x".repeat(40_000), false);
    assertThat(ws.aborted).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> handler.events.contains("lost " + WsConnection.ABNORMAL));

    long demand = ws.requested;
    connection.onText(ws, "\"}", true);
    assertThat(ws.requested).isEqualTo(demand);
    assertThat(handler.events).containsExactly("opened", "lost " + WsConnection.ABNORMAL);
  }

  @Test
  void oneWholeMessageOverTheCapDropsTheConnectionToo() {
    connection.onOpen(ws);
    connection.limitMessages(1);
    connection.onText(ws, "x".repeat(70_000), true);
    assertThat(ws.aborted).isTrue();
  }
}
