package dev.switchboard.client.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatchdogTest {
  private final Loop loop = new Loop("test-loop", () -> { });
  private final List<String> expired = new CopyOnWriteArrayList<>();
  private final AtomicInteger pings = new AtomicInteger();
  private final ScheduledExecutorService server = Executors.newSingleThreadScheduledExecutor();
  private final WsConnectionTest.StubWebSocket ws = new WsConnectionTest.StubWebSocket();
  private final WsConnection connection = new WsConnection(URI.create("ws://localhost/ws"),
      new WsConnectionTest.RecordingHandler(), loop);

  @AfterEach
  void stop() {
    server.shutdownNow();
    loop.shutdown();
  }

  private Watchdog watchdog(Duration connectTimeout) {
    return new Watchdog(loop, connectTimeout, (c, why) -> expired.add(why));
  }

  /** The node keeps the connection busy (opened, then a ping every 10 ms) without ever sending welcome. */
  private void chatterWithoutWelcome() {
    connection.onOpen(ws);
    server.scheduleAtFixedRate(() -> {
      connection.onPing(ws, ByteBuffer.allocate(0));
      pings.incrementAndGet();
    }, 0, 10, TimeUnit.MILLISECONDS);
  }

  @Test
  void connectTimeoutIsOneDeadlineFromTheStartOfTheAttemptToWelcome() {
    Watchdog watchdog = watchdog(Duration.ofMillis(200));
    loop.execute(() -> watchdog.connecting(connection));
    chatterWithoutWelcome();
    await().atMost(Duration.ofSeconds(5)).until(() -> !expired.isEmpty());
    assertThat(expired).containsExactly("no welcome within connectTimeout 200 ms");
  }

  @Test
  void afterWelcomeOnlySilenceCounts() {
    Watchdog watchdog = watchdog(Duration.ofMillis(50));
    loop.execute(() -> {
      watchdog.connecting(connection);
      watchdog.welcomed(connection, TimeUnit.MILLISECONDS.toNanos(300));
    });
    chatterWithoutWelcome();
    await().atMost(Duration.ofSeconds(10)).until(() -> pings.get() >= 60); // twice the silence limit, and more
    assertThat(expired).isEmpty();

    server.shutdownNow();
    await().atMost(Duration.ofSeconds(5)).until(() -> !expired.isEmpty());
    assertThat(expired.get(0)).startsWith("nothing received for ");
  }
}
