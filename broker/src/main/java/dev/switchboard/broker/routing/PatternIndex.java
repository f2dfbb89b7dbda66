package dev.switchboard.broker.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The wildcard patterns that have subscribers somewhere in the cluster, as a segment trie, so that a publish finds
 * the patterns its topic matches in time proportional to the topic's depth, not to the number of patterns.
 *
 * <p>Writers are serialized by a lock; readers (every publish, on any event loop) take no lock. A reader racing a
 * writer may miss a pattern being added or see one being removed, which is the same as the update arriving a moment
 * later or earlier.
 */
final class PatternIndex {
  private static final class Node {
    final String path;
    final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>();
    volatile int count;     // patterns ending exactly here
    volatile int restCount; // patterns ending here with '>'

    Node(String path) {
      this.path = path;
    }

    boolean empty() {
      return count == 0 && restCount == 0 && children.isEmpty();
    }
  }

  private final Node root = new Node("");

  /** Adds one reference to {@code pattern}. */
  synchronized void add(String pattern) {
    String[] segments = pattern.split("\\.");
    Node node = root;
    int last = segments.length - 1;
    for (int i = 0; i < last; i++) {
      node = child(node, segments[i]);
    }
    if (segments[last].equals(">")) {
      node.restCount++;
    } else {
      child(node, segments[last]).count++;
    }
  }

  /** Removes one reference to {@code pattern}; unknown patterns are ignored. */
  synchronized void remove(String pattern) {
    String[] segments = pattern.split("\\.");
    Node[] trail = new Node[segments.length + 1];
    trail[0] = root;
    boolean rest = segments[segments.length - 1].equals(">");
    int depth = rest ? segments.length - 1 : segments.length;
    for (int i = 0; i < depth; i++) {
      trail[i + 1] = trail[i].children.get(segments[i]);
      if (trail[i + 1] == null) {
        return;
      }
    }
    Node end = trail[depth];
    if (rest) {
      if (end.restCount > 0) {
        end.restCount--;
      }
    } else if (end.count > 0) {
      end.count--;
    }
    for (int i = depth; i > 0 && trail[i].empty(); i--) {
      trail[i - 1].children.remove(segments[i - 1], trail[i]);
    }
  }

  /** The patterns (with at least one reference) that match the concrete {@code topic}. */
  List<String> matching(String topic) {
    if (root.children.isEmpty() && root.restCount == 0) {
      return List.of();
    }
    List<String> out = new ArrayList<>(2);
    collect(root, topic.split("\\."), 0, out);
    return out;
  }

  boolean isEmpty() {
    return root.empty();
  }

  private static void collect(Node node, String[] segments, int i, List<String> out) {
    if (i == segments.length) {
      if (node.count > 0) {
        out.add(node.path);
      }
      return;
    }
    if (node.restCount > 0) {
      out.add(node.path.isEmpty() ? ">" : node.path + ".>");
    }
    Node exact = node.children.get(segments[i]);
    if (exact != null) {
      collect(exact, segments, i + 1, out);
    }
    Node one = node.children.get("*");
    if (one != null && !segments[i].equals("*")) {
      collect(one, segments, i + 1, out);
    }
  }

  private static Node child(Node node, String segment) {
    return node.children.computeIfAbsent(segment, s -> new Node(node.path.isEmpty() ? s : node.path + "." + s));
  }
}
