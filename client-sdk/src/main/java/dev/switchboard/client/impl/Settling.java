package dev.switchboard.client.impl;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * The wire subscriptions sent again after {@code welcome} and not yet settled — answered {@code subscribed}, refused
 * for good, or no longer wanted — and what runs once they all are, or once the request timeout passed. Loop thread.
 */
final class Settling {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.client");

  private final Loop loop;
  private final long timeoutNanos;
  private final Set<WireSubscription> waiting = new HashSet<>();
  private Runnable onSettled;
  private ScheduledFuture<?> timer;

  Settling(Loop loop, long timeoutNanos) {
    this.loop = loop;
    this.timeoutNanos = timeoutNanos;
  }

  /** Waits for {@code sent}; {@code settled} runs once they are settled, at once when there are none. */
  void await(Collection<WireSubscription> sent, Runnable settled) {
    waiting.addAll(sent);
    if (waiting.isEmpty()) {
      settled.run();
      return;
    }
    onSettled = settled;
    timer = loop.schedule(() -> {
      LOG.log(System.Logger.Level.WARNING, "{0} subscriptions not confirmed {1} ms after connecting; going on, "
          + "they are still awaited or retried", waiting.size(), timeoutNanos / 1_000_000);
      waiting.clear();
      done();
    }, timeoutNanos);
  }

  /** {@code w} is settled. */
  void settle(WireSubscription w) {
    if (waiting.remove(w) && waiting.isEmpty()) {
      done();
    }
  }

  /** Forgets the wait (the connection dropped, or the client closed): nothing runs. */
  void stop() {
    waiting.clear();
    onSettled = null;
    Loop.cancel(timer);
    timer = null;
  }

  private void done() {
    Runnable r = onSettled;
    stop();
    if (r != null) {
      r.run();
    }
  }
}
