package dev.switchboard.broker.process;

import dev.switchboard.broker.routing.Subscriber;
import dev.switchboard.client.ConnectionEvent;
import dev.switchboard.client.ConnectionState;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
  static final Duration CONNECT = Duration.ofSeconds(60);

  private final LoadLedger ledger = new LoadLedger();
  private final List<LoadClient.Subscriber> subscribers = new ArrayList<>();
  private final List<LoadClient.Publisher> publishers = new ArrayList<>();

  /**
   * Connects {@code subscribers} subscribers to {@code url}, one after another (so that a round-robin balancer spreads
   * them), subscribes them to {@code topic}, then connects {@code publishers} publishers and starts publishing
   * {@code messagesPerSecond} messages a second between them.
   */
  static HistoryLoad start(String url, String topic, int publishers, int subscribers, int messagesPerSecond) {
    HistoryLoad load = new HistoryLoad();
    try {
      for (int i = 1; i <= subscribers; i++) {
        LoadClient.Subscriber s = new LoadClient.Subscriber("s" + i, url);
        load.subscribers.add(s);
        s.awaitConnected();
      }
      for (LoadClient.Subscriber s : load.subscribers) {
        s.subscribe(topic);
      }
      for (int i = 1; i <= publishers; i++) {
        LoadClient.Publisher p = new LoadClient.Publisher("p" + i, url, topic, load.ledger);
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
        weight.merge(node, c instanceof LoadClient.Subscriber ? 10 : 1, Integer::sum);
      }
    }
    return weight.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  /**
   * Stops publishing, waits until every publish is answered, then until every subscriber received every acked
   * message (at most {@code timeout}: whatever is missing then is reported as lost), and reports.
   */
  Report finish(Duration timeout) {
    publishers.forEach(LoadClient.Publisher::stop);
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
   * Connections lost after a fault: by which clients, with which close codes (0: dropped without one), how many
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

}
