package dev.switchboard.client.impl;

import dev.switchboard.client.SwitchboardException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The publishes between {@code publish()} and their answer: a queue of those not yet written — kept across
 * reconnects and capped in bytes — and those written on the current connection, waiting for {@code ack}. Confined to
 * the loop thread, except {@link #reserve(int)}.
 */
final class Publisher {

  /** One publish. Fields other than the final ones belong to the loop thread. */
  static final class Pending {
    final String id;
    final String text;
    final int bytes;
    final CompletableFuture<Void> future = new CompletableFuture<>();
    ScheduledFuture<?> timer;
    /** Handed to a socket: its outcome is unknown if that connection drops. */
    boolean sent;
    boolean done;
    /** Its bytes still count against the buffer. */
    boolean buffered = true;

    Pending(String id, String text, int bytes) {
      this.id = id;
      this.text = text;
      this.bytes = bytes;
    }
  }

  private final long capacity;
  private final long timeoutNanos;
  private final Loop loop;
  private final Dispatcher dispatcher;
  private final AtomicLong bufferedBytes = new AtomicLong();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final Map<String, Pending> byId = new HashMap<>();

  Publisher(long capacity, long timeoutNanos, Loop loop, Dispatcher dispatcher) {
    this.capacity = capacity;
    this.timeoutNanos = timeoutNanos;
    this.loop = loop;
    this.dispatcher = dispatcher;
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

  /** Queues a publish whose bytes were reserved; it fails with {@code timeout} if unanswered in time. */
  void enqueue(Pending p) {
    byId.put(p.id, p);
    queue.add(p);
    p.timer = loop.schedule(() -> fail(p, SwitchboardException.TIMEOUT,
        "no answer to publish " + p.id + " within " + timeoutNanos / 1_000_000 + " ms"), timeoutNanos);
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

  /** The connection dropped: every publish handed to it fails with {@code connection_lost}; the queue stays. */
  void connectionLost(String why) {
    for (Pending p : new ArrayList<>(byId.values())) {
      if (p.sent) {
        fail(p, SwitchboardException.CONNECTION_LOST, "connection lost before publish " + p.id
            + " was acknowledged (" + why + "); it may or may not have been published");
      }
    }
  }

  /** Fails every publish, queued or sent. */
  void failAll(String code, String message) {
    for (Pending p : new ArrayList<>(byId.values())) {
      fail(p, code, message);
    }
    queue.clear();
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
