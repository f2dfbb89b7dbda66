package dev.switchboard.broker;

import dev.switchboard.broker.testing.RawWebSocket;
import dev.switchboard.broker.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebSocket layer the node runs itself once Vert.x has upgraded a connection, seen from a hand-written client:
 * control frames, the closing handshake, frames a client must not send, and several frames in one TCP write.
 */
class WebSocketFramingTest {
  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(1);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static RawWebSocket welcomed() {
    RawWebSocket ws = RawWebSocket.open(cluster.node(0).port());
    assertThat(ws.read().text()).contains("\"type\":\"welcome\"");
    return ws;
  }

  @Test
  void aWebSocketPingIsAnsweredWithAPongCarryingItsPayload() {
    try (RawWebSocket ws = welcomed()) {
      ws.write(RawWebSocket.frame(RawWebSocket.PING, "are you there".getBytes(StandardCharsets.UTF_8), true));
      RawWebSocket.Frame pong = ws.readSkippingPings();
      assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
      assertThat(pong.text()).isEqualTo("are you there");
    }
  }

  @Test
  void theClientsCloseIsAnsweredWithItsCodeAndTheNodeEndsTheConnection() {
    try (RawWebSocket ws = welcomed()) {
      ws.write(RawWebSocket.frame(RawWebSocket.CLOSE, RawWebSocket.closePayload(1000, "bye"), true));
      RawWebSocket.Frame close = ws.readSkippingPings();
      assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1000);
      assertThat(ws.endOfStream()).isTrue();
    }
  }

  @Test
  void anUnmaskedFrameClosesWithProtocolError() {
    try (RawWebSocket ws = welcomed()) {
      ws.write(RawWebSocket.frame(RawWebSocket.TEXT,
          "{\"type\":\"subscribe\",\"topic\":\"a\"}".getBytes(StandardCharsets.UTF_8), false));
      RawWebSocket.Frame close = ws.readSkippingPings();
      assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1002);
      assertThat(close.closeReason()).isEqualTo("protocol_error");
      // The node no longer parses frames from this client (its close frame would be dropped): the client's FIN ends
      // the connection, well before the node's closing timeout.
      ws.shutdownOutput();
      assertThat(ws.endOfStream()).isTrue();
    }
  }

  @Test
  void framesWrittenTogetherAreAllAnswered() {
    try (RawWebSocket ws = welcomed()) {
      ws.write(RawWebSocket.text("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"together\"}"),
          RawWebSocket.text("{\"type\":\"publish\",\"id\":\"2\",\"topic\":\"together\",\"data\":7}"));
      assertThat(ws.readSkippingPings().text()).contains("\"type\":\"subscribed\"", "\"id\":\"1\"");
      // The publish's ack and its delivery back to this subscriber, in either order.
      assertThat(ws.readSkippingPings().text() + ws.readSkippingPings().text())
          .contains("\"type\":\"ack\"", "\"type\":\"message\"", "\"data\":7");
    }
  }
}
