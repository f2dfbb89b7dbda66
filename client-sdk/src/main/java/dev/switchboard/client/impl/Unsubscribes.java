package dev.switchboard.client.impl;

import dev.switchboard.client.SwitchboardException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code unsubscribe}s sent and not yet answered, by request id: each completes when the node confirms, fails with
 * the node's error or with {@code timeout} after the request timeout, and completes when the connection drops (it took
 * the subscription with it). Completions run on the dispatcher. Confined to the loop thread.
 */
final class Unsubscribes {
  private final Loop loop;
  private final Dispatcher dispatcher;
  private final long timeoutNanos;
  private final Map<String, CompletableFuture<Void>> pending = new HashMap<>();

  Unsubscribes(Loop loop, Dispatcher dispatcher, long timeoutNanos) {
    this.loop = loop;
    this.dispatcher = dispatcher;
    this.timeoutNanos = timeoutNanos;
  }

  /** {@code done} completes with the answer to the unsubscribe {@code id}, or fails after the request timeout. */
  void await(String id, CompletableFuture<Void> done) {
    pending.put(id, done);
    loop.schedule(() -> {
      CompletableFuture<Void> f = pending.remove(id);
      if (f != null) {
        fail(f, SwitchboardException.TIMEOUT, "no answer to unsubscribe " + id + " in time");
      }
    }, timeoutNanos);
  }

  /** Handles {@code unsubscribed}. */
  void answered(String id) {
    CompletableFuture<Void> f = id == null ? null : pending.remove(id);
    if (f != null) {
      dispatcher.execute(() -> f.complete(null));
    }
  }

  /** Handles an {@code error}; {@code false} when {@code id} is not a pending unsubscribe. */
  boolean refused(String id, String code, String message) {
    CompletableFuture<Void> f = id == null ? null : pending.remove(id);
    if (f == null) {
      return false;
    }
    fail(f, code, message);
    return true;
  }

  /** The connection is gone, or the client closed: every pending unsubscribe is done. */
  void completeAll() {
    for (CompletableFuture<Void> f : pending.values()) {
      dispatcher.execute(() -> f.complete(null));
    }
    pending.clear();
  }

  private void fail(CompletableFuture<Void> f, String code, String message) {
    dispatcher.execute(() -> f.completeExceptionally(new SwitchboardException(code, message)));
  }
}
