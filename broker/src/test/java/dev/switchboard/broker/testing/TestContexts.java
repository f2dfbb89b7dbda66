package dev.switchboard.broker.testing;

import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxTestContext;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits on the test thread, mid-way through a test with a {@link VertxTestContext}, for what runs asynchronously: the
 * test goes on once the awaited part is done, and a failure of the context meanwhile is thrown as it is (the
 * assertion that failed, not a bare timeout or cancellation).
 */
public final class TestContexts {
  public static final Duration WAIT = Duration.ofSeconds(30);

  private TestContexts() {
  }

  /**
   * Waits until {@code ctx} completes. While the test method runs, that is {@code completeNow()} (or a failure): the
   * extension holds a checkpoint of its own until the method returns; to wait for checkpoints, see {@link #await}.
   */
  public static void awaitCompletion(VertxTestContext ctx) throws Throwable {
    boolean done = ctx.awaitCompletion(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (ctx.failed()) {
      throw ctx.causeOfFailure();
    }
    if (!done) {
      throw new TimeoutException("not completed within " + WAIT + "; unsatisfied checkpoints created at "
          + ctx.unsatisfiedCheckpointCallSites());
    }
  }

  /** Waits until each checkpoint has been flagged as often as it must be; the context goes on. */
  public static void await(VertxTestContext ctx, Checkpoint... checkpoints) throws Throwable {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (Checkpoint checkpoint : checkpoints) {
      await(ctx, checkpoint, deadline);
    }
  }

  private static void await(VertxTestContext ctx, Checkpoint checkpoint, long deadline) throws Throwable {
    while (true) {
      try {
        checkpoint.await(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
      } catch (Throwable e) {
        if (ctx.failed()) {
          throw ctx.causeOfFailure();
        }
        if (!(e instanceof TimeoutException)) {
          throw e;
        }
        if (System.nanoTime() - deadline >= 0) {
          throw new TimeoutException("not reached within " + WAIT + "; unsatisfied checkpoints created at "
              + ctx.unsatisfiedCheckpointCallSites());
        }
        continue; // Checkpoint.await waits once, and a wait may wake up early: only the deadline ends it
      }
      // A checkpoint the failing context cancelled before the wait began returns quietly: the failure is the news.
      if (ctx.failed()) {
        throw ctx.causeOfFailure();
      }
      return;
    }
  }
}
