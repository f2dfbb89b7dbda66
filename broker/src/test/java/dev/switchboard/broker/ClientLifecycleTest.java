package dev.switchboard.broker;

import dev.switchboard.broker.testing.Ports;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.ConnectionEvent;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Switchboard;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The SDK's life without a node to talk to: giving up, closing mid-connect, failing what was pending, close waiting
 * for the last event.
 */
class ClientLifecycleTest {

  @Test
  void givesUpAfterMaxReconnectAttemptsAndFailsWhatWasPending() {
    List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
    SwitchboardClient client = Switchboard.connect(ClientOptions.builder()
        .servers("ws://127.0.0.1:" + Ports.free() + "/ws")
        .reconnectDelayMin(Duration.ofMillis(10)).reconnectDelayMax(Duration.ofMillis(50))
        .maxReconnectAttempts(2)
        .connectionListener(events::add)
        .build());
    try {
      CompletableFuture<Void> publish = client.publish("t", 1).toCompletableFuture();
      await().atMost(Duration.ofSeconds(20)).until(() -> client.state() == ConnectionState.CLOSED);
      assertThat(events).extracting(ConnectionEvent::type).containsExactly(ConnectionState.CLOSED);
      assertThatThrownBy(() -> publish.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(SwitchboardException.class)
          .extracting(e -> ((SwitchboardException) e).code()).isEqualTo(SwitchboardException.CLOSED);
    } finally {
      client.close();
    }
  }

  @Test
  void closeReturnsOnceTheClosedEventHasBeenDispatched() {
    List<ConnectionState> seen = new CopyOnWriteArrayList<>();
    SwitchboardClient client = Switchboard.connect(ClientOptions.builder()
        .servers("ws://127.0.0.1:" + Ports.free() + "/ws")
        .connectionListener(e -> {
          // A listener that takes its time: close() must not return (and let a main end the JVM) before it ran.
          long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
          while (System.nanoTime() < until) {
            Thread.onSpinWait();
          }
          seen.add(e.type());
        })
        .build());
    client.close();
    assertThat(seen).containsExactly(ConnectionState.CLOSED);
  }

  @Test
  void closeWhileTheHandshakeHangsEndsTheClientAndFailsPendingWork() throws IOException {
    // A socket that accepts TCP and never answers the upgrade: the client is stuck in its connect.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (!silent.isClosed()) {
            accepted.add(silent.accept());
          }
        } catch (IOException ignored) {
          // closed
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      SwitchboardClient client = Switchboard.connect(ClientOptions.builder()
          .servers("ws://127.0.0.1:" + silent.getLocalPort() + "/ws")
          .connectTimeout(Duration.ofSeconds(30))
          .build());
      CompletableFuture<?> subscribe = client.subscribe("t", m -> { }).toCompletableFuture();
      await().atMost(Duration.ofSeconds(10)).until(() -> !accepted.isEmpty());
      assertThat(client.state()).isEqualTo(ConnectionState.CONNECTING);

      client.close();

      assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
      assertThatThrownBy(() -> subscribe.get(10, TimeUnit.SECONDS)).cause()
          .isInstanceOf(SwitchboardException.class)
          .extracting(e -> ((SwitchboardException) e).code()).isEqualTo(SwitchboardException.CLOSED);
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }
}
