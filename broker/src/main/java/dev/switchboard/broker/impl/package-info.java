/**
 * The wiring of a node, and nothing else: {@link dev.switchboard.broker.impl.NodeBootstrap} starts the cluster and the
 * shared services and deploys one {@link dev.switchboard.broker.impl.BrokerVerticle} per event loop, which serves the
 * WebSocket gate and the HTTP routes ({@code Routes}, {@code StreamRoutes}, {@code WebRoutes},
 * {@code DashboardRoutes}). May use every package; none uses it but the public {@code SwitchboardNode}.
 */
package dev.switchboard.broker.impl;
