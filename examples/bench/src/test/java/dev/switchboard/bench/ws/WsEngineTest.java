package dev.switchboard.bench.ws;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The client engine against a real Vert.x WebSocket server that sends the frames under test. */
class WsEngineTest {
  private Vertx vertx;
  private HttpServer server;
  private volatile Consumer<ServerWebSocket> onConnect = ws -> { };

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().webSocketHandler(ws -> onConnect.accept(ws)).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void readsFragmentedAndLargeMessagesAnswersPingsAndReportsTheCloseCode() throws Exception {
    String big = "x".repeat(100_000);
    CompletableFuture<Buffer> pong = new CompletableFuture<>();
    CompletableFuture<String> received = new CompletableFuture<>();
    onConnect = ws -> {
      ws.pongHandler(pong::complete);
      ws.textMessageHandler(received::complete);
      ws.writeFrame(WebSocketFrame.textFrame("frag", false));
      ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("mented"), true));
      ws.writeTextMessage(big);
      ws.writeFrame(WebSocketFrame.pingFrame(Buffer.buffer("hi")));
      ws.writeTextMessage("last");
    };
    Recorder recorder = new Recorder();
    try (WsEngine engine = WsEngine.start("test-engine")) {
      engine.call(() -> engine.connect(new InetSocketAddress("127.0.0.1", server.actualPort()), "/ws", null,
          recorder)).get(10, TimeUnit.SECONDS);
      assertThat(pong.get(10, TimeUnit.SECONDS).toString()).isEqualTo("hi");
      recorder.await(3);
      assertThat(recorder.texts).containsExactly("fragmented", big, "last");

      engine.execute(() -> recorder.connection.sendText("to server"));
      assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("to server");
    }
  }

  @Test
  void reportsTheServersCloseCodeOnce() throws Exception {
    onConnect = ws -> ws.close((short) 4001, "slow_consumer");
    Recorder recorder = new Recorder();
    try (WsEngine engine = WsEngine.start("test-engine")) {
      engine.execute(() -> engine.connect(new InetSocketAddress("127.0.0.1", server.actualPort()), "/ws", null,
          recorder));
      assertThat(recorder.closed.get(10, TimeUnit.SECONDS)).isEqualTo("4001 slow_consumer");
      assertThat(recorder.opened).isTrue();
    }
  }

  @Test
  void aRefusedConnectionIsReportedAsNeverOpened() throws Exception {
    Recorder recorder = new Recorder();
    int closedPort = server.actualPort();
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try (WsEngine engine = WsEngine.start("test-engine")) {
      engine.execute(() -> engine.connect(new InetSocketAddress("127.0.0.1", closedPort), "/ws", null, recorder));
      assertThat(recorder.closed.get(10, TimeUnit.SECONDS)).startsWith("1006");
      assertThat(recorder.opened).isFalse();
    }
  }

  private static final class Recorder implements WsListener {
    final List<String> texts = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    volatile boolean opened;
    volatile BenchSocket connection;

    @Override
    public void onOpen(BenchSocket c) {
      opened = true;
      connection = c;
    }

    @Override
    public void onText(BenchSocket c, ByteBuffer buffer, int offset, int length, long nowNanos) {
      byte[] bytes = new byte[length];
      buffer.get(offset, bytes);
      texts.add(new String(bytes, StandardCharsets.UTF_8));
    }

    @Override
    public void onClose(BenchSocket c, int code, String reason) {
      closed.complete(code + " " + reason);
    }

    void await(int count) {
      org.awaitility.Awaitility.await().pollInterval(java.time.Duration.ofMillis(10))
          .atMost(java.time.Duration.ofSeconds(10)).until(() -> texts.size() >= count);
    }
  }
}
