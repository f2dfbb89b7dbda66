/**
 * The security settings of a node ({@link dev.switchboard.broker.security.SecurityOptions}: authentication mode,
 * keys, origins, limits, TLS): public API, part of {@link dev.switchboard.broker.BrokerOptions}. Carrying them out is
 * {@code dev.switchboard.broker.auth}'s.
 */
package dev.switchboard.broker.security;
