/**
 * The node's place in the Hazelcast cluster: resolving the join list ({@link dev.switchboard.broker.cluster.ClusterJoin})
 * and membership, quorum and readiness ({@link dev.switchboard.broker.cluster.NodeHealth}). Uses the public options
 * only; the cluster itself is started by {@code impl.NodeBootstrap}.
 */
package dev.switchboard.broker.cluster;
