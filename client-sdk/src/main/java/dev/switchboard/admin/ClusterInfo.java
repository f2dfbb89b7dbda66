package dev.switchboard.admin;

import java.util.List;

/**
 * The cluster as the node that answered sees it.
 *
 * @param nodes every member it has a snapshot of
 * @param connections WebSocket connections on all of them
 * @param sseStreams server-sent-events streams on all of them
 * @param topics live topics and patterns (a subscriber somewhere)
 */
public record ClusterInfo(List<NodeInfo> nodes, long connections, long sseStreams, int topics) {
  public ClusterInfo {
    nodes = List.copyOf(nodes);
  }
}
