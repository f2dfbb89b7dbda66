package dev.switchboard.broker.auth;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's client slots ({@code --max-connections}): one per WebSocket session and per server-sent-events stream,
 * taken atomically just before a client is let in and given back when it ends, so that handshakes completing at
 * the same moment on several event loops cannot pass the limit. Shared by the event loops.
 */
public final class NodeSlots {
  private final long max;
  private final AtomicLong taken = new AtomicLong();

  NodeSlots(long max) {
    this.max = max;
  }

  /** Takes a slot; false (nothing taken) when all are taken. */
  public boolean take() {
    long n;
    do {
      n = taken.get();
      if (n >= max) {
        return false;
      }
    } while (!taken.compareAndSet(n, n + 1));
    return true;
  }

  /** Gives back a slot that {@link #take} returned. */
  public void give() {
    taken.decrementAndGet();
  }

  /** Whether every slot is taken: a cheap early refusal, before a token is verified. */
  public boolean full() {
    return taken.get() >= max;
  }

  public long taken() {
    return taken.get();
  }
}
