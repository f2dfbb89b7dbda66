package dev.switchboard.broker.presence;

/**
 * The cluster's presence and topic counts as this node knows them: read locally, from any thread, without a call to
 * another node. What another node's clients did reaches this view within a few tens of milliseconds; a dead node's
 * entries leave it when the cluster removes the node.
 */
public interface PresenceView {
  /** The most entries one page holds. */
  int MAX_PAGE = 1000;

  /** Whether {@code topic} keeps presence ({@code --presence}). */
  boolean covers(String topic);

  /**
   * {@code topic}'s members ordered by client id, those after {@code after} (null: from the first), at most
   * {@code limit} (1 to {@link #MAX_PAGE}).
   */
  Page<PresenceEntry> members(String topic, String after, int limit);

  /** {@code topic}'s counts: clients and distinct users; zeros for a topic without members. */
  PresenceCounts counts(String topic);

  /**
   * Live topics and patterns (at least one subscriber anywhere) that {@code pattern} matches (null: all), ordered by
   * name, those after {@code after} (null: from the first), at most {@code limit} (1 to {@link #MAX_PAGE}).
   */
  Page<TopicCount> topics(String pattern, String after, int limit);

  /** {@code topic}'s (or a pattern's) subscribers in the whole cluster; 0 when it has none. */
  int subscribers(String topic);

  /** How many topics and patterns are live in the cluster. */
  int liveTopics();
}
