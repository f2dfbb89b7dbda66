package dev.switchboard.broker;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.FreezableProxy;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Java SDK while it has no connection, and callbacks that wait on their own client: what is asked offline waits
 * for the next connection (up to {@code offlineTimeout}, not the shorter request timeout), and a wait that could only
 * end on the thread it holds throws at once.
 */
@ExtendWith(VertxExtension.class)
class SdkOfflineTest {
  static TestCluster cluster;
  static Clients sdk;

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(1);
    sdk = new Clients();
  }

  @AfterAll
  static void stop() {
    sdk.close();
    cluster.close();
  }

  @Test
  void whatIsAskedDuringA30SecondOutageIsDoneOnReconnect() {
    try (FreezableProxy proxy = FreezableProxy.start(cluster.clients(), cluster.node(0).port())) {
      Clients.Recorded client = sdk.connect(proxy.url());
      List<Object> received = new CopyOnWriteArrayList<>();
      SwitchboardClient watcher = sdk.connect(cluster.url(0)).client;
      Clients.join(watcher.subscribe("offline.news", m -> received.add(m.data())));

      proxy.cut();
      client.awaitEvent(ConnectionState.DISCONNECTED, 1);
      List<Object> mine = new CopyOnWriteArrayList<>();
      CompletableFuture<?> subscribed = client.client.subscribe("offline.mine", m -> mine.add(m.data()))
          .toCompletableFuture();
      CompletableFuture<Void> published = client.client.publish("offline.news", "sent while offline")
          .toCompletableFuture();
      long outageEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      // The outage lasts 30 s, three times the request timeout: nothing asked meanwhile fails.
      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1))
          .until(() -> System.nanoTime() >= outageEnds || published.isDone() || subscribed.isDone());
      assertThat(published).isNotDone();
      assertThat(subscribed).isNotDone();
      proxy.restore();

      assertThat(published).succeedsWithin(Duration.ofSeconds(30));
      assertThat(subscribed).succeedsWithin(Duration.ofSeconds(30));
      await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("sent while offline"));
      Clients.join(watcher.publish("offline.mine", 7));
      await().atMost(Duration.ofSeconds(10)).until(() -> mine.contains(7));
      assertThat(client.client.stats().reconnects()).isEqualTo(1);
    }
  }

  @Test
  void aPublishLeftOfflineLongerThanTheOfflineTimeoutFailsAndIsNeverSent() {
    try (FreezableProxy proxy = FreezableProxy.start(cluster.clients(), cluster.node(0).port())) {
      Clients.Recorded client = sdk.connect(b -> b.offlineTimeout(Duration.ofSeconds(1)), proxy.url());
      List<Object> received = new CopyOnWriteArrayList<>();
      SwitchboardClient watcher = sdk.connect(cluster.url(0)).client;
      Clients.join(watcher.subscribe("offline.late", m -> received.add(m.data())));
      proxy.cut();
      client.awaitEvent(ConnectionState.DISCONNECTED, 1);
      CompletableFuture<Void> late = client.client.publish("offline.late", "too late").toCompletableFuture();
      await().atMost(Duration.ofSeconds(10)).until(late::isDone);
      assertThat(SdkPressureTest.code(late)).isEqualTo(SwitchboardException.TIMEOUT);
      assertThat(client.client.stats().publishesPending()).isZero();

      proxy.restore();
      client.awaitEvent(ConnectionState.RECONNECTED, 1);
      Clients.join(client.client.publish("offline.late", "marker"));
      await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("marker"));
      assertThat(received).containsExactly("marker");
    }
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aHandlerThatJoinsItsOwnClientsStageIsToldAtOnce(VertxTestContext ctx) {
    SwitchboardClient client = sdk.connect(cluster.url(0)).client;
    Checkpoint refused = ctx.checkpoint();
    Checkpoint chained = ctx.checkpoint();
    Checkpoint doneStageJoins = ctx.checkpoint();
    Clients.join(client.subscribe("reentrant.in", m -> {
      CompletionStage<Void> ack = client.publish("reentrant.out", m.data());
      long start = System.nanoTime();
      try {
        ack.toCompletableFuture().join();
        ctx.failNow(new AssertionError("join() on the dispatcher returned, which can only happen by luck"));
      } catch (IllegalStateException e) {
        ctx.verify(() -> {
          assertThat(e.getMessage()).contains("would wait forever").contains("thenAccept");
          assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
        });
        refused.flag();
      }
      ack.thenAccept(v -> {
        chained.flag();
        // A stage already complete may be waited for anywhere.
        ack.toCompletableFuture().join();
        doneStageJoins.flag();
      });
    }));
    client.publish("reentrant.in", 1);
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void connectedCompletesOnTheFirstWelcome(VertxTestContext ctx) {
    SwitchboardClient client = sdk.connect(cluster.url(0)).client;
    client.connected().whenComplete((v, err) -> ctx.verify(() -> {
      assertThat(err).isNull();
      assertThat(client.nodeId()).isEqualTo(cluster.node(0).nodeId());
      ctx.completeNow();
    }));
  }
}
