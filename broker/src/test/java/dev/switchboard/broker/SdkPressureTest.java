package dev.switchboard.broker;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.FreezableProxy;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.client.ClientStats;
import dev.switchboard.client.ConnectionEvent;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Java SDK against a real node under pressure: a handler slower than the publishes, a node that sheds the client,
 * and a close or drain right after a burst. Nothing is lost without a count or a failed stage that says so.
 */
class SdkPressureTest {
  static final int MAX_PENDING = 256 * 1024;
  static TestCluster cluster;
  static Clients sdk;

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(1, o -> o.maxPendingBytes(MAX_PENDING).instances(1)
        .history(List.of(HistoryRule.parse("pressure.h.>/10000/5m"))));
    sdk = new Clients();
  }

  @AfterAll
  static void stop() {
    sdk.close();
    cluster.close();
  }

  /** A handler that takes about {@code micros} per message, without sleeping through the scheduler's granularity. */
  static void work(long micros) {
    long until = System.nanoTime() + micros * 1000;
    while (System.nanoTime() < until) {
      LockSupport.parkNanos(50_000);
    }
  }

  @Test
  void aSlowHandlerOnAPlainTopicDropsAndCountsEveryMessageItDoesNotHandle() {
    int total = 3000;
    AtomicInteger handled = new AtomicInteger();
    Clients.Recorded slow = sdk.connect(b -> b.maxDispatchBacklog(50), cluster.url(0));
    Clients.join(slow.client.subscribe("pressure.plain", m -> {
      handled.incrementAndGet();
      work(2000);
    }));
    long shedBefore = cluster.node(0).stats().slowConsumerCloses();
    SwitchboardClient publisher = sdk.connect(cluster.url(0)).client;
    for (int i = 0; i < total; i++) {
      publisher.publish("pressure.plain", i);
    }
    Clients.join(publisher.flush(Duration.ofSeconds(30)));

    // Every message reached the client (it never stopped reading), and each was handled or dropped and counted.
    await().atMost(Duration.ofSeconds(60)).until(() -> slow.client.stats().messagesReceived() == total
        && handled.get() + slow.client.stats().messagesDropped() == total);
    ClientStats stats = slow.client.stats();
    assertThat(stats.messagesDropped()).as("the handler is ~20x too slow: most messages are dropped").isPositive();
    assertThat(handled.get()).isGreaterThanOrEqualTo(50);
    assertThat(slow.client.state()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(slow.count(ConnectionState.DISCONNECTED)).isZero();
    assertThat(cluster.node(0).stats().slowConsumerCloses()).isEqualTo(shedBefore);
  }

  @Test
  void aSlowHandlerOnAHistoryTopicGetsEveryMessageInOrderOnce() {
    int total = 1500;
    List<Integer> seen = new CopyOnWriteArrayList<>();
    Clients.Recorded slow = sdk.connect(b -> b.maxDispatchBacklog(40), cluster.url(0));
    Clients.join(slow.client.subscribe("pressure.h.orders", m -> {
      seen.add(((Number) m.data()).intValue());
      work(1000);
    }));
    SwitchboardClient publisher = sdk.connect(cluster.url(0)).client;
    for (int i = 0; i < total; i++) {
      publisher.publish("pressure.h.orders", i);
    }
    Clients.join(publisher.flush(Duration.ofSeconds(30)));

    await().atMost(Duration.ofSeconds(90)).until(() -> seen.size() >= total);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      expected.add(i);
    }
    assertThat(seen).as("in order, none twice, none skipped").isEqualTo(expected);
    assertThat(slow.client.stats().messagesDropped()).isZero();
    assertThat(slow.client.stats().messagesReceived()).as("caught up from the store: some came twice on the wire")
        .isGreaterThan(total);
  }

  @Test
  void aShedClientSeesTheNodesCloseCodeAheadOfTheMessagesStillQueued() {
    try (FreezableProxy proxy = FreezableProxy.start(cluster.clients(), cluster.node(0).port());
         Probe publisher = Probe.connect(cluster.clients(), cluster.node(0).port()).answerPings(true)) {
      AtomicInteger handled = new AtomicInteger();
      AtomicReference<String> atEvent = new AtomicReference<>();
      AtomicReference<SwitchboardClient> self = new AtomicReference<>();
      Clients.Recorded shed = sdk.connect(proxy.url());
      self.set(shed.client);
      shed.client.addConnectionListener(e -> {
        if (e.type() == ConnectionState.DISCONNECTED && atEvent.get() == null) {
          ClientStats s = self.get().stats();
          // No longer the lost connection's CONNECTED: DISCONNECTED, or already on the way back (the first reconnect
          // delay is 0-50 ms, and the event waits for the handler running now, 20 ms, never for the queued ones).
          ConnectionState state = self.get().state();
          boolean stale = state == ConnectionState.CONNECTED && s.reconnects() == 0;
          atEvent.set("queued=" + (s.messagesReceived() - s.messagesDropped() - handled.get()) + " state="
              + (stale ? "CONNECTED (the lost connection)" : "left (" + state + ")"));
        }
      });
      Clients.join(shed.client.subscribe("pressure.shed", m -> {
        handled.incrementAndGet();
        work(20_000);
      }));
      proxy.holdNode();
      long shedBefore = cluster.node(0).stats().slowConsumerCloses();
      String payload = "\"" + "x".repeat(2000) + "\"";
      for (int i = 0; i < 20_000 && cluster.node(0).stats().slowConsumerCloses() == shedBefore; i++) {
        publisher.send("{\"type\":\"publish\",\"id\":\"p" + i + "\",\"topic\":\"pressure.shed\",\"data\":" + payload
            + "}").nextMatching(f -> "ack".equals(f.getString("type")));
      }
      assertThat(cluster.node(0).stats().slowConsumerCloses()).isEqualTo(shedBefore + 1);
      proxy.release();

      shed.awaitEvent(ConnectionState.DISCONNECTED, 1);
      ConnectionEvent event = shed.events.stream().filter(e -> e.type() == ConnectionState.DISCONNECTED)
          .findFirst().orElseThrow();
      assertThat(event.closeCode()).isEqualTo(4001);
      assertThat(event.reason()).isEqualTo("slow_consumer");
      // The event ran while deliveries of the lost connection still waited for the handler.
      await().atMost(Duration.ofSeconds(10)).until(() -> atEvent.get() != null);
      assertThat(atEvent.get()).doesNotContain("queued=0 ").contains("state=left");
      shed.awaitEvent(ConnectionState.RECONNECTED, 1);
      assertThat(shed.client.stats().reconnects()).isEqualTo(1);
      shed.client.close();
    }
  }

  @Test
  void closeRightAfterABurstNeverFailsAPublishThatArrives() {
    Map<Integer, Boolean> arrived = new ConcurrentHashMap<>();
    SwitchboardClient watcher = sdk.connect(cluster.url(0)).client;
    Clients.join(watcher.subscribe("pressure.burst", m -> arrived.put(((Number) m.data()).intValue(), true)));
    long connections = cluster.node(0).stats().connections();
    SwitchboardClient burst = sdk.connect(cluster.url(0)).client;
    List<CompletableFuture<Void>> stages = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      stages.add(burst.publish("pressure.burst", i).toCompletableFuture());
    }
    burst.close();
    assertThat(burst.state()).isEqualTo(ConnectionState.CLOSED);
    await().atMost(Duration.ofSeconds(10)).until(() -> stages.stream().allMatch(CompletableFuture::isDone));

    // The node handled every frame of that connection once it is gone; its one event loop delivered them by then.
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(0).stats().connections() == connections);
    Clients.join(watcher.publish("pressure.burst", -1));
    await().atMost(Duration.ofSeconds(10)).until(() -> arrived.containsKey(-1));
    int acked = 0;
    for (int i = 0; i < stages.size(); i++) {
      String code = code(stages.get(i));
      if (code == null) {
        acked++;
        assertThat(arrived).as("acked publish %d arrived", i).containsKey(i);
      } else if (code.equals(SwitchboardException.CLOSED)) {
        assertThat(arrived).as("publish %d failed closed, so it was never sent", i).doesNotContainKey(i);
      } else {
        assertThat(code).as("publish %d", i).isEqualTo(SwitchboardException.CONNECTION_LOST);
      }
    }
    assertThat(arrived.size() - 1).isGreaterThanOrEqualTo(acked);
  }

  @Test
  void drainDeliversEveryPublishCalledBeforeIt() {
    AtomicInteger arrived = new AtomicInteger();
    SwitchboardClient watcher = sdk.connect(cluster.url(0)).client;
    Clients.join(watcher.subscribe("pressure.drain", m -> arrived.incrementAndGet()));
    SwitchboardClient burst = sdk.connect(cluster.url(0)).client;
    AtomicLong acked = new AtomicLong();
    for (int i = 0; i < 1000; i++) {
      burst.publish("pressure.drain", i).thenRun(acked::incrementAndGet);
    }
    Clients.join(burst.drain(Duration.ofSeconds(30)));

    assertThat(acked.get()).isEqualTo(1000);
    assertThat(burst.state()).isEqualTo(ConnectionState.CLOSED);
    assertThat(burst.stats().publishesPending()).isZero();
    assertThat(code(burst.publish("pressure.drain", 1).toCompletableFuture())).isEqualTo(SwitchboardException.CLOSED);
    await().atMost(Duration.ofSeconds(10)).until(() -> arrived.get() == 1000);
  }

  /** The failure code of a completed stage, or null when it succeeded. */
  static String code(CompletableFuture<?> stage) {
    try {
      stage.join();
      return null;
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause() instanceof SwitchboardException s ? s.code() : String.valueOf(e.getCause());
    }
  }
}
