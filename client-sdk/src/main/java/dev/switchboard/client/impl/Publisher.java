package dev.switchboard.client.impl;

import dev.switchboard.client.SwitchboardException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The publishes between {@code publish()} and their answer: a queue of those not yet written — kept across
 * reconnects, capped in bytes, each waiting at most the offline timeout for a connection — and those written on the
 * current connection, waiting for {@code ack}. A publish fails once and is never sent after it failed. Confined to
 * the loop thread, except {@link #reserve(int)}.
 */
final class Publisher {

  /** One publish. Fields other than the final ones belong to the loop thread. */
  static final class Pending {
    final String id;
    final String text;
    final int bytes;
    final ClientFuture<Void> future;
    ScheduledFuture<?> timer;
    /** Handed to a socket: its outcome is unknown if that connection drops. */
    boolean sent;
    boolean done;
    /** Its bytes still count against the buffer. */
    boolean buffered = true;
    /** Its timer counts the offline timeout (not the request timeout): a further lost connection does not restart it. */
    boolean offline;

    Pending(String id, String text, int bytes, Dispatcher dispatcher) {
      this.id = id;
      this.text = text;
      this.bytes = bytes;
      this.future = new ClientFuture<>(dispatcher);
    }
  }

  private final long capacity;
  private final long timeoutNanos;
  private final long offlineNanos;
  private final Loop loop;
  private final Dispatcher dispatcher;
  private final Counters counters;
  private final AtomicLong bufferedBytes = new AtomicLong();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final Map<String, Pending> byId = new HashMap<>();

  /**
   * @param timeoutNanos the time allowed for an answer once a publish is written ({@code requestTimeout})
   * @param offlineNanos the time a publish may wait for a connection ({@code offlineTimeout})
   */
  Publisher(long capacity, long timeoutNanos, long offlineNanos, Loop loop, Dispatcher dispatcher, Counters counters) {
    this.capacity = capacity;
    this.timeoutNanos = timeoutNanos;
    this.offlineNanos = offlineNanos;
    this.loop = loop;
    this.dispatcher = dispatcher;
    this.counters = counters;
  }

  /** Any thread: takes {@code bytes} of the buffer, or returns {@code false} when they do not fit. */
  boolean reserve(int bytes) {
    if (bufferedBytes.addAndGet(bytes) > capacity) {
      bufferedBytes.addAndGet(-bytes);
      return false;
    }
    return true;
  }

  long capacity() {
    return capacity;
  }

  long bufferedBytes() {
    return bufferedBytes.get();
  }

  /**
   * Queues a publish whose bytes were reserved. It fails with {@code timeout} if no connection takes it within the
   * offline timeout ({@code connected}: the request timeout, as a connection is there), and once written if its
   * answer does not come within the request timeout.
   */
  void enqueue(Pending p, boolean connected) {
    byId.put(p.id, p);
    queue.add(p);
    arm(p, !connected);
  }

  /** (Re)starts {@code p}'s timer: the offline timeout, or the request timeout. */
  private void arm(Pending p, boolean offline) {
    Loop.cancel(p.timer);
    p.offline = offline;
    long nanos = offline ? offlineNanos : timeoutNanos;
    String what = p.sent ? "no answer to publish " + p.id : "no connection took publish " + p.id;
    p.timer = loop.schedule(() -> fail(p, SwitchboardException.TIMEOUT,
        what + " within " + nanos / 1_000_000 + " ms"), nanos);
  }

  /** The stages of every publish not yet answered, for {@code flush}. */
  List<ClientFuture<Void>> unsettled() {
    List<ClientFuture<Void>> all = new ArrayList<>(byId.size());
    for (Pending p : byId.values()) {
      all.add(p.future);
    }
    return all;
  }

  /** The next publish to write, now marked sent; drops those larger than {@code maxFrameBytes}. */
  Pending next(long maxFrameBytes) {
    Pending p;
    while ((p = queue.poll()) != null) {
      if (p.done) {
        continue;
      }
      if (p.bytes > maxFrameBytes) {
        fail(p, SwitchboardException.FRAME_TOO_LARGE, tooLarge(p.bytes, maxFrameBytes));
        continue;
      }
      p.sent = true;
      arm(p, false);
      return p;
    }
    return null;
  }

  static String tooLarge(long bytes, long max) {
    return "publish frame of " + bytes + " bytes is larger than the node's max_frame_bytes " + max;
  }

  /** The socket has taken the frame: it no longer counts against the buffer. */
  void written(Pending p) {
    release(p);
  }

  /** Handles an {@code ack}; {@code false} when the id is not a pending publish. */
  boolean acked(String id) {
    Pending p = id == null ? null : byId.remove(id);
    if (p == null) {
      return false;
    }
    finish(p);
    counters.publishAcked();
    dispatcher.execute(() -> p.future.complete(null));
    return true;
  }

  /** Handles an {@code error}; {@code false} when the id is not a pending publish. */
  boolean error(String id, String code, String message) {
    Pending p = id == null ? null : byId.get(id);
    if (p == null) {
      return false;
    }
    fail(p, code, message);
    return true;
  }

  /**
   * The connection dropped: every publish handed to it fails with {@code connection_lost}; the queue stays, and
   * waits for the next connection up to the offline timeout.
   */
  void connectionLost(String why) {
    failSent("connection lost before publish {0} was acknowledged (" + why + "); it may or may not have been "
        + "published");
    for (Pending p : queue) {
      if (!p.done && !p.offline) {
        arm(p, true); // queued behind a live connection: now it waits for the next one
      }
    }
  }

  /**
   * The client ends: a publish handed to the socket fails with {@code connection_lost} (it may have arrived), every
   * other one with {@code code}, and is never sent.
   */
  void failAll(String code, String message) {
    failSent("the client closed before publish {0} was acknowledged; it may or may not have been published");
    for (Pending p : new ArrayList<>(byId.values())) {
      fail(p, code, message);
    }
    queue.clear();
  }

  private void failSent(String message) {
    for (Pending p : new ArrayList<>(byId.values())) {
      if (p.sent) {
        fail(p, SwitchboardException.CONNECTION_LOST, message.replace("{0}", p.id));
      }
    }
  }

  /** Fails one publish, once; a queued one is taken out of the queue. */
  void fail(Pending p, String code, String message) {
    if (p.done) {
      return;
    }
    if (!p.sent) {
      queue.removeFirstOccurrence(p); // usually the head: timeouts fire in queue order
    }
    byId.remove(p.id);
    finish(p);
    counters.publishFailed();
    dispatcher.execute(() -> p.future.completeExceptionally(new SwitchboardException(code, message)));
  }

  private void finish(Pending p) {
    p.done = true;
    Loop.cancel(p.timer);
    release(p);
  }

  private void release(Pending p) {
    if (p.buffered) {
      p.buffered = false;
      bufferedBytes.addAndGet(-p.bytes);
    }
  }
}
