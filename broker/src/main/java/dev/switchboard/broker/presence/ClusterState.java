package dev.switchboard.broker.presence;

import dev.switchboard.protocol.Topics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/**
 * The cluster's presence and subscriber counts: what each node contributes (its {@link Slice}), and the sums that
 * readers see. A node's slice changes only with that node's own changes (applied here by {@link PresenceService} in
 * the order the node made them) or goes whole (the node left, or a fresh copy replaces it). Writers hold this
 * object's monitor; readers read the concurrent maps without it, so a read never waits for a write.
 */
final class ClusterState implements PresenceView {
  /**
   * One node's contributions: presence entries per topic, subscriptions per topic or pattern, and the users that
   * hold a connection to it.
   */
  static final class Slice {
    final Map<String, Map<String, PresenceEntry>> members = new HashMap<>();
    final Map<String, Integer> subscribers = new HashMap<>();
    final Set<String> users = new HashSet<>();
  }

  /**
   * What changed cluster-wide, told under the state's monitor (so in the order of the changes): a user's first
   * subscription to a presence topic and its last, a topic's first subscriber and its last, a user's first connection
   * to any node and its last. Must not block.
   */
  interface Changes {
    void joined(String topic, PresenceEntry entry);

    void left(String topic, PresenceEntry entry);

    void occupied(String topic);

    void vacated(String topic);

    void online(String user);

    void offline(String user);
  }

  /**
   * A topic's members by client id, and how many of them each user holds; an anonymous member is a user of its own,
   * only counted (no key is made for it: at 100,000 anonymous members that is megabytes).
   */
  private static final class TopicMembers {
    final ConcurrentSkipListMap<String, PresenceEntry> byClient = new ConcurrentSkipListMap<>();
    final Map<String, Integer> perUser = new HashMap<>();
    int clients;
    int anonymous;
    /** Both counts in one: a reader sees the two of one moment. */
    volatile PresenceCounts counts = new PresenceCounts(0, 0);
  }

  private final List<String> patterns;
  private final Map<String, Slice> slices = new HashMap<>();
  private final ConcurrentHashMap<String, TopicMembers> presence = new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<String, Integer> topics = new ConcurrentSkipListMap<>();
  /** Users connected somewhere: on how many nodes. */
  private final Map<String, Integer> online = new HashMap<>();
  private final Changes changes;

  ClusterState(List<String> patterns, Changes changes) {
    this.patterns = List.copyOf(patterns);
    this.changes = changes;
  }

  @Override
  public boolean covers(String topic) {
    if (Topics.isPattern(topic)) {
      return false; // a pattern subscription is counted, but is no member of a topic
    }
    for (int i = 0; i < patterns.size(); i++) {
      if (Topics.matches(patterns.get(i), topic)) {
        return true;
      }
    }
    return false;
  }

  synchronized void join(String node, String topic, PresenceEntry entry) {
    PresenceEntry old = slice(node).members.computeIfAbsent(topic, t -> new HashMap<>()).put(entry.client(), entry);
    if (old != null) {
      subtract(topic, old);
    }
    add(topic, entry);
  }

  synchronized void leave(String node, String topic, String client) {
    Slice slice = slices.get(node);
    Map<String, PresenceEntry> entries = slice == null ? null : slice.members.get(topic);
    PresenceEntry old = entries == null ? null : entries.remove(client);
    if (old == null) {
      return;
    }
    if (entries.isEmpty()) {
      slice.members.remove(topic);
    }
    subtract(topic, old);
  }

  synchronized void count(String node, String topic, int delta) {
    Slice slice = slice(node);
    int now = slice.subscribers.getOrDefault(topic, 0) + delta;
    if (now <= 0) {
      slice.subscribers.remove(topic);
    } else {
      slice.subscribers.put(topic, now);
    }
    total(topic, delta);
  }

  /** {@code user} now holds a connection to {@code node} ({@code connected}), or no longer does. */
  synchronized void user(String node, String user, boolean connected) {
    Set<String> users = slice(node).users;
    if (connected ? users.add(user) : users.remove(user)) {
      nodesOf(user, connected ? 1 : -1);
    }
  }

  /** Takes away everything {@code node} contributed; returns its slice (null if it had none). */
  synchronized Slice drop(String node) {
    Slice slice = slices.remove(node);
    if (slice == null) {
      return null;
    }
    slice.members.forEach((topic, entries) -> entries.values().forEach(e -> subtract(topic, e)));
    slice.subscribers.forEach((topic, n) -> total(topic, -n));
    slice.users.forEach(user -> nodesOf(user, -1));
    return slice;
  }

  /** Replaces what {@code node} contributed with {@code fresh}. */
  synchronized void replace(String node, Slice fresh) {
    drop(node);
    fresh.members.forEach((topic, entries) -> entries.values().forEach(e -> join(node, topic, e)));
    fresh.subscribers.forEach((topic, n) -> count(node, topic, n));
    fresh.users.forEach(user -> user(node, user, true));
  }

  /** The nodes with a slice. */
  synchronized List<String> nodes() {
    return new ArrayList<>(slices.keySet());
  }

  /** {@code node}'s slice, read under the monitor (to copy it). */
  synchronized <T> T read(String node, Function<Slice, T> reader) {
    return reader.apply(slices.getOrDefault(node, new Slice()));
  }

  @Override
  public Page<PresenceEntry> members(String topic, String after, int limit) {
    TopicMembers members = presence.get(topic);
    if (members == null) {
      return new Page<>(List.of(), null);
    }
    NavigableMap<String, PresenceEntry> from = after == null ? members.byClient
        : members.byClient.tailMap(after, false);
    return page(from.values().iterator(), limit, PresenceEntry::client);
  }

  @Override
  public PresenceCounts counts(String topic) {
    TopicMembers members = presence.get(topic);
    return members == null ? new PresenceCounts(0, 0) : members.counts;
  }

  @Override
  public Page<TopicCount> topics(String pattern, String after, int limit) {
    NavigableMap<String, Integer> from = after == null ? topics : topics.tailMap(after, false);
    Iterator<TopicCount> matching = from.entrySet().stream()
        .filter(e -> pattern == null || Topics.matches(pattern, e.getKey()))
        .map(e -> new TopicCount(e.getKey(), e.getValue())).iterator();
    return page(matching, limit, TopicCount::topic);
  }

  @Override
  public int subscribers(String topic) {
    return topics.getOrDefault(topic, 0);
  }

  @Override
  public int liveTopics() {
    return topics.size();
  }

  private static <T> Page<T> page(Iterator<T> items, int limit, Function<T, String> key) {
    List<T> page = new ArrayList<>(Math.min(limit, 64));
    while (page.size() < limit && items.hasNext()) {
      page.add(items.next());
    }
    return new Page<>(page, items.hasNext() && !page.isEmpty() ? key.apply(page.get(page.size() - 1)) : null);
  }

  private Slice slice(String node) {
    return slices.computeIfAbsent(node, n -> new Slice());
  }

  private void add(String topic, PresenceEntry entry) {
    TopicMembers members = presence.computeIfAbsent(topic, t -> new TopicMembers());
    if (members.byClient.put(entry.client(), entry) == null) {
      members.clients++;
    }
    boolean first;
    if (entry.user() == null) {
      members.anonymous++;
      first = true;
    } else {
      first = members.perUser.merge(entry.user(), 1, Integer::sum) == 1;
    }
    members.counts = new PresenceCounts(members.clients, members.perUser.size() + members.anonymous);
    if (first) {
      changes.joined(topic, entry);
    }
  }

  private void subtract(String topic, PresenceEntry entry) {
    TopicMembers members = presence.get(topic);
    if (members == null || members.byClient.remove(entry.client()) == null) {
      return;
    }
    members.clients--;
    boolean last;
    if (entry.user() == null) {
      members.anonymous--;
      last = true;
    } else {
      last = members.perUser.computeIfPresent(entry.user(), (k, n) -> n == 1 ? null : n - 1) == null;
    }
    members.counts = new PresenceCounts(members.clients, members.perUser.size() + members.anonymous);
    if (last) {
      changes.left(topic, entry);
    }
    if (members.clients == 0) {
      presence.remove(topic);
    }
  }

  private void total(String topic, int delta) {
    Integer before = topics.get(topic);
    Integer after = topics.compute(topic, (t, n) -> {
      int now = (n == null ? 0 : n) + delta;
      return now <= 0 ? null : now;
    });
    if (before == null && after != null) {
      changes.occupied(topic);
    } else if (before != null && after == null) {
      changes.vacated(topic);
    }
  }

  private void nodesOf(String user, int delta) {
    int now = online.getOrDefault(user, 0) + delta;
    if (now <= 0) {
      online.remove(user);
      changes.offline(user);
    } else if (online.put(user, now) == null) {
      changes.online(user);
    }
  }
}
