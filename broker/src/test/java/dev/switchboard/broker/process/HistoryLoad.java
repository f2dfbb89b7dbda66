package dev.switchboard.broker.process;

import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.ConnectionEvent;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Position;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.Switchboard;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A load of SDK clients on one history topic, every client given one URL only (the load balancer), and the ledger
 * that tells what they lost. Publishers send {@code "<publisher>-<sequence>"} at a fixed total rate, without waiting
 * for the acks; a message is <em>acked</em> when its {@code publish} completes. A publish that fails (timeout,
 * {@code connection_lost}, {@code unavailable}) is not acked and is not sent again: the next tick sends the next
 * sequence number, so every payload is unique and a duplicate shows. Subscribers subscribe, with a gap listener,
 * before the first publish, so each must receive every acked message exactly once, in offset order.
 *
 * <p>Bounded: each publisher stops by itself after {@value #MAX_MESSAGES} messages, has at most
 * {@value #MAX_IN_FLIGHT} publishes unanswered (a tick beyond is skipped and counted), and every publish is answered
 * within the SDK's request timeout.
 */
final class HistoryLoad implements AutoCloseable {
  static final int MAX_MESSAGES = 100_000;
  static final int MAX_IN_FLIGHT = 1_000;
  private static final Duration CONNECT = Duration.ofSeconds(60);

  private final Ledger ledger = new Ledger();
  private final List<Subscriber> subscribers = new ArrayList<>();
  private final List<Publisher> publishers = new ArrayList<>();

  /**
   * Connects {@code subscribers} subscribers to {@code url}, one after another (so that a round-robin balancer spreads
   * them), subscribes them to {@code topic}, then connects {@code publishers} publishers and starts publishing
   * {@code messagesPerSecond} messages a second between them.
   */
  static HistoryLoad start(String url, String topic, int publishers, int subscribers, int messagesPerSecond) {
    HistoryLoad load = new HistoryLoad();
    try {
      for (int i = 1; i <= subscribers; i++) {
        Subscriber s = new Subscriber("s" + i, url);
        load.subscribers.add(s);
        s.awaitConnected();
      }
      for (Subscriber s : load.subscribers) {
        s.subscribe(topic);
      }
      for (int i = 1; i <= publishers; i++) {
        Publisher p = new Publisher("p" + i, url, topic, load.ledger);
        load.publishers.add(p);
        p.awaitConnected();
      }
      long periodMicros = 1_000_000L * publishers / messagesPerSecond;
      load.publishers.forEach(p -> p.start(periodMicros));
      return load;
    } catch (RuntimeException | Error e) {
      load.close();
      throw e;
    }
  }

  int acked() {
    return ledger.acked.size();
  }

  /** Waits until {@code more} messages more than now are acked (the load goes on after a fault). */
  void awaitMoreAcked(int more, Duration timeout) {
    int target = acked() + more;
    await(target + " acked messages").atMost(timeout).pollInterval(Duration.ofMillis(100))
        .until(() -> acked() >= target);
  }

  /** Every client of the load: subscribers, then publishers. */
  List<LoadClient> clients() {
    List<LoadClient> all = new ArrayList<>(subscribers);
    all.addAll(publishers);
    return all;
  }

  /** Where the clients are now: the service name of each client's node ({@code ids}: node id to service name). */
  Map<String, List<String>> placement(Map<String, String> ids) {
    return clients().stream().collect(Collectors.groupingBy(c -> ids.getOrDefault(String.valueOf(c.client.nodeId()),
        "(" + c.client.state() + ")"), TreeMap::new, Collectors.mapping(c -> c.name, Collectors.toList())));
  }

  /** The node (service name) holding the most clients, subscribers first, then publishers. */
  String busiest(Map<String, String> ids) {
    Map<String, Integer> weight = new TreeMap<>();
    for (LoadClient c : clients()) {
      String node = ids.get(String.valueOf(c.client.nodeId()));
      if (node != null) {
        weight.merge(node, c instanceof Subscriber ? 10 : 1, Integer::sum);
      }
    }
    return weight.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  /**
   * Stops publishing, waits until every publish is answered, then until every subscriber received every acked
   * message (at most {@code timeout}: whatever is missing then is reported as lost), and reports.
   */
  Report finish(Duration timeout) {
    publishers.forEach(Publisher::stop);
    long settled = System.nanoTime();
    Map<String, Long> acked = Map.copyOf(ledger.acked);
    try {
      await("every subscriber has every acked message").atMost(timeout).pollInterval(Duration.ofMillis(200))
          .until(() -> subscribers.stream().allMatch(s -> s.hasAll(acked.keySet())));
    } catch (ConditionTimeoutException e) {
      // Reported below as lost.
    }
    long caughtUpMs = (System.nanoTime() - settled) / 1_000_000;
    return new Report(acked.size(), ledger.failures(), ledger.throttled.sum(), ledger.unanswered.sum(),
        ledger.slowestAckMs(), ledger.ackPercentileMs(0.99), caughtUpMs,
        subscribers.stream().map(s -> s.check(acked)).toList());
  }

  /** The names of the clients connected to {@code node} now ({@code ids}: node id to service name). */
  List<String> on(String node, Map<String, String> ids) {
    return placement(ids).getOrDefault(node, List.of());
  }

  /** Whether each client named has lost its connection at or after {@code sinceNanos} and had one again after that. */
  boolean movedAndBack(List<String> names, long sinceNanos) {
    return clients().stream().filter(c -> names.contains(c.name)).allMatch(c -> {
      List<Timed> events = c.events();
      int lost = -1;
      for (int i = 0; i < events.size() && lost < 0; i++) {
        if (events.get(i).nanos >= sinceNanos && events.get(i).event.type() == ConnectionState.DISCONNECTED) {
          lost = i;
        }
      }
      return lost >= 0 && events.subList(lost, events.size()).stream()
          .anyMatch(e -> e.event.type() == ConnectionState.RECONNECTED);
    });
  }

  /** The connections the load's clients lost at or after {@code sinceNanos} and how long each took to come back. */
  Disruption disruption(long sinceNanos) {
    Map<Integer, Integer> codes = new TreeMap<>();
    Set<String> clients = new TreeSet<>();
    long lastBack = 0;
    long longestOutage = 0;
    String longestAway = "-";
    int notBack = 0;
    for (LoadClient c : clients()) {
      List<Timed> events = c.events();
      for (int i = 0; i < events.size(); i++) {
        Timed lost = events.get(i);
        if (lost.nanos < sinceNanos || lost.event.type() != ConnectionState.DISCONNECTED) {
          continue;
        }
        codes.merge(lost.event.closeCode(), 1, Integer::sum);
        clients.add(c.name);
        Timed back = events.subList(i, events.size()).stream()
            .filter(e -> e.event.type() == ConnectionState.RECONNECTED).findFirst().orElse(null);
        if (back == null) {
          notBack++;
        } else {
          lastBack = Math.max(lastBack, (back.nanos - sinceNanos) / 1_000_000);
          long away = (back.nanos - lost.nanos) / 1_000_000;
          if (away >= longestOutage) {
            longestOutage = away;
            longestAway = c.name;
          }
        }
      }
    }
    return new Disruption(List.copyOf(clients), codes, notBack, lastBack, longestOutage, longestAway);
  }

  /** Closes every client and stops the publishers. Never throws. */
  @Override
  public void close() {
    for (LoadClient c : clients()) {
      try {
        c.close();
      } catch (RuntimeException e) {
        System.out.println("closing " + c.name + ": " + e);
      }
    }
  }

  /** A connection event and when it came ({@link System#nanoTime()}). */
  record Timed(long nanos, ConnectionEvent event) {
  }

  /**
   * Connections lost after a fault: by which clients, with which close codes (1006: dropped without one), how many
   * are not back ({@code RECONNECTED}: connected again and every subscription settled), when the last came back,
   * counted from the fault, and the longest time one was away (and which one).
   */
  record Disruption(List<String> clients, Map<Integer, Integer> closeCodes, int notReconnected, long lastBackMs,
                    long longestOutageMs, String longestAway) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "clients %s disconnected (close codes %s), %d not back, the last back %.1f s "
          + "after the fault, the longest away %.1f s (%s)", clients, closeCodes, notReconnected, lastBackMs / 1000.0,
          longestOutageMs / 1000.0, longestAway);
    }
  }

  /**
   * What one subscriber received, compared with the acked messages; {@code details}: the first few anomalies, each
   * with the positions ({@code epoch/offset}) and times (UTC) concerned: acked messages it lacks, messages received
   * twice, offsets not after the one before, gaps it was told of.
   */
  record SubscriberCheck(String name, int received, int lost, int duplicates, int disorder, long skippedOffsets,
                         int gaps, int unacked, int reconnects, List<String> details) {
    boolean clean() {
      return lost == 0 && duplicates == 0 && disorder == 0 && skippedOffsets == 0 && gaps == 0;
    }
  }

  /**
   * A scenario's figures: messages acked, publishes failed by code, ticks skipped at the in-flight bound, the slowest
   * and 99th-percentile ack (from the publish call), how long the subscribers took to catch up after the last ack,
   * and each subscriber's check.
   */
  record Report(int acked, Map<String, Integer> failed, long throttled, long unanswered, long slowestAckMs,
                long p99AckMs, long caughtUpMs, List<SubscriberCheck> subscribers) {
    int lost() {
      return subscribers.stream().mapToInt(SubscriberCheck::lost).sum();
    }

    int duplicates() {
      return subscribers.stream().mapToInt(SubscriberCheck::duplicates).sum();
    }

    /** One line of figures, for the docs. */
    String line(String scenario) {
      return String.format(Locale.ROOT, "SUMMARY %s: acked=%d failed=%s received=%s lost=%d duplicates=%d "
              + "disorder=%d skippedOffsets=%d gaps=%d unackedReceived=%s reconnects=%s slowestAck=%dms p99Ack=%dms "
              + "caughtUp=%dms throttled=%d unanswered=%d", scenario, acked, failed,
          subscribers.stream().map(SubscriberCheck::received).toList(), lost(), duplicates(),
          subscribers.stream().mapToInt(SubscriberCheck::disorder).sum(),
          subscribers.stream().mapToLong(SubscriberCheck::skippedOffsets).sum(),
          subscribers.stream().mapToInt(SubscriberCheck::gaps).sum(),
          subscribers.stream().map(SubscriberCheck::unacked).toList(),
          subscribers.stream().map(SubscriberCheck::reconnects).toList(), slowestAckMs, p99AckMs, caughtUpMs,
          throttled, unanswered);
    }

    /**
     * Every subscriber received every acked message exactly once, in offset order, without a gap; those named in
     * {@code lossAllowed} with no duplicate and in order (what they lost is printed by the scenario).
     */
    void assertClean(Set<String> lossAllowed) {
      assertThat(acked).as("acked messages").isPositive();
      assertThat(subscribers).as("subscribers that lost, duplicated, reordered or skipped messages (%s)", this)
          .allMatch(s -> lossAllowed.contains(s.name()) ? s.duplicates() == 0 && s.disorder() == 0 : s.clean());
      assertThat(subscribers).as("subscribers held to no loss").anyMatch(s -> !lossAllowed.contains(s.name()));
    }
  }

  /** The acked messages (payload to ack time, epoch ms), the failed publishes by code, and the ack latencies. */
  private static final class Ledger {
    final Map<String, Long> acked = new ConcurrentHashMap<>();
    final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
    final LongAdder throttled = new LongAdder();
    /** Publishes still unanswered well after the SDK's request timeout (there should be none). */
    final LongAdder unanswered = new LongAdder();
    private final List<Long> latencies = new ArrayList<>();

    void acked(String data, long latencyNanos) {
      acked.put(data, System.currentTimeMillis());
      synchronized (latencies) {
        latencies.add(latencyNanos);
      }
    }

    void failed(Throwable error) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      String code = cause instanceof SwitchboardException s ? s.code() : cause.getClass().getSimpleName();
      failed.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    Map<String, Integer> failures() {
      Map<String, Integer> copy = new TreeMap<>();
      failed.forEach((code, n) -> copy.put(code, n.intValue()));
      return copy;
    }

    long slowestAckMs() {
      return ackPercentileMs(1.0);
    }

    long ackPercentileMs(double fraction) {
      synchronized (latencies) {
        if (latencies.isEmpty()) {
          return 0;
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        int index = (int) Math.ceil(fraction * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1_000_000;
      }
    }
  }

  /** An SDK client of the load, with its connection events timed. */
  abstract static class LoadClient implements AutoCloseable {
    final String name;
    final SwitchboardClient client;
    private final List<Timed> events = new CopyOnWriteArrayList<>();

    LoadClient(String name, String url) {
      this.name = name;
      this.client = Switchboard.connect(ClientOptions.builder().servers(url)
          .reconnectDelayMin(Duration.ofMillis(50)).reconnectDelayMax(Duration.ofMillis(500))
          .connectionListener(e -> events.add(new Timed(System.nanoTime(), e))).build());
    }

    List<Timed> events() {
      return List.copyOf(events);
    }

    void awaitConnected() {
      await(name + " connected").atMost(CONNECT).pollInterval(Duration.ofMillis(50))
          .until(() -> events.stream().anyMatch(e -> e.event.type() == ConnectionState.CONNECTED));
    }

    int reconnects() {
      return (int) events.stream().filter(e -> e.event.type() == ConnectionState.RECONNECTED).count();
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /** Publishes {@code "<name>-<sequence>"} on a fixed-rate tick and books each answer in the ledger. */
  static final class Publisher extends LoadClient {
    private final String topic;
    private final Ledger ledger;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong sequence = new AtomicLong();
    private final ScheduledExecutorService ticker;

    Publisher(String name, String url, String topic, Ledger ledger) {
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
      if (sequence.get() >= MAX_MESSAGES) {
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
            .pollInterval(Duration.ofMillis(100)).until(() -> inFlight.availablePermits() == MAX_IN_FLIGHT);
      } catch (ConditionTimeoutException e) {
        ledger.unanswered.add(MAX_IN_FLIGHT - inFlight.availablePermits());
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
            .get(CONNECT.toSeconds(), TimeUnit.SECONDS);
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

    synchronized SubscriberCheck check(Map<String, Long> acked) {
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
      return new SubscriberCheck(name, data.size(), missing.size(), data.size() - distinct.size(), disorder, skipped,
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
