package dev.switchboard.broker.routing;

import io.vertx.core.Future;

import java.util.List;

/**
 * Which wildcard patterns have subscribers anywhere in the cluster. A publishing node asks it which patterns its
 * topic matches and sends the message to those patterns' addresses only, so a wildcard costs nothing for messages it
 * does not match, and nothing on nodes without a subscriber for it.
 */
public interface PatternDirectory {
  /** This node has a first local subscriber for {@code pattern}. Completes when the cluster has accepted it. */
  Future<Void> add(String pattern);

  /** This node's last local subscriber for {@code pattern} is gone. */
  Future<Void> remove(String pattern);

  /** Patterns with subscribers on some node that match the concrete {@code topic}. Called on every publish. */
  List<String> matching(String topic);

  void close();
}
