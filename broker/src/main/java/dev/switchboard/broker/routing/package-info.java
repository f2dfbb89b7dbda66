/**
 * Where a message goes: the {@link dev.switchboard.broker.routing.Hub} of each event loop holds its subscribers per
 * topic and pattern, owns one event-bus consumer per topic (for a history topic with a
 * {@link dev.switchboard.broker.routing.HistoryFeed} that orders its messages by offset and fills gaps from the
 * store, {@link dev.switchboard.broker.routing.LiveOrder}), publishes into the cluster, and writes each
 * turn's deliveries through its {@link dev.switchboard.broker.routing.TurnWriter}. Clients are known only as
 * {@link dev.switchboard.broker.routing.Subscriber}s. The cluster-wide pattern registry is
 * {@link dev.switchboard.broker.routing.PatternDirectory}. The server API's commands to one user's clients reach every
 * node's hubs through {@link dev.switchboard.broker.routing.ClientCommands}. Uses {@code wire}, {@code history},
 * {@code presence}, {@code auth} (client slots), {@code cluster} (quorum) and {@code ops} (the node's shared services
 * in {@link dev.switchboard.broker.routing.BrokerContext}); never a transport.
 */
package dev.switchboard.broker.routing;
