package dev.switchboard.broker.process;

import dev.switchboard.broker.routing.Subscriber;
import dev.switchboard.broker.testing.Clients;
import dev.switchboard.client.ConnectionEvent;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM drains a node under a light publish load: its SDK clients are closed with 4002 spread over the drain window,
 * move to the other nodes in their server list, and receive every message published after they are back; the
 * process exits 0 within the window plus its bound.
 */
@ExtendWith(ProcessReaper.class)
class DrainIT {
  private static final long WINDOW_MS = 3000;
  private static final int CLIENTS = 10;
  private static final int AFTER_RETURN = 50;
  private static final String TOPIC = "drain.load";
  private static final String RECONNECTED = "reconnected";
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** One subscriber: what it saw, in the order its dispatcher saw it (messages as seq numbers, and events). */
  private record Subscriber(Clients.Recorded sdk, List<Object> log, AtomicLong disconnectedAt) {
    List<Integer> seqsAfterReturn() {
      List<Integer> after = new ArrayList<>();
      boolean back = false;
      for (Object entry : log) {
        if (RECONNECTED.equals(entry)) {
          back = true;
        } else if (back && entry instanceof Integer seq) {
          after.add(seq);
        }
      }
      return after;
    }
  }

  @Test
  void sigtermMovesClientsToTheOtherNodesSpreadOverTheWindowAndExitsZero() {
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    try (ProcessCluster cluster = ProcessCluster.start(3, "--drain-window-ms", String.valueOf(WINDOW_MS),
        "--instances", "2"); Clients clients = new Clients()) {
      NodeProcess drained = cluster.node(0);
      Clients.Recorded publisher = clients.connect(cluster.url(2));
      List<Subscriber> subscribers = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        subscribers.add(subscribe(clients, cluster));
      }
      assertThat(subscribers).allMatch(s -> drained.nodeId().equals(s.sdk().client.nodeId()));

      AtomicInteger lastSent = new AtomicInteger();
      load.scheduleAtFixedRate(() -> publisher.client.publish(TOPIC, Map.of("seq", lastSent.incrementAndGet())),
          0, 20, TimeUnit.MILLISECONDS);
      await().atMost(WAIT).until(() -> subscribers.stream().allMatch(s -> !s.log().isEmpty()));

      long sigterm = System.nanoTime();
      drained.process().signalStop();

      for (Subscriber s : subscribers) {
        s.sdk().awaitEvent(ConnectionState.RECONNECTED, 1);
        ConnectionEvent lost = s.sdk().events.stream().filter(e -> e.type() == ConnectionState.DISCONNECTED)
            .findFirst().orElseThrow();
        assertThat(lost.closeCode()).isEqualTo(4002);
        assertThat(lost.reason()).isEqualTo("node_draining");
        assertThat(s.sdk().client.nodeId()).isIn(cluster.node(1).nodeId(), cluster.node(2).nodeId());
      }
      List<Long> closedAfterMs = subscribers.stream()
          .map(s -> TimeUnit.NANOSECONDS.toMillis(s.disconnectedAt().get() - sigterm)).toList();
      long first = closedAfterMs.stream().mapToLong(Long::longValue).min().orElseThrow();
      long last = closedAfterMs.stream().mapToLong(Long::longValue).max().orElseThrow();
      assertThat(last - first).as("closes spread over the window: %s", closedAfterMs).isGreaterThanOrEqualTo(WINDOW_MS / 3);
      assertThat(last).as("closes within the window: %s", closedAfterMs).isLessThan(WINDOW_MS + 5000);

      // Back on another node, each receives what is published from then on: a run without a gap to the end.
      await().atMost(WAIT).until(() -> subscribers.stream().allMatch(s -> s.seqsAfterReturn().size() >= AFTER_RETURN));
      load.shutdown();
      assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      int end = lastSent.incrementAndGet();
      Clients.join(publisher.client.publish(TOPIC, Map.of("seq", end)));
      for (Subscriber s : subscribers) {
        await().atMost(WAIT).until(() -> s.log().contains(end));
        List<Integer> after = s.seqsAfterReturn();
        int from = after.get(0);
        assertThat(after).as("seqs after the return").isEqualTo(range(from, end));
      }

      assertThat(drained.awaitExit(Duration.ofMillis(WINDOW_MS).plusSeconds(25))).isZero();
      assertThat(drained.stderr()).anyMatch(line -> line.contains("draining: closing " + CLIENTS + " connections"))
          .noneMatch(line -> line.contains("unclean stop"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      load.shutdownNow();
    }
  }

  /** A client with every node in its list, the drained one first, subscribed to the topic. */
  private static Subscriber subscribe(Clients clients, ProcessCluster cluster) {
    List<Object> log = new CopyOnWriteArrayList<>();
    AtomicLong disconnectedAt = new AtomicLong();
    Clients.Recorded sdk = clients.connect(cluster.urls().toArray(String[]::new));
    sdk.client.addConnectionListener(e -> {
      if (e.type() == ConnectionState.DISCONNECTED) {
        disconnectedAt.compareAndSet(0, System.nanoTime());
      } else if (e.type() == ConnectionState.RECONNECTED) {
        log.add(RECONNECTED);
      }
    });
    Clients.join(sdk.client.subscribe(TOPIC, (Message m) -> log.add(((Number) ((Map<?, ?>) m.data()).get("seq"))
        .intValue())));
    return new Subscriber(sdk, log, disconnectedAt);
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }
}
