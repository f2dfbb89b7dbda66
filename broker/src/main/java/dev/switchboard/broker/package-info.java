/**
 * The node's public API: {@link dev.switchboard.broker.SwitchboardNode} (start, stats, drain, stop), its
 * {@link dev.switchboard.broker.BrokerOptions} and {@link dev.switchboard.broker.NodeStats}, and the launcher
 * ({@code Main}, settings from flags, environment and a config file, logging). A node is wired by
 * {@code impl.NodeBootstrap}; the packages below it, from the wire up: {@code wire}, {@code auth}, {@code cluster},
 * {@code history}, {@code ops}, {@code routing}, then the transports {@code session} (WebSocket), {@code http} and
 * {@code sse}. Each uses only packages before it, and the value types here; see the code map in the README.
 */
package dev.switchboard.broker;
