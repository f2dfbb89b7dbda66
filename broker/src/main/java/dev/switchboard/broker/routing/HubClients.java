package dev.switchboard.broker.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * The server API's commands to the clients of one user among those of one {@link Hub} ({@link ClientCommands}), on
 * the hub's event loop.
 */
final class HubClients {
  private HubClients() {
  }

  /** Ends every client of {@code user} with {@code code} (4000–4999); returns how many were open. */
  static int disconnect(Hub hub, String user, int code) {
    int closed = 0;
    for (Subscriber client : of(hub, user)) {
      if (client.disconnect(code)) {
        closed++;
      }
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
    for (Subscriber client : hub.clients) {
      if (user.equals(client.user())) {
        found.add(client);
      }
    }
    return found;
  }
}
