package dev.switchboard.client.impl;

import dev.switchboard.client.ClientStats;
import java.util.concurrent.atomic.AtomicLong;

/** The counts behind {@link ClientStats}; written from the loop and the callers' threads, read from any. */
final class Counters {
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  void reconnected() {
    reconnects.incrementAndGet();
  }

  void received() {
    received.incrementAndGet();
  }

  /** Returns the number dropped so far, this one included. */
  long dropped() {
    return dropped.incrementAndGet();
  }

  long droppedCount() {
    return dropped.get();
  }

  /** A publish went to the publisher: it is pending until acked or failed. */
  void publishIssued() {
    pending.incrementAndGet();
  }

  void publishAcked() {
    pending.decrementAndGet();
    acked.incrementAndGet();
  }

  void publishFailed() {
    pending.decrementAndGet();
    failed.incrementAndGet();
  }

  /** A publish refused before it reached the publisher (closed, buffer full, invalid): failed, never pending. */
  void publishRefused() {
    failed.incrementAndGet();
  }

  ClientStats snapshot() {
    return new ClientStats(reconnects.get(), received.get(), dropped.get(), pending.get(), acked.get(), failed.get());
  }
}
