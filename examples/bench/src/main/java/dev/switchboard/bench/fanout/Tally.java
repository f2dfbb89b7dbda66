package dev.switchboard.bench.fanout;

import org.HdrHistogram.SingleWriterRecorder;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * What one step delivered, counted exactly: per topic, the messages of this step published to it; per subscriber,
 * the messages of this step it received, against what was published to its topic; per subscriber and publisher,
 * the last sequence number seen (to catch duplicates and reordering); and every latency, from the intended send time
 * to the read, in nanoseconds. Before the first step, {@link #startProbe} counts probe messages instead (see
 * {@link Readiness}). Written on the engine thread only; the latency recorder may be read from another thread, the
 * counts through {@link #counts()} on the engine thread.
 */
final class Tally {
  static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(10);
  /** Above this many subscriber × publisher pairs the order check is skipped (memory). */
  private static final long MAX_ORDER_PAIRS = 8_000_000;

  final SingleWriterRecorder latency = new SingleWriterRecorder(HIGHEST_NANOS, 3);
  final long epochNanos;
  private final int publishers;
  private final int[] topicOf;
  private final long[] publishedTo;
  private final long[] received;
  private final long[] lastSeq;
  private long[] firstSeq;
  private long measureFromNanos;
  private boolean probing;
  private long published;
  private long delivered;
  private long stale;
  private long duplicates;
  private long malformed;
  private long errors;
  private long closed;
  private String firstProblem;

  /** {@code topicOf[i]}: the topic (0 .. topics - 1) subscriber i subscribes to. */
  Tally(int[] topicOf, int topics, int publishers, long epochNanos) {
    int subscribers = topicOf.length;
    this.publishers = publishers;
    this.epochNanos = epochNanos;
    this.topicOf = topicOf.clone();
    this.publishedTo = new long[topics];
    this.received = new long[subscribers];
    this.firstSeq = new long[publishers];
    this.lastSeq = (long) subscribers * publishers <= MAX_ORDER_PAIRS ? new long[subscribers * publishers] : null;
    if (lastSeq != null) {
      Arrays.fill(lastSeq, -1);
    }
  }

  /**
   * Starts counting a new step whose messages have sequence numbers from {@code firstSeq} per publisher. Latencies
   * are recorded for messages intended at or after {@code measureFromNanos} (relative to the epoch) only; every
   * message counts for loss.
   */
  void startStep(long[] firstSeq, long measureFromNanos) {
    this.firstSeq = firstSeq.clone();
    this.measureFromNanos = measureFromNanos;
    probing = false;
    Arrays.fill(received, 0);
    Arrays.fill(publishedTo, 0);
    published = delivered = stale = duplicates = malformed = errors = closed = 0;
    firstProblem = null;
  }

  /** Counts probe messages per subscriber until the next {@link #startStep}; nothing else is counted meanwhile. */
  void startProbe() {
    probing = true;
    Arrays.fill(received, 0);
  }

  /** Whether subscriber i has received a probe message since {@link #startProbe}. */
  boolean probed(int subscriber) {
    return received[subscriber] > 0;
  }

  /** Subscribers that have not received a probe message yet. */
  int unprobed() {
    int n = 0;
    for (long r : received) {
      if (r == 0) {
        n++;
      }
    }
    return n;
  }

  int topicOf(int subscriber) {
    return topicOf[subscriber];
  }

  void published(int topic) {
    published++;
    publishedTo[topic]++;
  }

  void delivery(int subscriber, Payload.Parsed p, long nowNanos) {
    if (p.publisher < 0 || p.publisher >= publishers) {
      malformed("a message from unknown publisher " + p.publisher);
      return;
    }
    if (probing) {
      received[subscriber]++;
      return;
    }
    if (p.seq < firstSeq[p.publisher]) {
      stale++;
      return;
    }
    if (lastSeq != null) {
      int pair = subscriber * publishers + p.publisher;
      if (p.seq <= lastSeq[pair]) {
        duplicates++;
        return;
      }
      lastSeq[pair] = p.seq;
    }
    received[subscriber]++;
    delivered++;
    if (p.intendedNanos < measureFromNanos) {
      return;
    }
    long nanos = nowNanos - (epochNanos + p.intendedNanos);
    latency.recordValue(Math.max(1, Math.min(HIGHEST_NANOS, nanos)));
  }

  void malformed(String what) {
    malformed++;
    problem(what);
  }

  void error(String what) {
    errors++;
    problem(what);
  }

  void closed(String what) {
    closed++;
    problem(what);
  }

  /** A copy of the counts, with the loss against what each subscriber should have received. */
  Counts counts() {
    long expected = 0;
    long lost = 0;
    long extra = 0;
    for (int i = 0; i < received.length; i++) {
      long due = publishedTo[topicOf[i]];
      expected += due;
      lost += Math.max(0, due - received[i]);
      extra += Math.max(0, received[i] - due);
    }
    return new Counts(published, expected, delivered, lost, extra + duplicates, stale, malformed,
        errors, closed, firstProblem);
  }

  private void problem(String what) {
    if (firstProblem == null) {
      firstProblem = what;
    }
  }

  /** The counts of a step at one moment. {@code lost} is exact once the step has drained. */
  record Counts(long published, long expected, long delivered, long lost, long duplicates, long stale,
                long malformed, long errors, long closed, String firstProblem) {
    boolean complete() {
      return delivered >= expected;
    }

    long problems() {
      return malformed + errors + closed + duplicates;
    }
  }
}
