package dev.switchboard.broker.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A condition on state that sends no event (the cluster's registrations, a node's counters), polled on a Vert.x timer
 * until it holds: the asynchronous counterpart of Awaitility's {@code await().atMost(…).until(…)}.
 */
public final class Eventually {
  private static final long POLL_MS = 20;

  private Eventually() {
  }

  /**
   * Completes once {@code condition} yields true; fails when it has not within {@code atMost}. A check that fails or
   * throws counts as false (the last such failure is given as the cause of the timeout).
   */
  public static Future<Void> until(Vertx vertx, Duration atMost, Supplier<Future<Boolean>> condition) {
    Promise<Void> done = Promise.promise();
    poll(vertx, System.nanoTime() + atMost.toNanos(), atMost, condition, done);
    return done.future();
  }

  private static void poll(Vertx vertx, long deadline, Duration atMost, Supplier<Future<Boolean>> condition,
                           Promise<Void> done) {
    Future<Boolean> check;
    try {
      check = condition.get();
    } catch (RuntimeException e) {
      check = Future.failedFuture(e);
    }
    check.onComplete(result -> {
      if (result.succeeded() && Boolean.TRUE.equals(result.result())) {
        done.complete();
      } else if (System.nanoTime() - deadline >= 0) {
        TimeoutException timeout = new TimeoutException("condition not met within " + atMost);
        if (result.failed()) {
          timeout.initCause(result.cause());
        }
        done.fail(timeout);
      } else {
        vertx.setTimer(POLL_MS, id -> poll(vertx, deadline, atMost, condition, done));
      }
    });
  }
}
