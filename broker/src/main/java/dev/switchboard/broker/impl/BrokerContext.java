package dev.switchboard.broker.impl;

import dev.switchboard.broker.BrokerOptions;
import dev.switchboard.broker.NodeStats;

/** What the broker verticles of one node share. */
record BrokerContext(BrokerOptions options, NodeStats stats, String nodeId, PatternDirectory patterns,
                     NodeHealth health, NodeMetrics metrics, History history,
                     Security security, ClusterView view) {
}
