package dev.switchboard.broker.auth;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Per user, on one node: how many connections it holds, and the token bucket all its publishes share. Shared by the
 * node's event loops. A user's entry goes with its last connection, so the map holds only users that are connected.
 */
public final class UserConnections {
  private static final class Entry {
    int connections;
    final TokenBucket publishes;

    Entry(TokenBucket publishes) {
      this.publishes = publishes;
    }
  }

  /** Told when a user's first connection to this node opens and when its last one ends (from any thread). */
  public interface Listener {
    void connected(String user);

    void disconnected(String user);
  }

  private final int maxPerUser;
  private volatile Listener listener = new Listener() {
    @Override
    public void connected(String user) {
    }

    @Override
    public void disconnected(String user) {
    }
  };
  private final int publishRate;
  private final ConcurrentHashMap<String, Entry> users = new ConcurrentHashMap<>();

  UserConnections(int maxPerUser, int publishRate) {
    this.maxPerUser = maxPerUser;
    this.publishRate = publishRate;
  }

  /** The listener of users coming and going (the node's presence); none by default. */
  public void listen(Listener listener) {
    this.listener = listener;
  }

  /** Counts one more connection of {@code user}; false (nothing counted) when it already holds the most allowed. */
  public boolean open(String user) {
    boolean[] admitted = {false};
    users.compute(user, (u, entry) -> {
      Entry e = entry != null ? entry : new Entry(TokenBucket.perSecond(publishRate, System.nanoTime()));
      if (maxPerUser > 0 && e.connections >= maxPerUser) {
        return entry;
      }
      if (e.connections++ == 0) {
        listener.connected(user); // in the map's lock for this user: the listener sees one order of comings and goings
      }
      admitted[0] = true;
      return e;
    });
    return admitted[0];
  }

  /** One connection of {@code user} ended (only for one that {@link #open} admitted). */
  public void close(String user) {
    users.computeIfPresent(user, (u, e) -> {
      if (--e.connections > 0) {
        return e;
      }
      listener.disconnected(user);
      return null;
    });
  }

  /** The bucket {@code user}'s publishes on this node share; an unlimited one for a user not connected. */
  TokenBucket publishes(String user) {
    Entry e = users.get(user);
    return e == null ? TokenBucket.perSecond(0, 0) : e.publishes;
  }

  int connections(String user) {
    Entry e = users.get(user);
    return e == null ? 0 : e.connections;
  }
}
