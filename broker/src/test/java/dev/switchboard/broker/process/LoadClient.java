package dev.switchboard.broker.process;

import dev.switchboard.broker.routing.Subscriber;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Position;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.Switchboard;
import dev.switchboard.client.SwitchboardClient;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/**
 * An SDK client of {@link HistoryLoad}, with its connection events timed: a {@link Publisher} that books each answer
 * in a {@link LoadLedger}, or a {@link Subscriber} that records each message with its position.
 */
abstract class LoadClient implements AutoCloseable {
  final String name;
  final SwitchboardClient client;
  private final List<HistoryLoad.Timed> events = new CopyOnWriteArrayList<>();

  LoadClient(String name, String url) {
    this.name = name;
    this.client = Switchboard.connect(ClientOptions.builder().servers(url)
        .reconnectDelayMin(Duration.ofMillis(50)).reconnectDelayMax(Duration.ofMillis(500))
        .connectionListener(e -> events.add(new HistoryLoad.Timed(System.nanoTime(), e))).build());
  }

  List<HistoryLoad.Timed> events() {
    return List.copyOf(events);
  }

  void awaitConnected() {
    await(name + " connected").atMost(HistoryLoad.CONNECT).pollInterval(Duration.ofMillis(50))
        .until(() -> events.stream().anyMatch(e -> e.event().type() == ConnectionState.CONNECTED));
  }

  int reconnects() {
    return (int) events.stream().filter(e -> e.event().type() == ConnectionState.RECONNECTED).count();
  }

  @Override
  public void close() {
    client.close();
  }


  /** Publishes {@code "<name>-<sequence>"} on a fixed-rate tick and books each answer in the ledger. */
  static final class Publisher extends LoadClient {
    private final String topic;
    private final LoadLedger ledger;
    private final Semaphore inFlight = new Semaphore(HistoryLoad.MAX_IN_FLIGHT);
    private final AtomicLong sequence = new AtomicLong();
    private final ScheduledExecutorService ticker;

    Publisher(String name, String url, String topic, LoadLedger ledger) {
      super(name, url);
      this.topic = topic;
      this.ledger = ledger;
      this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "load-" + name);
        t.setDaemon(true);
        return t;
      });
    }

    void start(long periodMicros) {
      ticker.scheduleAtFixedRate(this::tick, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    private void tick() {
      if (sequence.get() >= HistoryLoad.MAX_MESSAGES) {
        return;
      }
      if (!inFlight.tryAcquire()) {
        ledger.throttled.increment();
        return;
      }
      String data = name + "-" + sequence.getAndIncrement();
      long sent = System.nanoTime();
      try {
        CompletionStage<Void> stage = client.publish(topic, data);
        stage.whenComplete((ok, error) -> {
          inFlight.release();
          if (error == null) {
            ledger.acked(data, System.nanoTime() - sent);
          } else {
            ledger.failed(error);
          }
        });
      } catch (RuntimeException e) {
        inFlight.release();
        ledger.failed(e);
      }
    }

    /** Stops the tick and waits until every publish made is answered (acked or failed). */
    void stop() {
      ticker.shutdownNow();
      try {
        ticker.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        await(name + "'s publishes answered").atMost(ClientOptions.DEFAULT_REQUEST_TIMEOUT.plusSeconds(20))
            .pollInterval(Duration.ofMillis(100)).until(() -> inFlight.availablePermits() == HistoryLoad.MAX_IN_FLIGHT);
      } catch (ConditionTimeoutException e) {
        ledger.unanswered.add(HistoryLoad.MAX_IN_FLIGHT - inFlight.availablePermits());
      }
    }

    @Override
    public void close() {
      ticker.shutdownNow();
      super.close();
    }
  }

  /** Subscribes to the topic (from the next message on) and records each message with its offset, and each gap. */
  static final class Subscriber extends LoadClient {
    private final List<String> data = new ArrayList<>();
    private final Set<String> distinct = new HashSet<>();
    private final List<Position> positions = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private final List<String> gaps = new CopyOnWriteArrayList<>();

    Subscriber(String name, String url) {
      super(name, url);
    }

    void subscribe(String topic) {
      try {
        client.subscribe(topic, SubscribeOptions.builder().gapListener((s, seen, after) -> gaps.add("gap after "
                + text(seen) + ", resuming after " + text(after) + " at " + time(System.currentTimeMillis())
                + " (" + received() + " received)")).build(),
            m -> record((String) m.data(), m.position())).toCompletableFuture()
            .get(HistoryLoad.CONNECT.toSeconds(), TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError(name + " could not subscribe to " + topic, e);
      }
    }

    private synchronized void record(String message, Position position) {
      data.add(message);
      distinct.add(message);
      positions.add(position);
      times.add(System.currentTimeMillis());
    }

    private synchronized int received() {
      return data.size();
    }

    synchronized boolean hasAll(Set<String> acked) {
      return distinct.containsAll(acked);
    }

    synchronized HistoryLoad.SubscriberCheck check(Map<String, Long> acked) {
      List<String> details = new ArrayList<>();
      List<String> missing = acked.keySet().stream().filter(m -> !distinct.contains(m)).sorted().toList();
      missing.stream().limit(3).forEach(m -> details.add("lost " + m + " acked at " + time(acked.get(m))));
      Map<String, Integer> first = new HashMap<>();
      int disorder = 0;
      long skipped = 0;
      for (int i = 0; i < data.size(); i++) {
        Integer before = first.putIfAbsent(data.get(i), i);
        if (before != null && details.size() < 10) {
          details.add("twice " + data.get(i) + ": #" + before + " " + text(positions.get(before)) + " at "
              + time(times.get(before)) + ", #" + i + " " + text(positions.get(i)) + " at " + time(times.get(i)));
        }
        if (i > 0) {
          long step = positions.get(i).offset() - positions.get(i - 1).offset();
          if (step <= 0 || !positions.get(i).sameEpoch(positions.get(i - 1))) {
            disorder++;
            if (details.size() < 10) {
              details.add("#" + i + " " + data.get(i) + " " + text(positions.get(i)) + " at " + time(times.get(i))
                  + " after " + data.get(i - 1) + " " + text(positions.get(i - 1)));
            }
          } else {
            skipped += step - 1;
          }
        }
      }
      gaps.stream().limit(3).forEach(details::add);
      int unacked = (int) distinct.stream().filter(m -> !acked.containsKey(m)).count();
      return new HistoryLoad.SubscriberCheck(name, data.size(), missing.size(), data.size() - distinct.size(), disorder, skipped,
          gaps.size(), unacked, reconnects(), details);
    }
  }

  private static String text(Position p) {
    return p == null ? "null" : p.epoch() + "/" + p.offset();
  }

  private static String time(long epochMillis) {
    return LocalTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS)
        .toString();
  }
}
