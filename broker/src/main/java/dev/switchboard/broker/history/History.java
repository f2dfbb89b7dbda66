package dev.switchboard.broker.history;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.Ringbuffer;
import dev.switchboard.broker.HistoryRule;
import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's view of the cluster's history store: which topics are history topics (the first rule matching them),
 * the cluster's epoch, and one Hazelcast {@link Ringbuffer} per history topic, whose sequence is the topic's offset
 * and whose items are the topic's messages, each a {@link HistoryEntry} (data and publish stamp).
 * A ringbuffer lives on its partition's owner with one synchronous backup, so an add that completed survives the
 * death of any one member. Thread-safe.
 */
public final class History {
  static final String META_MAP = "switchboard.meta";
  static final String EPOCH_KEY = "epoch";
  /** Ringbuffer names: the rule's index, then the topic ({@code sbh0.chat.room1}); configured per rule. */
  private static final String PREFIX = "sbh";
  static final int BACKUPS = 1;

  private final HazelcastInstance hazelcast;
  private final List<HistoryRule> rules;
  /** The cluster's epoch: read again after a split-brain merge, when the majority's wins. */
  private volatile String epoch;
  private final Map<String, Ringbuffer<byte[]>> ringbuffers = new ConcurrentHashMap<>();

  private History(HazelcastInstance hazelcast, List<HistoryRule> rules, String epoch) {
    this.hazelcast = hazelcast;
    this.rules = List.copyOf(rules);
    this.epoch = epoch;
  }

  /**
   * Adds one ringbuffer configuration per rule; every node must have the same rules. {@code protection}: the
   * split-brain protection that refuses reads and writes on a member without its quorum (null: none).
   */
  public static void configure(Config config, List<HistoryRule> rules, String protection) {
    for (int i = 0; i < rules.size(); i++) {
      HistoryRule rule = rules.get(i);
      config.addRingBufferConfig(new RingbufferConfig(PREFIX + i + ".*")
          .setCapacity(rule.size())
          .setTimeToLiveSeconds(rule.ttlSeconds())
          .setBackupCount(BACKUPS)
          .setAsyncBackupCount(0)
          .setInMemoryFormat(InMemoryFormat.BINARY)
          .setSplitBrainProtectionName(protection));
    }
  }

  /**
   * Joins the cluster's epoch, or starts one if this is the first node of a fresh cluster. Blocks: call it on a
   * worker thread.
   */
  public static History join(HazelcastInstance hazelcast, List<HistoryRule> rules) {
    String mine = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    String existing = hazelcast.<String, String>getMap(META_MAP).putIfAbsent(EPOCH_KEY, mine);
    return new History(hazelcast, rules, existing == null ? mine : existing);
  }

  public String epoch() {
    return epoch;
  }

  /**
   * After this member merged back into the cluster from a partition: takes the cluster's epoch (the same one, unless
   * this member had started a cluster of its own). Blocks: call it on a worker thread.
   */
  public void rejoin() {
    String existing = hazelcast.<String, String>getMap(META_MAP).putIfAbsent(EPOCH_KEY, epoch);
    if (existing != null) {
      epoch = existing;
    }
  }

  boolean enabled() {
    return !rules.isEmpty();
  }

  /** Whether {@code topic} (a concrete topic, not a pattern) is a history topic. */
  public boolean covers(String topic) {
    return index(topic) >= 0;
  }

  /** How many messages of a history topic are kept. */
  public int size(String topic) {
    return rules.get(index(topic)).size();
  }

  /**
   * The store of a history topic, completing on {@code context}. Getting it the first time creates Hazelcast's proxy,
   * which may wait on the cluster: that is done on a worker thread, never on an event loop.
   */
  public Future<Ringbuffer<byte[]>> ringbuffer(String topic, Context context) {
    Ringbuffer<byte[]> known = ringbuffers.get(topic);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return context.executeBlocking(() -> ringbuffers.computeIfAbsent(topic,
        t -> hazelcast.getRingbuffer(PREFIX + index(t) + "." + t)), false);
  }

  /**
   * Stores messages ({@link HistoryEntry entries}) as consecutive offsets, in order, in one atomic operation; completes
   * on {@code context} with the offset of the last once they and their backups are stored.
   */
  Future<Long> appendAll(String topic, List<byte[]> entries, Context context) {
    return ringbuffer(topic, context).compose(ringbuffer -> {
      try {
        return Future.fromCompletionStage(ringbuffer.addAllAsync(entries, OverflowPolicy.OVERWRITE), context);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    });
  }

  private int index(String topic) {
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).matches(topic)) {
        return i;
      }
    }
    return -1;
  }
}
