package dev.switchboard.broker.routing;

import dev.switchboard.protocol.CloseCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a node does to many clients of one {@link Hub} at once, on the hub's event loop: the drain (every client,
 * spread over a window), and the server API's commands to the clients of one user ({@link ClientCommands}).
 */
final class HubClients {
  private HubClients() {
  }

  /**
   * Closes every one of {@code clients} with {@code code}, spread evenly over {@code windowMs} so that they do not all
   * reconnect elsewhere at once: client i of n at (i + phase) × window / n, with a random phase per hub so that the
   * hubs of a node interleave. Completes once the last one is closed. Each close frame goes out behind what was
   * already written to that client.
   */
  static Future<Void> drain(Vertx vertx, Collection<Subscriber> clients, CloseCode code, long windowMs) {
    List<Subscriber> draining = new ArrayList<>(clients);
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

  /** Ends every client of {@code user} with {@code code} (4000–4999); returns how many. */
  static int disconnect(Hub hub, String user, int code) {
    int closed = 0;
    for (Subscriber client : of(hub, user)) {
      client.disconnect(code);
      closed++;
    }
    return closed;
  }

  /** Drops {@code topic} (exactly as subscribed) from every client of {@code user} that holds it; returns how many. */
  static int drop(Hub hub, String user, String topic) {
    int dropped = 0;
    for (Subscriber client : of(hub, user)) {
      if (client.drop(topic)) {
        dropped++;
      }
    }
    return dropped;
  }

  /** The hub's clients of {@code user}, copied: closing one changes the hub's set. */
  private static List<Subscriber> of(Hub hub, String user) {
    List<Subscriber> found = new ArrayList<>();
    for (Subscriber client : hub.clients()) {
      if (user.equals(client.user())) {
        found.add(client);
      }
    }
    return found;
  }
}
