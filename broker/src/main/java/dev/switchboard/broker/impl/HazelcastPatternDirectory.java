package dev.switchboard.broker.impl;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapEvent;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The pattern directory kept in a Hazelcast {@link ReplicatedMap}: every member holds a full copy and is told of
 * every change, so {@link #matching} is a local, lock-free lookup in a {@link PatternIndex}. A key is
 * {@code memberUuid + " " + pattern}: each member owns its own keys, and the keys of a member that leaves (or dies)
 * are removed by the members that see it go.
 */
final class HazelcastPatternDirectory implements PatternDirectory, EntryListener<String, Boolean>, MembershipListener {
  static final String MAP = "switchboard.patterns";
  private static final Logger LOG = Logger.getLogger(HazelcastPatternDirectory.class.getName());

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final String memberId;
  private final ReplicatedMap<String, Boolean> map;
  private final PatternIndex index = new PatternIndex();
  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> local = new HashMap<>();
  /** Hazelcast calls block: they run here, one at a time, in the order the refcounts changed. */
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "switchboard-pattern-directory");
    t.setDaemon(true);
    return t;
  });
  private final UUID entryListener;
  private final UUID membershipListener;

  HazelcastPatternDirectory(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.memberId = hazelcast.getCluster().getLocalMember().getUuid().toString();
    this.map = hazelcast.getReplicatedMap(MAP);
    this.entryListener = map.addEntryListener(this);
    this.membershipListener = hazelcast.getCluster().addMembershipListener(this);
    for (String key : map.keySet()) {
      learned(key);
    }
  }

  @Override
  public Future<Void> add(String pattern) {
    synchronized (local) {
      if (local.merge(pattern, 1, Integer::sum) > 1) {
        return Future.succeededFuture();
      }
      return write(() -> map.put(key(pattern), Boolean.TRUE));
    }
  }

  @Override
  public Future<Void> remove(String pattern) {
    synchronized (local) {
      Integer left = local.computeIfPresent(pattern, (p, n) -> n == 1 ? null : n - 1);
      if (left != null) {
        return Future.succeededFuture();
      }
      return write(() -> map.remove(key(pattern)));
    }
  }

  @Override
  public List<String> matching(String topic) {
    return index.matching(topic);
  }

  @Override
  public void close() {
    writer.shutdown();
    try {
      map.removeEntryListener(entryListener);
      hazelcast.getCluster().removeMembershipListener(membershipListener);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Hazelcast already stopped", e);
    }
  }

  private String key(String pattern) {
    return memberId + " " + pattern;
  }

  private Future<Void> write(Runnable op) {
    try {
      CompletableFuture<Void> done = CompletableFuture.runAsync(op, writer);
      return Future.fromCompletionStage(done, vertx.getOrCreateContext());
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(new IllegalStateException("the node is stopping"));
    }
  }

  private void learned(String key) {
    if (known.add(key)) {
      index.add(key.substring(key.indexOf(' ') + 1));
    }
  }

  private void forgot(String key) {
    if (known.remove(key)) {
      index.remove(key.substring(key.indexOf(' ') + 1));
    }
  }

  @Override
  public void entryAdded(EntryEvent<String, Boolean> event) {
    learned(event.getKey());
  }

  @Override
  public void entryUpdated(EntryEvent<String, Boolean> event) {
    learned(event.getKey());
  }

  @Override
  public void entryRemoved(EntryEvent<String, Boolean> event) {
    forgot(event.getKey());
  }

  @Override
  public void entryEvicted(EntryEvent<String, Boolean> event) {
    forgot(event.getKey());
  }

  @Override
  public void entryExpired(EntryEvent<String, Boolean> event) {
    forgot(event.getKey());
  }

  @Override
  public void mapCleared(MapEvent event) {
    known.forEach(this::forgot);
  }

  @Override
  public void mapEvicted(MapEvent event) {
    known.forEach(this::forgot);
  }

  @Override
  public void memberAdded(MembershipEvent event) {
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    String prefix = event.getMember().getUuid() + " ";
    writer.execute(() -> {
      try {
        for (String key : map.keySet()) {
          if (key.startsWith(prefix)) {
            map.remove(key);
          }
        }
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "could not remove the patterns of a member that left", e);
      }
    });
  }
}
