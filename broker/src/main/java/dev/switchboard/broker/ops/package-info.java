/**
 * What an operator sees: Prometheus metrics ({@link dev.switchboard.broker.ops.NodeMetrics}), this node's snapshot
 * and the cluster-wide view the dashboard shows ({@link dev.switchboard.broker.ops.ClusterView}). Uses {@code cluster}
 * and {@code auth} (refusal reasons).
 */
package dev.switchboard.broker.ops;
