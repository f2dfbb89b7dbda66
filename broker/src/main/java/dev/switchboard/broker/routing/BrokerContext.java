package dev.switchboard.broker.routing;

import dev.switchboard.broker.auth.Security;
import dev.switchboard.broker.cluster.NodeHealth;
import dev.switchboard.broker.history.History;
import dev.switchboard.broker.ops.ClusterView;
import dev.switchboard.broker.ops.NodeMetrics;
import dev.switchboard.broker.presence.PresenceService;
import dev.switchboard.broker.BrokerOptions;
import dev.switchboard.broker.NodeStats;

/** What the broker verticles of one node share. */
public record BrokerContext(BrokerOptions options, NodeStats stats, String nodeId, PatternDirectory patterns,
                            NodeHealth health, NodeMetrics metrics, History history, Security security,
                            ClusterView view, PresenceService presence) {
}
