package dev.switchboard.bench.fleet;

import dev.switchboard.bench.fanout.Payload;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What one generator's connections saw, kept small: per connection a state byte and one bit per publish (so a second
 * copy of a publish is a duplicate, whatever the order); per publish the connections that got it; the latency of
 * counted deliveries as one histogram in microseconds, from the publish's intended send time (the controller's wall
 * clock, carried in the payload) to the read, on this process's wall clock; closes by code. Engine thread only.
 */
final class FleetTally {
  static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);
  private static final byte OPEN = 1;
  private static final byte READY = 2;
  private static final byte CLOSED = 4;
  private static final byte MARKED = 8;

  final Payload.Parsed parsed = new Payload.Parsed();
  private final GeneratorPlan plan;
  private final int words;
  private final byte[] state;
  private final byte[] replies;
  private final long[] seen;
  private final int[] got;
  private final Histogram latency = new Histogram(HIGHEST_MICROS, 3);
  private final Map<Integer, Integer> closes = new TreeMap<>();
  private long wallOffsetMicros;
  private int opened;
  private int ready;
  private int closedBeforeReady;
  private int closedAfterReady;
  private int marked;
  private long duplicates;
  private long late;
  private long malformed;
  private long errors;
  private long pings;
  private String firstProblem;

  FleetTally(GeneratorPlan plan) {
    this.plan = plan;
    this.words = (plan.total() + 63) / 64;
    this.state = new byte[plan.count()];
    this.replies = new byte[plan.count()];
    this.seen = new long[plan.count() * words];
    this.got = new int[plan.total()];
    syncClock();
  }

  /** The group topic of connection {@code i} of this generator. */
  String group(int i) {
    return "fleet.g" + ((plan.first() + i) % plan.groups());
  }

  /** Handshakes done or failed, for the connector's limit on those under way. */
  int settled() {
    return ready + closedBeforeReady;
  }

  /** Wall-clock microseconds at {@code nanoTime} 0; taken again at each status, so clock slewing does not add up. */
  void syncClock() {
    Instant now = Instant.now();
    wallOffsetMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000 - System.nanoTime() / 1000;
  }

  void opened(int i) {
    state[i] |= OPEN;
    opened++;
  }

  /** A {@code subscribed} answer: the connection is ready once both its subscriptions are. */
  void subscribed(int i) {
    if (++replies[i] == 2) {
      state[i] |= READY;
      ready++;
    }
  }

  void pinged() {
    pings++;
  }

  /** A message whose payload is in {@link #parsed}, read at {@code nowNanos}. */
  void delivery(int i, long nowNanos) {
    long seq = parsed.seq;
    if (seq < 0 || seq >= plan.total()) {
      malformed(i, "publish " + seq + " was never sent");
      return;
    }
    int word = i * words + (int) (seq >>> 6);
    long bit = 1L << (seq & 63);
    if ((seen[word] & bit) != 0) {
      duplicates++;
      problem("connection " + (plan.first() + i) + " received publish " + seq + " twice");
      return;
    }
    seen[word] |= bit;
    got[(int) seq]++;
    if (seq < plan.warmup()) {
      return;
    }
    if ((state[i] & MARKED) == 0) {
      late++;
      return;
    }
    long micros = nowNanos / 1000 + wallOffsetMicros - parsed.intendedNanos;
    latency.recordValue(Math.max(0, Math.min(HIGHEST_MICROS, micros)));
  }

  void malformed(int i, String what) {
    malformed++;
    problem("connection " + (plan.first() + i) + ": " + what);
  }

  void error(int i, String what) {
    errors++;
    problem("connection " + (plan.first() + i) + ": " + what);
  }

  void closed(int i, int code, String reason) {
    boolean wasReady = (state[i] & READY) != 0;
    state[i] |= CLOSED;
    if (wasReady) {
      closedAfterReady++;
    } else {
      closedBeforeReady++;
    }
    if ((state[i] & OPEN) != 0) {
      closes.merge(code, 1, Integer::sum);
    }
    problem("connection " + (plan.first() + i) + (wasReady ? " closed: " : " could not connect or subscribe: ")
        + code + " " + reason);
  }

  /** Marks the connections ready now: publishes from here on are expected at each of them exactly once. */
  JsonObject mark() {
    marked = 0;
    for (int i = 0; i < state.length; i++) {
      if ((state[i] & (READY | CLOSED)) == READY) {
        state[i] |= MARKED;
        marked++;
      }
    }
    return new JsonObject().put("type", "marked").put("marked", marked);
  }

  JsonObject status() {
    syncClock();
    JsonArray counts = new JsonArray();
    for (int g : got) {
      counts.add(g);
    }
    return new JsonObject().put("type", "status").put("opened", opened).put("ready", ready)
        .put("held", ready - closedAfterReady).put("failed", closedBeforeReady).put("closed", closedAfterReady)
        .put("marked", marked).put("got", counts).put("duplicates", duplicates).put("late", late)
        .put("malformed", malformed).put("errors", errors).put("pings", pings).put("firstProblem", firstProblem);
  }

  /** The status, and the exactly-once count of every marked connection over the counted publishes. */
  JsonObject report() {
    long made = 0;
    long missingHeld = 0;
    long missingClosed = 0;
    for (int i = 0; i < state.length; i++) {
      if ((state[i] & MARKED) == 0) {
        continue;
      }
      int have = 0;
      for (int seq = plan.warmup(); seq < plan.total(); seq++) {
        have += (seen[i * words + (seq >>> 6)] >>> (seq & 63)) & 1;
      }
      made += have;
      long missing = plan.total() - plan.warmup() - have;
      if ((state[i] & CLOSED) == 0) {
        missingHeld += missing;
      } else {
        missingClosed += missing;
      }
    }
    JsonObject byCode = new JsonObject();
    closes.forEach((code, n) -> byCode.put(String.valueOf(code), n));
    ByteBuffer buffer = ByteBuffer.allocate(latency.getNeededByteBufferCapacity());
    int length = latency.encodeIntoCompressedByteBuffer(buffer);
    return status().put("type", "report").put("expected", (long) marked * (plan.total() - plan.warmup()))
        .put("made", made).put("missingHeld", missingHeld).put("missingClosed", missingClosed).put("closes", byCode)
        .put("latency", Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length)));
  }

  private void problem(String what) {
    if (firstProblem == null) {
      firstProblem = what;
    }
  }
}
