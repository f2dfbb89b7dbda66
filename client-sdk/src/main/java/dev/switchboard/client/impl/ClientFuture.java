package dev.switchboard.client.impl;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The stages the client returns. They complete on the client's dispatcher, so a callback of the same client that
 * waited for one ({@code join}, {@code get}) would hold the only thread that can complete it: such a wait throws
 * {@link IllegalStateException} at once, with a message saying what to do, instead of hanging. A wait on a stage that
 * is already complete returns as usual. Stages derived from it ({@code thenApply}, ...) are checked the same way.
 */
final class ClientFuture<T> extends CompletableFuture<T> {
  private final Dispatcher dispatcher;

  /** @param dispatcher the client's, or {@code null} (a unit test's client): waits are not checked */
  ClientFuture(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  static <T> ClientFuture<T> of(Dispatcher dispatcher) {
    return new ClientFuture<>(dispatcher);
  }

  /** A stage that completes as this one does, for handing to users (completing it does not touch this one). */
  ClientFuture<T> stage() {
    return (ClientFuture<T>) copy();
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new ClientFuture<>(dispatcher);
  }

  @Override
  public T join() {
    refuseReentrantWait("join()");
    return super.join();
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    refuseReentrantWait("get()");
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
    refuseReentrantWait("get(timeout)");
    return super.get(timeout, unit);
  }

  private void refuseReentrantWait(String call) {
    if (!isDone() && dispatcher != null && dispatcher.isDispatchThread()) {
      throw new IllegalStateException(call + " on a Switchboard stage from a handler, listener or callback of the "
          + "same client would wait forever: the stage completes on the dispatcher thread this callback is holding. "
          + "Chain the next step instead (thenAccept, thenCompose, whenComplete), or wait on another thread");
    }
  }
}
