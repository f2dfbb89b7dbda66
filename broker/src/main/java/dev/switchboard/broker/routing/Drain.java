package dev.switchboard.broker.routing;

import dev.switchboard.protocol.CloseCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Closing a hub's clients spread over a window, for the node's graceful drain. */
final class Drain {
  private Drain() {
  }

  /**
   * Closes each of {@code clients} with {@code code}, spread evenly over {@code windowMs} so that the clients do not
   * all reconnect elsewhere at once: client i of n at (i + phase) × window / n, with a random phase per hub so that
   * the hubs of a node interleave. Completes once the last one is closed. Each close frame goes out behind what was
   * already written to that client. Runs on the hub's event loop.
   */
  static Future<Void> spread(Vertx vertx, List<Subscriber> draining, CloseCode code, long windowMs) {
    int n = draining.size();
    double phase = ThreadLocalRandom.current().nextDouble();
    long start = Hub.now();
    Promise<Void> done = Promise.promise();
    int[] next = {0};
    long[] timer = {-1};
    Runnable step = () -> {
      double slots = windowMs <= 0 ? n : (Hub.now() - start) * (double) n / windowMs - phase;
      long due = Math.min(n, (long) Math.floor(slots) + 1);
      while (next[0] < due) {
        draining.get(next[0]++).close(code);
      }
      if (next[0] == n && done.tryComplete()) {
        vertx.cancelTimer(timer[0]);
      }
    };
    step.run();
    if (!done.future().isComplete()) {
      timer[0] = vertx.setPeriodic(Math.max(10, Math.min(100, windowMs / n)), t -> step.run());
    }
    return done.future();
  }
}
