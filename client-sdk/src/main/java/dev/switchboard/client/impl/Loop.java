package dev.switchboard.client.impl;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that owns a client's state. Every state change, I/O event and timer runs here, one at a time, so
 * the classes confined to it need no locks. It never runs user code. Tasks that throw are logged.
 */
final class Loop {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.client");

  private final ScheduledThreadPoolExecutor executor;
  private volatile Thread thread;

  /** @param onTerminated runs on the loop thread after {@link #shutdown()} once every queued task has run */
  Loop(String threadName, Runnable onTerminated) {
    executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      thread = t;
      return t;
    }) {
      @Override
      protected void terminated() {
        onTerminated.run();
      }
    };
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Runs {@code task} on the loop; returns {@code false} when the loop has been shut down. */
  boolean execute(Runnable task) {
    try {
      executor.execute(() -> run(task));
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /** Runs {@code task} on the loop after a delay; returns {@code null} when the loop has been shut down. */
  ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    try {
      return executor.schedule(() -> run(task), delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Accepts no new task; those already queued (not the delayed ones) still run. */
  void shutdown() {
    executor.shutdown();
  }

  static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private static void run(Runnable task) {
    try {
      task.run();
    } catch (Throwable t) {
      LOG.log(System.Logger.Level.ERROR, "unexpected failure in the client loop", t);
    }
  }
}
