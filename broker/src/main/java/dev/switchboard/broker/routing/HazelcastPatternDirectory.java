package dev.switchboard.broker.routing;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The pattern directory kept in a Hazelcast {@link IMap} (partitioned, with a backup), mirrored on every member in a
 * {@link PatternIndex} so that {@link #matching} is a local, lock-free lookup. A key is
 * {@code memberUuid + " " + pattern}: each member writes its own keys; the keys of a member that leaves or dies are
 * removed by the members that see it go.
 *
 * <p>The mirror is filled by a listener registered before a full read of the map, so a member that joins a running
 * cluster knows every pattern from the start. A member's own keys are mirrored as soon as they are written, before
 * {@link #add} completes. A periodic reconciliation with the map repairs anything a lost event would leave behind.
 */
public final class HazelcastPatternDirectory implements PatternDirectory, EntryListener<String, Boolean>, MembershipListener {
  public static final String MAP = "switchboard.patterns";
  static final long RECONCILE_SECONDS = 5;
  private static final Logger LOG = Logger.getLogger(HazelcastPatternDirectory.class.getName());

  /** This member's subscribers of one pattern, over all event loops, and the write that announced it. */
  private static final class Local {
    int count;
    Future<Void> written;
  }

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  /** The local member's UUID, new after a split-brain merge. */
  private volatile String memberId;
  private final IMap<String, Boolean> map;
  private final PatternIndex index = new PatternIndex();
  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private final Map<String, Local> local = new HashMap<>();
  private Set<String> missingLastTime = Set.of();
  /** Hazelcast calls block: they run here, one at a time, in the order the local counts changed. */
  private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "switchboard-pattern-directory");
    t.setDaemon(true);
    return t;
  });
  private final UUID entryListener;
  private final UUID membershipListener;

  /** Blocks on Hazelcast: call it on a worker thread. */
  public HazelcastPatternDirectory(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.memberId = hazelcast.getCluster().getLocalMember().getUuid().toString();
    this.map = hazelcast.getMap(MAP);
    this.entryListener = map.addEntryListener(this, false);
    this.membershipListener = hazelcast.getCluster().addMembershipListener(this);
    map.keySet().forEach(this::learned);
    writer.scheduleWithFixedDelay(this::reconcile, RECONCILE_SECONDS, RECONCILE_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public Future<Void> add(String pattern) {
    synchronized (local) {
      Local entry = local.get(pattern);
      if (entry == null) {
        entry = new Local();
        String key = key(pattern);
        entry.written = write(() -> {
          map.put(key, Boolean.TRUE);
          learned(key);
        });
        local.put(pattern, entry);
      }
      entry.count++;
      return entry.written;
    }
  }

  @Override
  public Future<Void> remove(String pattern) {
    synchronized (local) {
      Local entry = local.get(pattern);
      if (entry == null || --entry.count > 0) {
        return Future.succeededFuture();
      }
      local.remove(pattern);
      String key = key(pattern);
      return write(() -> {
        map.remove(key);
        forgot(key);
      });
    }
  }

  /**
   * After this member merged back into the cluster from a partition: it has a new member UUID, and while apart the
   * others removed its keys. Writes its patterns again under the new UUID (and forgets its keys under the old one).
   */
  public void merged() {
    try {
      writer.execute(() -> {
        String old = memberId;
        memberId = hazelcast.getCluster().getLocalMember().getUuid().toString();
        List<String> mine;
        synchronized (local) {
          mine = List.copyOf(local.keySet());
        }
        try {
          for (String pattern : mine) {
            String key = key(pattern);
            map.put(key, Boolean.TRUE);
            learned(key);
            if (!old.equals(memberId)) {
              map.remove(old + " " + pattern);
            }
          }
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "could not write this member's patterns again after a merge", e);
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.log(Level.FINE, "the node is stopping");
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
      return Future.fromCompletionStage(CompletableFuture.runAsync(op, writer), vertx.getOrCreateContext());
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(new IllegalStateException("the node is stopping"));
    }
  }

  /** Learns keys the mirror lacks; forgets keys missing from the map twice in a row (not racing a fresh add). */
  private void reconcile() {
    try {
      Set<String> actual = new HashSet<>(map.keySet());
      actual.forEach(this::learned);
      Set<String> missing = new HashSet<>();
      for (String key : known) {
        if (!actual.contains(key)) {
          missing.add(key);
          if (missingLastTime.contains(key)) {
            forgot(key);
          }
        }
      }
      missingLastTime = missing;
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "pattern directory reconciliation failed", e);
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
    try {
      writer.execute(() -> {
        try {
          for (String key : map.keySet()) {
            if (key.startsWith(prefix)) {
              map.remove(key);
              forgot(key);
            }
          }
        } catch (RuntimeException e) {
          LOG.log(Level.FINE, "could not remove the patterns of a member that left", e);
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.log(Level.FINE, "the node is stopping; another member removes the keys of the one that left");
    }
  }
}
