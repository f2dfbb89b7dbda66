package dev.switchboard.bench.fanout;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where the connections of a {@link Rig} go and what they subscribe to. Subscriber i subscribes to topic
 * {@code i mod T} and connects to subscriber node {@code i * N / S} (the subscribers in N equal blocks, in order); the
 * publishers connect to one node and spread their messages round-robin over the topics; the churn connections, if
 * any, connect to the first subscriber node.
 */
record Layout(List<String> topics, List<URI> subscriberNodes, URI publisherNode, Churn churn) {

  /**
   * Subscribe/unsubscribe churn while publishing: {@code connections} extra connections, {@code pairsPerSec} pairs
   * a second in all, pair n on {@code topics.get(n mod size)}.
   */
  record Churn(int connections, double pairsPerSec, List<String> topics) {
    Churn {
      topics = List.copyOf(topics);
    }
  }

  Layout {
    topics = List.copyOf(topics);
    subscriberNodes = List.copyOf(subscriberNodes);
    if (topics.isEmpty() || subscriberNodes.isEmpty()) {
      throw new IllegalArgumentException("a layout needs a topic and a subscriber node");
    }
  }

  /** Everything on one node. */
  static Layout single(URI node, List<String> topics, Churn churn) {
    return new Layout(topics, List.of(node), node, churn);
  }

  int churners() {
    return churn == null ? 0 : churn.connections();
  }

  int topicOf(int subscriber) {
    return subscriber % topics.size();
  }

  /** The index in {@link #subscriberNodes} of the node subscriber i connects to. */
  int nodeOf(int subscriber, int subscribers) {
    return (int) ((long) subscriber * subscriberNodes.size() / subscribers);
  }

  /** For the log and errors: the node, or which nodes have the subscribers and which the publishers. */
  String describe() {
    String subs = subscriberNodes.stream().map(URI::toString).collect(Collectors.joining(" and "));
    if (subscriberNodes.size() == 1 && subscriberNodes.get(0).equals(publisherNode)) {
      return subs;
    }
    return subs + (subscriberNodes.size() > 1 ? " (subscribers, split evenly), " : " (subscribers), ")
        + publisherNode + " (publishers)";
  }
}
