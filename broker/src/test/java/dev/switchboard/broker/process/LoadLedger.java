package dev.switchboard.broker.process;

import dev.switchboard.client.SwitchboardException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The acked messages (payload to ack time, epoch ms), the failed publishes by code, and the ack latencies. */
final class LoadLedger {
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
