package dev.switchboard.client.impl;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs user code — handlers, listeners, stage completions — on the configured executor, one task at a time and in
 * submission order, whatever the executor's own threading; urgent tasks (connection events) go ahead of those
 * waiting. A task that throws is logged. It knows which thread runs its tasks, so that a wait on one of the client's
 * own stages from a callback can be refused at once instead of hanging ({@link ClientFuture}).
 */
final class Dispatcher implements Executor {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.client");
  /** Tasks run per turn before the executor's thread is handed back, so a shared pool stays fair. */
  private static final int BATCH = 256;

  private final Executor target;
  private final ExecutorService owned;
  private final int batch;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  /** Run before {@link #queue}: connection events must not wait behind the deliveries already queued. */
  private final ArrayDeque<Runnable> urgent = new ArrayDeque<>();
  private boolean scheduled;
  /** The thread running this dispatcher's tasks right now, or null. */
  private final AtomicReference<Thread> running = new AtomicReference<>();
  /** Runs once the queue is down to {@link #resumeAt}; set while the socket is not being read. */
  private Runnable resume;
  private int resumeAt;

  private Dispatcher(Executor target, ExecutorService owned) {
    this.target = target;
    this.owned = owned;
    // The own thread serves only this client: no need to hand it back (and after shutdown() it could not be).
    this.batch = owned != null ? Integer.MAX_VALUE : BATCH;
  }

  /** A dispatcher on {@code executor}, or, when it is {@code null}, on a new daemon thread {@code threadName}. */
  static Dispatcher create(Executor executor, String threadName) {
    if (executor != null) {
      return new Dispatcher(executor, null);
    }
    ExecutorService own = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    return new Dispatcher(own, own);
  }

  @Override
  public void execute(Runnable task) {
    enqueue(queue, task);
  }

  /** Runs {@code task} before every task not yet started (in order among urgent ones). */
  void executeFirst(Runnable task) {
    enqueue(urgent, task);
  }

  private void enqueue(ArrayDeque<Runnable> lane, Runnable task) {
    synchronized (queue) {
      lane.add(task);
      if (scheduled) {
        return;
      }
      scheduled = true;
    }
    submit();
  }

  /** Tasks waiting to run. */
  int backlog() {
    synchronized (queue) {
      return queue.size() + urgent.size();
    }
  }

  /** Whether the calling thread is running one of this dispatcher's tasks. */
  boolean isDispatchThread() {
    return running.get() == Thread.currentThread();
  }

  /**
   * Runs {@code action} (on the dispatcher's thread, without user code around it) once at most {@code low} tasks
   * wait, at once if that is so now; replaces an earlier one.
   */
  void whenBacklogAtMost(int low, Runnable action) {
    synchronized (queue) {
      if (queue.size() > low) {
        resume = action;
        resumeAt = low;
        return;
      }
    }
    action.run();
  }

  /** Lets the own thread end once every task queued so far has run; a user executor is left alone. */
  void shutdown() {
    if (owned != null) {
      owned.shutdown();
    }
  }

  private void submit() {
    try {
      target.execute(this::drain);
    } catch (RejectedExecutionException e) {
      int dropped;
      synchronized (queue) {
        dropped = queue.size() + urgent.size();
        queue.clear();
        urgent.clear();
        scheduled = false;
      }
      LOG.log(System.Logger.Level.WARNING, "dispatcher executor refused work; dropped {0} tasks", dropped);
    }
  }

  private void drain() {
    Thread self = Thread.currentThread();
    running.set(self);
    try {
      drainBatch();
    } finally {
      running.compareAndSet(self, null); // a pool may already run the next batch on another thread
    }
  }

  private void drainBatch() {
    for (int i = 0; i < batch; i++) {
      Runnable task;
      Runnable resumeNow = null;
      synchronized (queue) {
        task = urgent.poll();
        if (task == null) {
          task = queue.poll();
        }
        if (resume != null && queue.size() <= resumeAt) {
          resumeNow = resume;
          resume = null;
        }
        if (task == null) {
          scheduled = false;
        }
      }
      if (resumeNow != null) {
        resumeNow.run();
      }
      if (task == null) {
        return;
      }
      try {
        task.run();
      } catch (Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "user callback threw", t);
      }
    }
    submit();
  }
}
